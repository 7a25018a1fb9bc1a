import DataLoader from 'dataloader';
import type { Database } from '../db';
import * as reads from '../db/ops/reads';
import { maxAuditEventId } from '../events/audit-log';
import { readDistributorPlacement, readUpstreamProgress } from '../db/ops/block-facts';
import type { DistributorFacts } from '../domain/blocked-by';

// One set of DataLoaders per request: every relation is read in batches, never row by row.

function byId<T extends { id: number }>(read: (ids: readonly number[]) => Promise<T[]>) {
  return new DataLoader<number, T | null>(async (ids) => {
    const rows = new Map((await read(ids)).map((row) => [Number(row.id), row]));
    return ids.map((id) => rows.get(id) ?? null);
  });
}

function groupedBy<T>(read: (keys: readonly number[]) => Promise<T[]>, keyOf: (row: T) => number) {
  return new DataLoader<number, T[]>(async (keys) => {
    const groups = new Map<number, T[]>();
    for (const row of await read(keys)) {
      const key = keyOf(row);
      let group = groups.get(key);
      if (!group) groups.set(key, (group = []));
      group.push(row);
    }
    return keys.map((key) => groups.get(key) ?? []);
  });
}

export function createLoaders(db: Database) {
  let auditPosition: Promise<number> | undefined;
  let distributors: Promise<DistributorFacts[]> | undefined;
  return {
    /**
     * The newest audit id, read once per request (Task.lastEventId, TaskInstance.lastEventId): task(id)
     * and taskInstance(id) read it before their row, so their response shows at least every change up
     * to it and `taskStatusChanged(since: it)` brings every later one.
     */
    auditPosition: (): Promise<number> => (auditPosition ??= maxAuditEventId(db, { background: false })),
    workflow: byId((ids) => reads.readWorkflows(db, ids)),
    tool: byId((ids) => reads.readTools(db, ids)),
    run: byId((ids) => reads.readRuns(db, ids)),
    task: byId((ids) => reads.readTasks(db, ids)),
    taskInstance: byId((ids) => reads.readInstances(db, ids)),
    resources: byId((ids) => reads.readResources(db, ids)),
    templateVersion: byId((ids) => reads.readTemplateVersions(db, ids)),
    runsOfWorkflow: groupedBy(
      (ids) => reads.readRunsOfWorkflows(db, ids),
      (row) => row.workflowId,
    ),
    instancesOfTask: groupedBy(
      (ids) => reads.readInstancesOfTasks(db, ids),
      (row) => row.taskId,
    ),
    /** Task id → its newest attempt (Task.lastAttempt): one statement for a page of tasks. */
    lastInstanceOfTask: groupedBy(
      (ids) => reads.readLastInstancesOfTasks(db, ids),
      (row) => row.taskId,
    ),
    /** Task id → the error message of its newest attempt that has one (Task.lastError). */
    lastErrorOfTask: groupedBy(
      (ids) => reads.readLastErrorsOfTasks(db, ids),
      (row) => row.taskId,
    ),
    upstreamOfTask: groupedBy(
      (ids) => reads.readEdges(db, 'downstream', ids),
      (edge) => edge.downstream,
    ),
    downstreamOfTask: groupedBy(
      (ids) => reads.readEdges(db, 'upstream', ids),
      (edge) => edge.upstream,
    ),
    statusCountsOfWorkflow: groupedBy(
      (ids) => reads.readStatusCounts(db, ids),
      (row) => row.groupId,
    ),
    templatesOfWorkflow: groupedBy(
      (ids) => reads.readWorkflowTemplates(db, ids),
      (row) => row.workflowId,
    ),
    templateStatusCountsOfWorkflow: groupedBy(
      (ids) => reads.readTemplateStatusCountsOfWorkflows(db, ids),
      (row) => row.workflowId,
    ),
    templateUsageOfWorkflow: groupedBy(
      (ids) => reads.readTemplateUsageOfWorkflows(db, ids),
      (row) => row.workflowId,
    ),
    /** Per task: its upstream tasks and how many are not DONE (Task.blockedBy). */
    upstreamProgress: new DataLoader<number, { total: number; notDone: number }>(async (ids) => {
      const rows = new Map((await readUpstreamProgress(db, ids)).map((row) => [row.taskId, row]));
      return ids.map((id) => rows.get(id) ?? { total: 0, notDone: 0 });
    }),
    /** The registered distributors (Task.blockedBy, Task.waitingReason): read once per request. */
    distributors: (): Promise<DistributorFacts[]> => (distributors ??= readDistributorPlacement(db)),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
