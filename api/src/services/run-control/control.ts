import type { Transaction } from 'sequelize';
import {
  BadUserInputError,
  EntityType,
  IllegalTransitionError,
  NotFoundError,
  TASK_INSTANCE_ACTIVE_STATUSES,
  TaskInstanceStatus,
  TaskStatus,
  WorkflowRunStatus,
  canTransition,
  isTaskActive,
  runControlRefusal,
  type RunControlAction,
} from '../../domain';
import { chunks, recordCreated, type Database } from '../../db';
import { activeInstancesOfWorkflow } from '../../db/ops/active-instances';
import { applyChanges, type StatusChange } from '../../db/ops/apply-changes';
import { changeRunStatus, latestRuns, type RunRow } from '../../db/ops/change-run-status';
import { finishRunIfComplete } from '../../db/ops/finish-run';
import { queueAllReadyTasks, queueReadyTasks, registeringDownstream } from '../../db/ops/queue-ready-tasks';
import { forUpdate, inList, selectByIds, statusList } from '../../db/ops/sql';
import type { EventHub } from '../../events';
import { killInstances } from './kill';

export const ResumeMode = { COLD: 'COLD', HOT: 'HOT' } as const;
export type ResumeMode = (typeof ResumeMode)[keyof typeof ResumeMode];

interface Actor {
  actor: string | null;
}

/** Locks a workflow that is visible (not an open chunked binding); NOT_FOUND otherwise. */
async function lockVisibleWorkflow(
  db: Database,
  transaction: Transaction,
  workflowId: number,
): Promise<void> {
  const visible = await db.select<{ id: number }>(
    `SELECT id FROM workflow WHERE id = ? AND binding_token IS NULL${forUpdate(db)}`,
    [workflowId],
    transaction,
  );
  if (visible.length === 0) throw new NotFoundError('Workflow', String(workflowId));
}

async function latestRunOf(db: Database, transaction: Transaction, workflowId: number): Promise<RunRow> {
  await lockVisibleWorkflow(db, transaction, workflowId);
  const run = (await latestRuns(db, transaction, [workflowId], true)).get(workflowId);
  if (!run) throw new NotFoundError('WorkflowRun of workflow', String(workflowId));
  return run;
}

/**
 * Moves every task of the workflow that is in one of `from` to `to`, grouped by current status (one CAS
 * UPDATE + audit insert each); `alsoSet` adds assignments to those UPDATEs.
 */
async function moveTasksOfWorkflow(
  db: Database,
  transaction: Transaction,
  workflowId: number,
  from: readonly TaskStatus[],
  to: TaskStatus,
  reason: string,
  context: { at: Date; actor: string | null; alsoSet?: string },
): Promise<void> {
  const rows = await db.select<{ id: number; status: TaskStatus }>(
    `SELECT id, status FROM task WHERE workflow_id = ? AND status IN (${statusList(db, from)})`,
    [workflowId],
    transaction,
  );
  await applyChanges(
    db,
    transaction,
    EntityType.TASK,
    rows.map((row) => ({ id: Number(row.id), workflowId, from: row.status, to, reason })),
    context,
  );
}

const UNFINISHED_TASK_STATUSES = Object.values(TaskStatus).filter(
  (status) => status !== TaskStatus.DONE && status !== TaskStatus.ERROR_FATAL,
);

/** Throws ILLEGAL_TRANSITION, worded for the person who asked, when the workflow's latest run cannot. */
function refuseRunControl(
  action: RunControlAction,
  workflowId: number,
  run: { id: number; status: WorkflowRunStatus },
  mode: ResumeMode = ResumeMode.COLD,
): void {
  const refusal = runControlRefusal(action, workflowId, run, mode);
  const target =
    action === 'stop'
      ? WorkflowRunStatus.STOPPED
      : mode === ResumeMode.HOT
        ? WorkflowRunStatus.HOT_RESUME
        : WorkflowRunStatus.COLD_RESUME;
  if (refusal) throw new IllegalTransitionError(EntityType.WORKFLOW_RUN, run.status, target, run.id, refusal);
}

/**
 * stopWorkflow: the active run becomes STOPPED (the workflow HALTED), its running instances are asked to
 * die (KILL_SELF; the reaper gives up on unconfirmed kills), unfinished tasks become ERROR_FATAL with the
 * reason `stopped`. Resume picks up from there.
 */
export async function stopWorkflow(
  db: Database,
  workflowId: number,
  reason: string | null,
  { actor }: Actor,
): Promise<void> {
  await db.transaction(async (transaction) => {
    const at = new Date();
    const context = { at, actor };
    const run = await latestRunOf(db, transaction, workflowId);
    refuseRunControl('stop', workflowId, run);
    const why = reason ? `stopped: ${reason}` : 'stopped';
    await killInstances(db, transaction, workflowId, { ...context, reason: why });
    await moveTasksOfWorkflow(
      db,
      transaction,
      workflowId,
      UNFINISHED_TASK_STATUSES,
      TaskStatus.ERROR_FATAL,
      'stopped',
      context,
    );
    await changeRunStatus(db, transaction, run, WorkflowRunStatus.STOPPED, { ...context, reason: why });
  });
}

