import { SequelizeStorage, Umzug, type MigrationParams } from 'umzug';
import { QueryTypes, type QueryInterface } from 'sequelize';
import type { Database } from './connection';
import * as m0001 from './migrations/0001_initial';
import * as m0002 from './migrations/0002_binding';
import * as m0003 from './migrations/0003_engine';
import * as m0004 from './migrations/0004_auth';
import * as m0005 from './migrations/0005_evidence';
import * as m0006 from './migrations/0006_identity';
import * as m0007 from './migrations/0007_saved_reports';
import * as m0008 from './migrations/0008_submitted_resources';
import * as m0009 from './migrations/0009_backend_pending';
import * as m0010 from './migrations/0010_task_counts';
import * as m0011 from './migrations/0011_retrying_counts';
import * as m0012 from './migrations/0012_template_counts';
import * as m0013 from './migrations/0013_bind_indexes';

type Migration = {
  up(params: MigrationParams<QueryInterface>): Promise<void>;
  down(params: MigrationParams<QueryInterface>): Promise<void>;
};

// Numbered, append-only. Listed explicitly so that the compiled server needs no file globbing.
const MIGRATIONS: ReadonlyArray<[string, Migration]> = [
  ['0001_initial', m0001],
  ['0002_binding', m0002],
  ['0003_engine', m0003],
  ['0004_auth', m0004],
  ['0005_evidence', m0005],
  ['0006_identity', m0006],
  ['0007_saved_reports', m0007],
  ['0008_submitted_resources', m0008],
  ['0009_backend_pending', m0009],
  ['0010_task_counts', m0010],
  ['0011_retrying_counts', m0011],
  ['0012_template_counts', m0012],
  ['0013_bind_indexes', m0013],
];

/** The `jobmon_migrations` table records what ran; applying twice is a no-op. */
function migrator(db: Database): Umzug<QueryInterface> {
  return new Umzug<QueryInterface>({
    migrations: MIGRATIONS.map(([name, migration]) => ({
      name,
      up: (params) => migration.up(params),
      down: (params) => migration.down(params),
    })),
    context: db.sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize: db.sequelize, tableName: 'jobmon_migrations' }),
    logger: undefined,
  });
}

/** Name of the MySQL lock that lets one replica at a time migrate. */
const MIGRATION_LOCK = 'jobmon_migrations';
const MIGRATION_LOCK_WAIT_SECONDS = 300;

/**
 * Applies pending migrations. On MySQL, replicas starting together take turns through a named lock (held
 * by a connection of its own for the duration): the second finds everything applied.
 */
export async function migrateUp(db: Database): Promise<string[]> {
  if (db.dialect !== 'mysql') return (await migrator(db).up()).map((migration) => migration.name);
  return db.sequelize.transaction(async (lockHolder) => {
    const [row] = (await db.sequelize.query('SELECT GET_LOCK(?, ?) AS got', {
      replacements: [MIGRATION_LOCK, MIGRATION_LOCK_WAIT_SECONDS],
      type: QueryTypes.SELECT,
      transaction: lockHolder,
    })) as { got: number | null }[];
    if (Number(row?.got) !== 1)
      throw new Error(`another server held the migration lock for ${MIGRATION_LOCK_WAIT_SECONDS} s`);
    try {
      return (await migrator(db).up()).map((migration) => migration.name);
    } finally {
      await db.sequelize.query('SELECT RELEASE_LOCK(?)', {
        replacements: [MIGRATION_LOCK],
        transaction: lockHolder,
      });
    }
  });
}

export async function migrateDown(db: Database, to: string | 0 = 0): Promise<string[]> {
  const reverted = await migrator(db).down({ to });
  return reverted.map((migration) => migration.name);
}

export const migrationNames = MIGRATIONS.map(([name]) => name);
