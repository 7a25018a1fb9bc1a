import type { Database } from '../connection';

// Reads (and the one admin switch) of distributors, outside the protocol's transitions.

export interface StoredDistributor {
  id: number;
  name: string;
  backend: string;
  hostname: string | null;
  capacity: number | null;
  queues: string[] | null;
  /** Whose token registered it (null: open mode); it runs that user's work. */
  owner: string | null;
  /** An admin let it run every user's work (as its operating-system user). */
  servesAllUsers: boolean;
  lastHeartbeatAt: Date;
  createdAt: Date;
}

export async function readDistributorRow(db: Database, id: number): Promise<StoredDistributor | null> {
  const row = await db.models.Distributor.findByPk(id, { raw: true });
  if (!row) return null;
  return {
    ...row,
    owner: row.owner ?? null,
    servesAllUsers: Boolean(Number(row.servesAllUsers)),
    queues: row.queues ? (JSON.parse(row.queues) as string[]) : null,
  };
}

/** False: no such distributor. */
export async function writeServesAllUsers(
  db: Database,
  id: number,
  servesAllUsers: boolean,
): Promise<boolean> {
  return (
    (await db.execute('UPDATE distributor SET serves_all_users = ? WHERE id = ?', [servesAllUsers, id])) > 0
  );
}

/** The deployment's id (one row, made by migration 0005). */
export async function readDeploymentId(db: Database): Promise<string> {
  const rows = await db.select<{ id: string }>('SELECT id FROM deployment', []);
  if (!rows[0]) throw new Error('the deployment table is empty: the database was not migrated');
  return String(rows[0].id);
}