/**
 * resumeWorkflow: a new run takes over; DONE tasks never run again.
 * HOT: running instances go on and are adopted by the new run; failed tasks are reset and queued.
 * COLD: running instances are killed; once their kills are confirmed (or given up after the kill timeout)
 * every task that is not DONE is reset and the new run starts (finishColdResume). Returns the run that will
 * do the work: the new one, or for a cold resume that waits for kills, the old one in COLD_RESUME.
 */
export async function resumeWorkflow(
  db: Database,
  workflowId: number,
  mode: ResumeMode,
  { actor }: Actor,
): Promise<number> {
  return db.transaction(async (transaction) => {
    const at = new Date();
    const context = { at, actor };
    const run = await latestRunOf(db, transaction, workflowId);
    refuseRunControl('resume', workflowId, run, mode);
    if (mode === ResumeMode.HOT) {
      await changeRunStatus(db, transaction, run, WorkflowRunStatus.HOT_RESUME, {
        ...context,
        reason: 'hot resume',
      });
      const newRunId = await createRun(db, transaction, workflowId, actor, at);
      // Instances still running carry on under the new run; those being killed stay with the old one.
      await db.execute(
        `UPDATE task_instance SET workflow_run_id = ? WHERE workflow_id = ? AND workflow_run_id = ? AND status IN (${statusList(
          db,
          TASK_INSTANCE_ACTIVE_STATUSES.filter((status) => status !== TaskInstanceStatus.KILL_SELF),
        )})`,
        [newRunId, workflowId, run.id],
        transaction,
      );
      await changeRunStatus(db, transaction, run, WorkflowRunStatus.TERMINATED, {
        ...context,
        reason: 'hot resume',
      });
      await resetTasks(db, transaction, workflowId, false, context);
      await startRun(
        db,
        transaction,
        { id: newRunId, workflowId, status: WorkflowRunStatus.REGISTERED },
        context,
      );
      return newRunId;
    }
    await changeRunStatus(db, transaction, run, WorkflowRunStatus.COLD_RESUME, {
      ...context,
      reason: 'cold resume',
    });
    await db.execute('UPDATE workflow_run SET resumed_by = ? WHERE id = ?', [actor, run.id], transaction);
    await killInstances(db, transaction, workflowId, { ...context, reason: 'cold resume' });
    const pending = await activeInstancesOfWorkflow(db, transaction, workflowId);
    if (pending.length > 0) return run.id; // finishColdResume runs when the kills are confirmed
    return finishColdResumeInTransaction(db, transaction, run, actor, at);
  });
}

/**
 * The second half of a cold resume, once none of the workflow's instances runs any more: the old run is
 * TERMINATED, every task that is not DONE goes back to REGISTERING (those ready are QUEUED) and a new
 * run starts. Called by the reaper for runs in COLD_RESUME.
 */
export async function finishColdResume(db: Database, runId: number): Promise<number | null> {
  return db.transaction(async (transaction) => {
    const rows = await db.select<{
      id: number;
      workflow_id: number;
      status: WorkflowRunStatus;
      resumed_by: string | null;
    }>(
      `SELECT id, workflow_id, status, resumed_by FROM workflow_run WHERE id = ?${forUpdate(db)}`,
      [runId],
      transaction,
    );
    const row = rows[0];
    if (!row || row.status !== WorkflowRunStatus.COLD_RESUME) return null;
    const workflowId = Number(row.workflow_id);
    if ((await activeInstancesOfWorkflow(db, transaction, workflowId)).length > 0) return null;
    const run = { id: Number(row.id), workflowId, status: row.status };
    return finishColdResumeInTransaction(db, transaction, run, row.resumed_by, new Date());
  });
}

async function finishColdResumeInTransaction(
  db: Database,
  transaction: Transaction,
  run: RunRow,
  actor: string | null,
  at: Date,
): Promise<number> {
  const context = { at, actor };
  await changeRunStatus(db, transaction, run, WorkflowRunStatus.TERMINATED, {
    ...context,
    reason: 'cold resume',
  });
  const newRunId = await createRun(db, transaction, run.workflowId, actor, at);
  await resetTasks(db, transaction, run.workflowId, true, context);
  await startRun(
    db,
    transaction,
    { id: newRunId, workflowId: run.workflowId, status: WorkflowRunStatus.REGISTERED },
    context,
  );
  return newRunId;
}

