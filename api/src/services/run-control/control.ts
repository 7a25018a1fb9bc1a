import type { Transaction } from 'sequelize';
import {
  BadUserInputError,
  EntityType,
  IllegalTransitionError,
  NotFoundError,
  OVERRIDE_STATUSES,
  TaskStatus,
  WorkflowRunStatus,
  isTaskActive,
  planTaskOverride,
  resetRefusal,
  runControlRefusal,
  runSchedules,
  type OverrideStatus,
  type RunControlAction,
} from '../../domain';
import { recordCreated, type Database } from '../../db';
import { activeInstancesOfWorkflow } from '../../db/ops/active-instances';
import { applyChanges } from '../../db/ops/apply-changes';
import { changeRunStatus, latestRuns, type RunRow } from '../../db/ops/change-run-status';
import { finishRunIfComplete } from '../../db/ops/finish-run';
import { queueAllReadyTasks, queueReadyTasks, registeringDownstream } from '../../db/ops/queue-ready-tasks';
import {
  adoptRunningInstances,
  downstreamClosure,
  lockRunForResume,
  lockTasks,
  lockVisibleWorkflow,
  recordResumedBy,
  resetAttemptsOfRegistering,
  resetAttemptsOfWorkflow,
  runHasInstances,
  setTemplateLimit,
  setWorkflowLimit,
  tasksOfWorkflowIn,
  workflowsOfTasks,
} from '../../db/ops/run-control';
import type { EventHub } from '../../events';
import { killInstances } from './kill';

export { OVERRIDE_STATUSES, type OverrideStatus };

export const ResumeMode = { COLD: 'COLD', HOT: 'HOT' } as const;
export type ResumeMode = (typeof ResumeMode)[keyof typeof ResumeMode];

interface Actor {
  actor: string | null;
}

async function latestRunOf(db: Database, transaction: Transaction, workflowId: number): Promise<RunRow> {
  await lockVisibleWorkflow(db, transaction, workflowId);
  const run = (await latestRuns(db, transaction, [workflowId], true)).get(workflowId);
  if (!run) throw new NotFoundError('WorkflowRun of workflow', String(workflowId));
  return run;
}

/**
 * Moves every task of the workflow that is in one of `from` to `to`, grouped by current status (one CAS
 * UPDATE + audit insert each). Returns the ids moved.
 */
