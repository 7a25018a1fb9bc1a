import type { Transaction } from 'sequelize';
import { mergeResources, type QueueBounds, type ResolvedResources } from '../../domain';
import type { Database } from '../connection';
import { inList } from './sql';

/** Bounds of the named queues that distributors have described (unknown names are left out). */
export async function readQueueBounds(
  db: Database,
  transaction: Transaction,
  names: readonly string[],
): Promise<Map<string, QueueBounds>> {
  if (names.length === 0) return new Map();
  const rows = await db.select<Record<string, unknown>>(
    `SELECT name, min_cores, max_cores, max_memory_mb, max_runtime_seconds FROM queue WHERE name IN (${inList(db, [...new Set(names)])})`,
    [],
    transaction,
  );
  const orNull = (value: unknown) => (value == null ? null : Number(value));
  return new Map(
    rows.map((q) => [
      String(q.name),
      {
        name: String(q.name),
        minCores: orNull(q.min_cores),
        maxCores: orNull(q.max_cores),
        maxMemoryMb: orNull(q.max_memory_mb),
        maxRuntimeSeconds: orNull(q.max_runtime_seconds),
      },
    ]),
  );
}

/** A task_resources row (joined columns memory_mb, cores, runtime_seconds, queue, extra) as resources. */
export function resourcesOfRow(row: Record<string, unknown>): ResolvedResources {
  const orNull = (value: unknown) => (value == null ? null : Number(value));
  return mergeResources({
    memoryMb: orNull(row.memory_mb),
    cores: orNull(row.cores),
    runtimeSeconds: orNull(row.runtime_seconds),
    queue: row.queue == null ? null : String(row.queue),
    extra:
      typeof row.extra === 'string' && row.extra ? (JSON.parse(row.extra) as Record<string, unknown>) : null,
  });
}