async function createRun(
  db: Database,
  transaction: Transaction,
  workflowId: number,
  user: string | null,
  at: Date,
): Promise<number> {
  const created = await db.models.WorkflowRun.create(
    { workflowId, status: WorkflowRunStatus.REGISTERED, user, statusUpdatedAt: at },
    { transaction },
  );
  await recordCreated(db, transaction, EntityType.WORKFLOW_RUN, [created.id], WorkflowRunStatus.REGISTERED, {
    workflowId,
    actor: user,
    at,
    reason: 'resume',
  });
  return created.id;
}

/**
 * Resets unfinished tasks for a new run: back to REGISTERING with a fresh attempt budget. A cold reset
 * takes every task that is not DONE; a hot one leaves in-flight and queued tasks alone.
 */
async function resetTasks(
  db: Database,
  transaction: Transaction,
  workflowId: number,
  cold: boolean,
  context: { at: Date; actor: string | null },
): Promise<void> {
  const statuses = cold
    ? Object.values(TaskStatus).filter(
        (status) => status !== TaskStatus.DONE && status !== TaskStatus.REGISTERING,
      )
    : [TaskStatus.ERROR_FATAL, TaskStatus.ERROR_RECOVERABLE, TaskStatus.ADJUSTING_RESOURCES];
  await moveTasksOfWorkflow(db, transaction, workflowId, statuses, TaskStatus.REGISTERING, 'resume', {
    ...context,
    alsoSet: 'num_attempts = 0',
  });
}

/** The new run becomes BOUND with its ready tasks QUEUED (RUNNING if it adopted running instances). */
async function startRun(
  db: Database,
  transaction: Transaction,
  run: RunRow,
  context: { at: Date; actor: string | null },
): Promise<void> {
  await queueAllReadyTasks(db, transaction, run.workflowId, context);
  await changeRunStatus(db, transaction, run, WorkflowRunStatus.BOUND, { ...context, reason: 'resume' });
  const adopted = await db.select<{ one: number }>(
    `SELECT 1 AS one FROM task_instance WHERE workflow_run_id = ? LIMIT 1`,
    [run.id],
    transaction,
  );
  if (adopted.length > 0)
    await changeRunStatus(db, transaction, run, WorkflowRunStatus.RUNNING, {
      ...context,
      reason: 'adopted instances',
    });
  await finishRunIfComplete(db, transaction, run, context);
}

/**
 * setMaxConcurrentlyRunning: the workflow's limit, or one template's limit within it (null: no limit).
 * `events` (the server's hub; none outside a server) wakes the distributors.
 */
export async function setMaxConcurrentlyRunning(
  db: Database,
  workflowId: number,
  templateName: string | null,
  limit: number | null,
  events: Pick<EventHub, 'signalWorkQueued'> | null = null,
): Promise<void> {
  if (limit !== null && (!Number.isInteger(limit) || limit < 0))
    throw new BadUserInputError(`limit must be a non-negative integer, got ${limit}`, ['limit']);
  await db.transaction(async (transaction) => {
    await lockVisibleWorkflow(db, transaction, workflowId);
    // A changed limit may free slots: distributors are woken once it commits (a lowered one costs a claim).
    events?.signalWorkQueued({ transaction });
    if (templateName === null) {
      if (limit === null) throw new BadUserInputError('a workflow limit cannot be null', ['limit']);
      await db.execute(
        'UPDATE workflow SET max_concurrently_running = ?, updated_at = ? WHERE id = ?',
        [limit, new Date(), workflowId],
        transaction,
      );
      return;
    }
    const changed = await db.execute(
      `UPDATE workflow_task_template SET max_concurrently_running = ? WHERE workflow_id = ? AND task_template_version_id IN (
         SELECT tv.id FROM task_template_version tv JOIN task_template tt ON tt.id = tv.task_template_id WHERE tt.name = ?)`,
      [limit, workflowId, templateName],
      transaction,
    );
    if (changed === 0) throw new NotFoundError(`Task template of workflow ${workflowId}`, templateName);
  });
}

/** Statuses a person may set by hand. */
export const OVERRIDE_STATUSES = [TaskStatus.DONE, TaskStatus.QUEUED, TaskStatus.ERROR_FATAL] as const;
export type OverrideStatus = (typeof OVERRIDE_STATUSES)[number];

const DOWNSTREAM_PAGE = 2000;

/** The tasks reachable downstream of `roots` (not including them), breadth first over the edge table. */
async function downstreamClosure(db: Database, transaction: Transaction, roots: readonly number[]) {
  const seen = new Set(roots);
  let frontier = [...roots];
  const out: number[] = [];
  while (frontier.length) {
    const next: number[] = [];
    for (const part of chunks(frontier, DOWNSTREAM_PAGE)) {
      const rows = await db.select<{ id: number }>(
        `SELECT DISTINCT downstream_task_id AS id FROM edge WHERE upstream_task_id IN (${inList(db, part)})`,
        [],
        transaction,
      );
      for (const row of rows) {
        const id = Number(row.id);
        if (seen.has(id)) continue;
        seen.add(id);
        next.push(id);
        out.push(id);
      }
    }
    frontier = next;
  }
  return out;
}

