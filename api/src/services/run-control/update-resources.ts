import {
  BadUserInputError,
  NotFoundError,
  mergeResources,
  resourcesHash,
  validateResources,
  validateScales,
  type ResolvedResources,
  type ResourceScales,
  type Resources,
} from '../../domain';
import { chunks, type Database } from '../../db';
import { upsertResources } from '../../db/ops/bind-workflow';
import { resourcesOfRow } from '../../db/ops/queue-bounds';
import { inList, selectByIds } from '../../db/ops/sql';
import { logger } from '../../logger';

/**
 * updateTaskResources: a person changes what tasks ask for, e.g. after an attempt ran out of memory with
 * no scale left to raise it. The fields given replace the task's current ones (the others are kept); the
 * next attempt gets them, a running attempt keeps what it was given. Resources are content-addressed
 * rows, so tasks that end up alike share one. Returns the task ids, in the order asked.
 */
export async function updateTaskResources(
  db: Database,
  taskIds: readonly number[],
  resources: Resources,
  scales: ResourceScales | null,
  { actor }: { actor: string | null },
): Promise<number[]> {
  const problems = [
    ...validateResources(resources, 'resources'),
    ...validateScales(scales, 'resourceScales'),
  ];
  if (problems.length) throw new BadUserInputError('Invalid resources', problems);
  const ids = [...new Set(taskIds)];
  if (ids.length === 0) return [];
  await db.transaction(async (transaction) => {
    const rows = await selectByIds<Record<string, unknown>>(
      db,
      transaction,
      `SELECT t.id, t.resource_scales, r.memory_mb, r.cores, r.runtime_seconds, r.queue, r.extra
         FROM task t JOIN task_resources r ON r.id = t.task_resources_id`,
      ids,
      { column: 't.id', lock: true },
    );
    const found = new Map(rows.map((row) => [Number(row.id), row]));
    const missing = ids.find((id) => !found.has(id));
    if (missing !== undefined) throw new NotFoundError('Task', missing);

    // The given fields over each task's current ones; tasks grouped by their new resource set.
    const sets = new Map<string, ResolvedResources>();
    const tasksBySet = new Map<string, number[]>();
    const tasksByScales = new Map<string, number[]>();
    for (const [id, row] of found) {
      const next = mergeResources(resources, resourcesOfRow(row));
      const hash = resourcesHash(next);
      sets.set(hash, next);
      tasksBySet.set(hash, [...(tasksBySet.get(hash) ?? []), id]);
      if (scales) {
        const current =
          typeof row.resource_scales === 'string' && row.resource_scales
            ? (JSON.parse(row.resource_scales) as ResourceScales)
            : {};
        const merged = JSON.stringify({
          ...current,
          ...Object.fromEntries(Object.entries(scales).filter(([, value]) => value != null)),
        });
        tasksByScales.set(merged, [...(tasksByScales.get(merged) ?? []), id]);
      }
    }
    const setIds = await upsertResources(db, transaction, sets, new Date());
    for (const [hash, tasks] of tasksBySet)
      for (const part of chunks(tasks, 2000))
        await db.execute(
          `UPDATE task SET task_resources_id = ? WHERE id IN (${inList(db, part)})`,
          [setIds.get(hash)!],
          transaction,
        );
    for (const [json, tasks] of tasksByScales)
      for (const part of chunks(tasks, 2000))
        await db.execute(
          `UPDATE task SET resource_scales = ? WHERE id IN (${inList(db, part)})`,
          [json],
          transaction,
        );
  });
  logger.info({ taskIds: ids, resources, resourceScales: scales, actor }, 'task resources changed');
  return [...taskIds];
}
