import {
  BadUserInputError,
  NotFoundError,
  mergeResources,
  mergeScales,
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
import { lockVisibleWorkflow } from '../../db/ops/run-control';
import { inList, selectByIds } from '../../db/ops/sql';
import {
  countTemplateTasks,
  groupTemplateTasks,
  remapTemplateTasks,
  templateVersionsOfWorkflow,
} from '../../db/ops/update-resources';
import { logger } from '../../logger';

/** A task's stored scales (JSON text; empty or NULL: none). */
const parseScales = (value: unknown): ResourceScales | null =>
  typeof value === 'string' && value ? (JSON.parse(value) as ResourceScales) : null;

/** Scales as stored; '' stands for none (a Map key; written as NULL). */
const scalesJson = (scales: ResourceScales | null) => (scales ? JSON.stringify(scales) : '');

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
        const merged = scalesJson(mergeScales(parseScales(row.resource_scales), scales));
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
          [json === '' ? null : json],
          transaction,
        );
  });
  logger.info({ taskIds: ids, resources, resourceScales: scales, actor }, 'task resources changed');
  return [...taskIds];
}

/**
 * updateTaskResources over every task of one template of a workflow (the versions named `templateName`
 * that it uses), as updateTaskResources does for tasks given by id: the fields given replace each task's,
 * the others are kept; the next attempts get them. All tasks or none (one transaction). Bounded whatever
 * the template's size: tasks are read grouped by resource set and by scales, and each change is one bulk
 * UPDATE of the template's tasks. Returns how many tasks the template has. NOT_FOUND: no such workflow,
 * or no such template in it (a template of another workflow is not one of its).
 */
export async function updateTemplateTaskResources(
  db: Database,
  workflowId: number,
  templateName: string,
  resources: Resources,
  scales: ResourceScales | null,
  { actor }: { actor: string | null },
): Promise<number> {
  const problems = [
    ...validateResources(resources, 'resources'),
    ...validateScales(scales, 'resourceScales'),
  ];
  if (problems.length) throw new BadUserInputError('Invalid resources', problems);
  const changesResources = Object.values(resources).some((value) => value != null);
  const changesScales = scales !== null && Object.values(scales).some((value) => value != null);
  const taskCount = await db.transaction(async (transaction) => {
    await lockVisibleWorkflow(db, transaction, workflowId);
    const versionIds = await templateVersionsOfWorkflow(db, transaction, workflowId, templateName);
    if (versionIds.length === 0)
      throw new NotFoundError(`Task template of workflow ${workflowId}`, templateName);
    let count: number | null = null;
    if (changesResources) {
      const groups = await groupTemplateTasks(db, transaction, workflowId, versionIds, 'task_resources_id');
      count = groups.reduce((sum, group) => sum + group.tasks, 0);
      const current = await selectByIds<Record<string, unknown>>(
        db,
        transaction,
        'SELECT id, memory_mb, cores, runtime_seconds, queue, extra FROM task_resources',
        groups.map((group) => Number(group.value)),
      );
      // Each resource set the template's tasks use, with the given fields over it.
      const sets = new Map<string, ResolvedResources>();
      const hashOf = new Map<number, string>();
      for (const row of current) {
        const next = mergeResources(resources, resourcesOfRow(row));
        const hash = resourcesHash(next);
        sets.set(hash, next);
        hashOf.set(Number(row.id), hash);
      }
      const setIds = await upsertResources(db, transaction, sets, new Date());
      const changes = new Map<number, number>();
      for (const [from, hash] of hashOf) if (setIds.get(hash)! !== from) changes.set(from, setIds.get(hash)!);
      await remapTemplateTasks(db, transaction, workflowId, versionIds, 'task_resources_id', changes);
    }
    if (changesScales) {
      const groups = await groupTemplateTasks(db, transaction, workflowId, versionIds, 'resource_scales');
      count ??= groups.reduce((sum, group) => sum + group.tasks, 0);
      const changes = new Map<string | null, string>();
      for (const { value } of groups) {
        const from = typeof value === 'string' ? value : null;
        const to = scalesJson(mergeScales(parseScales(from), scales));
        // Given scales leave at least one measure set: `to` is never empty here.
        if (to !== from) changes.set(from, to);
      }
      await remapTemplateTasks(db, transaction, workflowId, versionIds, 'resource_scales', changes);
    }
    return count ?? (await countTemplateTasks(db, transaction, workflowId, versionIds));
  });
  logger.info(
    { workflowId, templateName, taskCount, resources, resourceScales: scales, actor },
    'template task resources changed',
  );
  return taskCount;
}