/**
 * setTaskStatus: a person's audited override. DONE lets the downstream run (its ready tasks are QUEUED);
 * QUEUED reruns the task (REGISTERING until its upstreams are DONE), with `recursive` its whole downstream
 * subtree too; ERROR_FATAL gives it up. Instances of overridden tasks that still run are killed. Every
 * task must be able to make the move, or nothing changes (ILLEGAL_TRANSITION names the first that cannot).
 */
export async function setTaskStatus(
  db: Database,
  taskIds: readonly number[],
  status: OverrideStatus,
  recursive: boolean,
  { actor }: Actor,
): Promise<number[]> {
  if (!(OVERRIDE_STATUSES as readonly string[]).includes(status))
    throw new BadUserInputError(`status must be one of ${OVERRIDE_STATUSES.join(', ')}`, ['status']);
  if (taskIds.length === 0) return [];
  return db.transaction(async (transaction) => {
    const at = new Date();
    const context = { at, actor };
    const given = await selectByIds<{ id: number; workflow_id: number; status: TaskStatus }>(
      db,
      transaction,
      'SELECT id, workflow_id, status FROM task',
      taskIds,
      { lock: true },
    );
    const found = new Set(given.map((row) => Number(row.id)));
    const missing = taskIds.find((id) => !found.has(id));
    if (missing !== undefined) throw new NotFoundError('Task', String(missing));
    const subtree = recursive ? await downstreamClosure(db, transaction, [...found]) : [];
    const below = await selectByIds<{ id: number; workflow_id: number; status: TaskStatus }>(
      db,
      transaction,
      'SELECT id, workflow_id, status FROM task',
      subtree,
      { lock: true },
    );
    const changes: StatusChange<typeof EntityType.TASK>[] = [];
    const reason = 'set by hand';
    const plan = (row: { id: number; workflow_id: number; status: TaskStatus }, to: TaskStatus) => {
      const id = Number(row.id);
      if (row.status === to) return;
      if (!canTransition(EntityType.TASK, row.status, to))
        throw new IllegalTransitionError(EntityType.TASK, row.status, to, id);
      changes.push({ id, workflowId: Number(row.workflow_id), from: row.status, to, reason });
    };
    // A rerun first waits for its upstreams: REGISTERING, queued below when they are all DONE.
    const target = status === TaskStatus.QUEUED ? TaskStatus.REGISTERING : status;
    for (const row of given) plan(row, target);
    // The subtree of a rerun runs again after it; of a DONE or ERROR_FATAL override, it takes the same status.
    for (const row of below) plan(row, target);
    const workflowIds = new Set(changes.map((change) => change.workflowId));
    const touched = new Set(changes.map((change) => change.id));
    for (const workflowId of workflowIds) {
      const active = new Set(
        changes.filter((c) => c.workflowId === workflowId && isTaskActive(c.from)).map((c) => c.id),
      );
      if (active.size) await killInstances(db, transaction, workflowId, { ...context, reason }, active);
    }
    await applyChanges(db, transaction, EntityType.TASK, changes, context);
    if (touched.size) {
      await db.execute(
        `UPDATE task SET num_attempts = 0 WHERE id IN (${inList(db, [...touched])}) AND status = ?`,
        [TaskStatus.REGISTERING],
        transaction,
      );
    }
    const done = changes.filter((c) => c.to === TaskStatus.DONE).map((c) => c.id);
    const candidates = [
      ...changes.filter((c) => c.to === TaskStatus.REGISTERING).map((c) => c.id),
      ...(await registeringDownstream(db, transaction, done)),
    ];
    // Only a run that goes on queues work; a finished run's tasks wait for a resume.
    const runs = await latestRuns(db, transaction, [...workflowIds]);
    const liveRuns = [...runs.values()].filter(
      (run) => run.status === WorkflowRunStatus.RUNNING || run.status === WorkflowRunStatus.BOUND,
    );
    const live = new Set(liveRuns.map((run) => run.workflowId));
    const liveCandidates = candidates.length
      ? (
          await selectByIds<{ id: number; workflow_id: number }>(
            db,
            transaction,
            'SELECT id, workflow_id FROM task',
            candidates,
          )
        )
          .filter((row) => live.has(Number(row.workflow_id)))
          .map((row) => Number(row.id))
      : [];
    await queueReadyTasks(db, transaction, liveCandidates, context);
    for (const run of liveRuns) await finishRunIfComplete(db, transaction, run, context);
    return [...touched];
  });
}
