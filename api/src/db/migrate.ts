import { SequelizeStorage, Umzug, type MigrationParams } from 'umzug';
import type { QueryInterface } from 'sequelize';
import type { Database } from './connection';
import * as m0001 from './migrations/0001_initial';
import * as m0002 from './migrations/0002_binding';
import * as m0003 from './migrations/0003_engine';

type Migration = {
  up(params: MigrationParams<QueryInterface>): Promise<void>;
  down(params: MigrationParams<QueryInterface>): Promise<void>;
};

// Numbered, append-only. Listed explicitly so that the compiled server needs no file globbing.
const MIGRATIONS: ReadonlyArray<[string, Migration]> = [
  ['0001_initial', m0001],
  ['0002_binding', m0002],
  ['0003_engine', m0003],
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

export async function migrateUp(db: Database): Promise<string[]> {
  const applied = await migrator(db).up();
  return applied.map((migration) => migration.name);
}

export async function migrateDown(db: Database, to: string | 0 = 0): Promise<string[]> {
  const reverted = await migrator(db).down({ to });
  return reverted.map((migration) => migration.name);
}

export const migrationNames = MIGRATIONS.map(([name]) => name);
