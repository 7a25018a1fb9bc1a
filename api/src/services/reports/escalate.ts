import type { Transaction } from 'sequelize';
import { placeInQueues, resourcesHash, scaleResources, type ResourceScales } from '../../domain';
import type { Database } from '../../db';
import { upsertResources } from '../../db/ops/bind-workflow';
import { readQueueBounds, resourcesOfRow } from '../../db/ops/queue-bounds';
import { countResourceFailures } from '../../db/ops/resource-failures';

/** Which measure a resource failure ran out of, from the reported errorKind. */
function scaledMeasure(errorKind: string | null): 'memory' | 'runtime' | 'both' {
  const kind = (errorKind ?? '').toUpperCase();
  if (kind.includes('MEMORY') || kind === 'OOM') return 'memory';
  if (kind.includes('TIME')) return 'runtime';
  return 'both';
}

const parse = <T>(text: unknown): T | null =>
  typeof text === 'string' && text ? (JSON.parse(text) as T) : null;

/**
 * After a resource failure: raises memory or runtime by the task's scales (default +50%), then places the
 * request in the task's queue or, if it no longer fits, the next fallback queue; if none fits it is coerced
 * to the last queue's bounds. The task points at the new (content-addressed) resource set; its earlier
 * instances keep what they were given.
 */
export async function escalateResources(
  db: Database,
  transaction: Transaction,
  taskId: number,
  errorKind: string | null,
): Promise<void> {
  const rows = await db.select<Record<string, unknown>>(
    `SELECT t.resource_scales, t.fallback_queues, r.memory_mb, r.cores, r.runtime_seconds, r.queue, r.extra
       FROM task t JOIN task_resources r ON r.id = t.task_resources_id WHERE t.id = ?`,
    [taskId],
    transaction,
  );
  const row = rows[0];
  if (!row) return;
  const current = resourcesOfRow(row);
  const scales = parse<ResourceScales>(row.resource_scales) ?? {};
  // Which resource failure of the task this is (the one being reported counts): a list of scales gives
  // each its own factor.
  const failure = await countResourceFailures(db, transaction, taskId);
  let next = scaleResources(current, scales, scaledMeasure(errorKind), Math.max(failure, 1));
  const fallbacks = parse<string[]>(row.fallback_queues) ?? [];
  // The current queue, then the fallbacks after it (a task already moved on does not go back).
  const position = current.queue === null ? -1 : fallbacks.indexOf(current.queue);
  const names = [
    ...(current.queue !== null && position === -1 ? [current.queue] : []),
    ...fallbacks.slice(Math.max(position, 0)),
  ];
  if (names.length > 0) {
    const bounds = await readQueueBounds(db, transaction, names);
    // A queue no distributor has described is taken as unbounded.
    next = placeInQueues(
      next,
      names.map((name) => bounds.get(name) ?? { name }),
    ).resources;
  }
  const hash = resourcesHash(next);
  const ids = await upsertResources(db, transaction, new Map([[hash, next]]), new Date());
  await db.execute(
    'UPDATE task SET task_resources_id = ? WHERE id = ?',
    [ids.get(hash)!, taskId],
    transaction,
  );
}
