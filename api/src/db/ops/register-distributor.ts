import type { Transaction } from 'sequelize';
import type { Database } from '../connection';
import type { RowOf } from '../columns';
import type { DistributorModel } from '../models';

// registerDistributor's writes: the distributor row (found by name: a restart is the same distributor)
// and the queues it describes, with their bounds (resource escalation places requests by them).

export interface DistributorFields {
  name: string;
  backend: string;
  hostname: string | null;
  capacity: number | null;
  /** JSON list of the queue names it serves (null: any). */
  queues: string | null;
  owner: string | null;
  lastHeartbeatAt: Date;
}

export interface QueueBounds {
  name: string;
  minCores: number | null;
  maxCores: number | null;
  maxMemoryMb: number | null;
  maxRuntimeSeconds: number | null;
}

/** The distributor of that name, locked for the registration (null: a new name). */
export async function findDistributorByName(
  db: Database,
  transaction: Transaction,
  name: string,
): Promise<{ id: number; owner: string | null } | null> {
  const [row] = await db.select<RowOf<DistributorModel, 'id' | 'owner'>>(
    'SELECT id, owner FROM distributor WHERE name = ?',
    [name],
    transaction,
  );
  return row ? { id: Number(row.id), owner: row.owner ?? null } : null;
}

export async function updateDistributor(
  db: Database,
  transaction: Transaction,
  id: number,
  fields: Omit<DistributorFields, 'name'>,
): Promise<void> {
  await db.execute(
    'UPDATE distributor SET backend = ?, hostname = ?, capacity = ?, queues = ?, owner = ?, last_heartbeat_at = ? WHERE id = ?',
    [
      fields.backend,
      fields.hostname,
      fields.capacity,
      fields.queues,
      fields.owner,
      fields.lastHeartbeatAt,
      id,
    ],
    transaction,
  );
}

export async function insertDistributor(
  db: Database,
  transaction: Transaction,
  fields: DistributorFields,
): Promise<number> {
  return (await db.models.Distributor.create(fields, { transaction })).id;
}

/** Each queue's bounds, as the registering backend describes them (the latest registration wins). */
export async function upsertQueues(
  db: Database,
  transaction: Transaction,
  backend: string,
  queues: readonly QueueBounds[],
  now: Date,
): Promise<void> {
  for (const queue of queues) {
    const updated = await db.execute(
      `UPDATE queue SET backend = ?, min_cores = ?, max_cores = ?, max_memory_mb = ?, max_runtime_seconds = ?,
         updated_at = ? WHERE name = ?`,
      [backend, queue.minCores, queue.maxCores, queue.maxMemoryMb, queue.maxRuntimeSeconds, now, queue.name],
      transaction,
    );
    if (updated === 0) await db.models.Queue.create({ ...queue, backend }, { transaction });
  }
}