async function moveTasksOfWorkflow(
  db: Database,
  transaction: Transaction,
  workflowId: number,
  from: readonly TaskStatus[],
  to: TaskStatus,
  reason: string,
  context: { at: Date; actor: string | null },
): Promise<number[]> {
  const tasks = await tasksOfWorkflowIn(db, transaction, workflowId, from);
  await applyChanges(
    db,
    transaction,
    EntityType.TASK,
    tasks.map((task) => ({ id: task.id, workflowId, from: task.status, to, reason })),
    context,
  );
  return tasks.map((task) => task.id);
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
      await adoptRunningInstances(db, transaction, workflowId, run.id, newRunId);
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
    await recordResumedBy(db, transaction, run.id, actor);
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
    const row = await lockRunForResume(db, transaction, runId);
    if (!row || row.status !== WorkflowRunStatus.COLD_RESUME) return null;
    if ((await activeInstancesOfWorkflow(db, transaction, row.workflowId)).length > 0) return null;
    const run = { id: row.id, workflowId: row.workflowId, status: row.status };
    return finishColdResumeInTransaction(db, transaction, run, row.resumedBy, new Date());
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
  reason = 'resume',
): Promise<number> {
  const created = await db.models.WorkflowRun.create(
    { workflowId, status: WorkflowRunStatus.REGISTERED, user, statusUpdatedAt: at },
    { transaction },
  );
  await recordCreated(db, transaction, EntityType.WORKFLOW_RUN, [created.id], WorkflowRunStatus.REGISTERED, {
    workflowId,
    actor: user,
    at,
    reason,
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
  // The fresh budget is given in REGISTERING, after the move: the kept retrying counts see the move of a
  // task with its attempts, and attempts in REGISTERING count for nothing (TASK_RETRY_MIN_ATTEMPTS).
  const moved = await moveTasksOfWorkflow(
    db,
    transaction,
    workflowId,
    statuses,
    TaskStatus.REGISTERING,
    'resume',
    context,
  );
  await resetAttemptsOfRegistering(db, transaction, moved);
}

/** The new run becomes BOUND with its ready tasks QUEUED (RUNNING if it adopted running instances). */
async function startRun(
  db: Database,
  transaction: Transaction,
  run: RunRow,
  context: { at: Date; actor: string | null },
  reason = 'resume',
): Promise<void> {
  await queueAllReadyTasks(db, transaction, run.workflowId, context);
  await changeRunStatus(db, transaction, run, WorkflowRunStatus.BOUND, { ...context, reason });
  if (await runHasInstances(db, transaction, run.id))
    await changeRunStatus(db, transaction, run, WorkflowRunStatus.RUNNING, {
      ...context,
      reason: 'adopted instances',
    });
  await finishRunIfComplete(db, transaction, run, context);
}

export const RESET_REASON = 'workflow reset';

/**
 * resetWorkflow (Jobmon's workflow_reset): a workflow whose latest run has ended (DONE, ERROR or STOPPED)
 * starts again from scratch: every task (with `partial`, every task not DONE) goes back to REGISTERING
 * with its attempts counted afresh, and a new run starts (its ready tasks QUEUED). The old run is
 * TERMINATED (a DONE one stays DONE). Audit rows carry the reason `workflow reset`. Refused with
 * ILLEGAL_TRANSITION while a run is active. Returns the new run's id.
 */
export async function resetWorkflow(
  db: Database,
  workflowId: number,
  { actor, partial = false }: Actor & { partial?: boolean },
): Promise<number> {
  return db.transaction(async (transaction) => {
    const at = new Date();
    const context = { at, actor };
    const run = await latestRunOf(db, transaction, workflowId);
    const refusal = resetRefusal(workflowId, run);
    if (refusal)
      throw new IllegalTransitionError(
        EntityType.WORKFLOW_RUN,
        run.status,
        WorkflowRunStatus.TERMINATED,
        run.id,
        refusal,
      );
    if (run.status !== WorkflowRunStatus.DONE && run.status !== WorkflowRunStatus.TERMINATED)
      await changeRunStatus(db, transaction, run, WorkflowRunStatus.TERMINATED, {
        ...context,
        reason: RESET_REASON,
      });
    const newRunId = await createRun(db, transaction, workflowId, actor, at, RESET_REASON);
    const from = Object.values(TaskStatus).filter(
      (status) => status !== TaskStatus.REGISTERING && !(partial && status === TaskStatus.DONE),
    );
    await moveTasksOfWorkflow(
      db,
      transaction,
      workflowId,
      from,
      TaskStatus.REGISTERING,
      RESET_REASON,
      context,
    );
    // Every task counts its attempts afresh, now that none is in a status where they decide a retry.
    await resetAttemptsOfWorkflow(db, transaction, workflowId);
    await startRun(
      db,
      transaction,
      { id: newRunId, workflowId, status: WorkflowRunStatus.REGISTERED },
      context,
      RESET_REASON,
    );
    return newRunId;
  });
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
      await setWorkflowLimit(db, transaction, workflowId, limit);
      return;
    }
    const changed = await setTemplateLimit(db, transaction, workflowId, templateName, limit);
    if (changed === 0) throw new NotFoundError(`Task template of workflow ${workflowId}`, templateName);
  });
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
    const given = await lockTasks(db, transaction, taskIds);
    const found = new Set(given.map((row) => row.id));
    const missing = taskIds.find((id) => !found.has(id));
    if (missing !== undefined) throw new NotFoundError('Task', String(missing));
    const subtree = recursive ? await downstreamClosure(db, transaction, [...found]) : [];
    const below = await lockTasks(db, transaction, subtree);
    const reason = 'set by hand';
    // The subtree of a rerun runs again after it; of a DONE or ERROR_FATAL override, it takes the same status.
    const changes = planTaskOverride([...given, ...below], status, reason);
    const workflowIds = new Set(changes.map((change) => change.workflowId));
    const touched = new Set(changes.map((change) => change.id));
    for (const workflowId of workflowIds) {
      const active = new Set(
        changes.filter((c) => c.workflowId === workflowId && isTaskActive(c.from)).map((c) => c.id),
      );
      if (active.size) await killInstances(db, transaction, workflowId, { ...context, reason }, active);
    }
    await applyChanges(db, transaction, EntityType.TASK, changes, context);
    await resetAttemptsOfRegistering(db, transaction, [...touched]);
    const done = changes.filter((c) => c.to === TaskStatus.DONE).map((c) => c.id);
    const candidates = [
      ...changes.filter((c) => c.to === TaskStatus.REGISTERING).map((c) => c.id),
      ...(await registeringDownstream(db, transaction, done)),
    ];
    // Only a run that goes on queues work; a finished run's tasks wait for a resume.
    const runs = await latestRuns(db, transaction, [...workflowIds]);
    const liveRuns = [...runs.values()].filter((run) => runSchedules(run.status));
    const live = new Set(liveRuns.map((run) => run.workflowId));
    const liveCandidates = candidates.length
      ? [...(await workflowsOfTasks(db, transaction, candidates))]
          .filter(([, workflowId]) => live.has(workflowId))
          .map(([id]) => id)
      : [];
    await queueReadyTasks(db, transaction, liveCandidates, context);
    for (const run of liveRuns) await finishRunIfComplete(db, transaction, run, context);
    return [...touched];
  });
}
