import type { Transaction } from 'sequelize';
import {
  DEFAULT_INPUT_LIMITS,
  EntityType,
  TaskInstanceStatus,
  textProblem,
  utf8Tail,
  type InputLimits,
  type TextKind,
  TaskStatus,
  WorkflowRunStatus,
  canTransition,
  isTaskActive,
  type StatusOf,
} from '../../domain';
import type { Database } from '../../db';
import { bulkUpdateById, type UpdateColumn } from '../../db/bulk';
import {
  applyChanges,
  changeRunStatus,
  finishRunIfComplete,
  inList,
  queueReadyDownstream,
  selectByIds,
  type RunRow,
  type StatusChange,
} from '../../db/ops/engine';
import { logger } from '../../logger';
import { claimInTransaction, type ClaimedInstance } from '../claims/claim';
import { escalateResources } from './escalate';
import { killInstances } from '../run-control/kill';

export const TaskInstanceOutcome = {
  DONE: 'DONE',
  ERROR: 'ERROR',
  RESOURCE_ERROR: 'RESOURCE_ERROR',
  UNKNOWN_ERROR: 'UNKNOWN_ERROR',
  NO_DISTRIBUTOR_ID: 'NO_DISTRIBUTOR_ID',
  KILLED: 'KILLED',
} as const;
export type TaskInstanceOutcome = (typeof TaskInstanceOutcome)[keyof typeof TaskInstanceOutcome];

const INSTANCE_STATUS_OF_OUTCOME: Readonly<Record<TaskInstanceOutcome, TaskInstanceStatus>> = {
  DONE: TaskInstanceStatus.DONE,
  ERROR: TaskInstanceStatus.ERROR,
  RESOURCE_ERROR: TaskInstanceStatus.RESOURCE_ERROR,
  UNKNOWN_ERROR: TaskInstanceStatus.UNKNOWN_ERROR,
  NO_DISTRIBUTOR_ID: TaskInstanceStatus.NO_DISTRIBUTOR_ID,
  KILLED: TaskInstanceStatus.ERROR_FATAL,
};

export interface FinishedReport {
  id: number;
  outcome: TaskInstanceOutcome;
  exitCode?: number | null;
  errorKind?: string | null;
  errorMessage?: string | null;
  hostname?: string | null;
  startedAt?: Date | null;
  finishedAt?: Date | null;
  stdoutPath?: string | null;
  stderrPath?: string | null;
  stdoutTail?: string | null;
  stderrTail?: string | null;
  usage?: { maxRssMb?: number | null; wallSeconds?: number | null; cpuSeconds?: number | null } | null;
}

export interface LaunchReport {
  id: number;
  backendJobId?: string | null;
  stdoutPath?: string | null;
  stderrPath?: string | null;
}

export interface RunningReport {
  id: number;
  hostname?: string | null;
  backendJobId?: string | null;
  startedAt?: Date | null;
}

export interface ReportResult {
  accepted: number[];
  ignored: { id: number; reason: string }[];
  killInstanceIds: number[];
  claimed: ClaimedInstance[];
}

export interface ReportOptions {
  actor?: string | null;
  /** Only instances of this distributor may be reported (a distributor's own reports). */
  distributorId?: number | null;
  /** Claim this many more in the same transaction (needs distributorId). */
  claimLimit?: number;
  /** Used by the reaper: the reason written on the audit rows. */
  reason?: string | null;
  /** Output tails keep their last this many UTF-8 bytes (config.limits.maxTailBytes). */
  tailBytes?: number;
  /**
   * Used by the reaper: the server gives these attempts up while their commands may still run. Their
   * distributor claims nothing more until it has killed them or reported their end (a late result).
   */
  givingUp?: boolean;
}

/** The free-text fields of each kind of report, and how each is bounded (domain/limits.ts). */
const REPORT_TEXT_FIELDS = {
  launched: { backendJobId: 'name', stdoutPath: 'path', stderrPath: 'path' },
  running: { hostname: 'name', backendJobId: 'name' },
  // Output tails are not refused: they are cut to their end (`tail`).
  finished: {
    errorKind: 'errorKind',
    errorMessage: 'output',
    hostname: 'name',
    stdoutPath: 'path',
    stderrPath: 'path',
  },
} as const satisfies Record<string, Record<string, TextKind>>;

/**
 * Why reports cannot be stored, one line per field (empty: they can). The API refuses such a request with
 * BAD_USER_INPUT before anything is written; a distributor then ends the attempt with a short report of
 * its own (REPORT_REFUSED) instead of sending the refused one again.
 */
export function reportProblems(
  kind: keyof typeof REPORT_TEXT_FIELDS,
  reports: readonly { id: number | string }[],
  limits: InputLimits = DEFAULT_INPUT_LIMITS,
): string[] {
  const problems: string[] = [];
  const fields = Object.entries(REPORT_TEXT_FIELDS[kind]) as [string, TextKind][];
  for (const report of reports)
    for (const [field, textKind] of fields) {
      const value = (report as Record<string, unknown>)[field] as string | null | undefined;
      const problem = textProblem(value, `task instance ${report.id}: ${field}`, textKind, limits);
      if (problem) problems.push(problem);
    }
  return problems;
}

interface InstanceRow {
  id: number;
  task_id: number;
  workflow_id: number;
  workflow_run_id: number;
  distributor_id: number | null;
  status: TaskInstanceStatus;
  /** Set when the server gave the attempt up while its command may still run (see givingUp). */
  given_up_at: Date | string | null;
  /** The workflow's newest run and the status of the instance's own run. */
  latest_run_id: number;
  run_status: WorkflowRunStatus;
}

interface TaskRow {
  id: number;
  workflow_id: number;
  status: TaskStatus;
  num_attempts: number;
  max_attempts: number;
  newest_instance_id: number;
}

// The columns each kind of report writes (keepExisting: a value not reported leaves the stored one).
const LAUNCHED_FIELDS: UpdateColumn[] = [
  { column: 'backend_job_id', keepExisting: true },
  { column: 'stdout_path', keepExisting: true },
  { column: 'stderr_path', keepExisting: true },
  { column: 'submitted_at' },
  { column: 'heartbeat_at' },
];
const RUNNING_FIELDS: UpdateColumn[] = [
  { column: 'hostname', keepExisting: true },
  { column: 'backend_job_id', keepExisting: true },
  { column: 'started_at' },
  { column: 'heartbeat_at' },
];
const FINISHED_FIELDS: UpdateColumn[] = [
  { column: 'exit_code' },
  { column: 'error_kind' },
  { column: 'error_message' },
  { column: 'hostname', keepExisting: true },
  { column: 'started_at', keepExisting: true },
  { column: 'finished_at' },
  { column: 'stdout_path', keepExisting: true },
  { column: 'stderr_path', keepExisting: true },
  { column: 'stdout_tail' },
  { column: 'stderr_tail' },
  { column: 'max_rss_mb' },
  { column: 'wall_seconds' },
  { column: 'cpu_seconds' },
];

/** An output tail as stored: its last `maxBytes` UTF-8 bytes, within what the TEXT column holds. */
const tail = (text: string | null | undefined, maxBytes: number) =>
  text == null ? null : utf8Tail(text, maxBytes);

async function lockInstances(db: Database, transaction: Transaction, ids: readonly number[]) {
  const rows = await selectByIds<InstanceRow>(
    db,
    transaction,
    `SELECT i.id, i.task_id, i.workflow_id, i.workflow_run_id, i.distributor_id, i.status, i.given_up_at,
            (SELECT MAX(r.id) FROM workflow_run r WHERE r.workflow_id = i.workflow_id) AS latest_run_id,
            (SELECT r.status FROM workflow_run r WHERE r.id = i.workflow_run_id) AS run_status
       FROM task_instance i`,
    ids,
    { lock: true, column: 'i.id' },
  );
  return new Map(
    rows.map((row) => [
      Number(row.id),
      {
        ...row,
        id: Number(row.id),
        task_id: Number(row.task_id),
        workflow_id: Number(row.workflow_id),
        workflow_run_id: Number(row.workflow_run_id),
        distributor_id: row.distributor_id == null ? null : Number(row.distributor_id),
        latest_run_id: Number(row.latest_run_id),
      },
    ]),
  );
}

/** The run an instance belongs to, when it is its workflow's newest (the one that schedules). */
function currentRunOf(instance: InstanceRow): RunRow | undefined {
  if (instance.latest_run_id !== instance.workflow_run_id) return undefined;
  return { id: instance.workflow_run_id, workflowId: instance.workflow_id, status: instance.run_status };
}

/** Checks a report against the instance: returns the reason to ignore it, or null. */
function refusal(
  instance: InstanceRow | undefined,
  to: TaskInstanceStatus,
  distributorId: number | null | undefined,
): string | null {
  if (!instance) return 'unknown task instance';
  if (distributorId != null && instance.distributor_id !== distributorId)
    return 'the instance belongs to another distributor';
  if (instance.status === to) return `already ${to}`;
  if (!canTransition(EntityType.TASK_INSTANCE, instance.status, to))
    return `the instance is ${instance.status}, it cannot become ${to}`;
  return null;
}

/**
 * Locks the tasks; each comes with its newest instance, the only one that may move the task (older ones
 * are history: a late report of a replaced attempt changes the attempt, not the task).
 */
async function lockTasks(db: Database, transaction: Transaction, ids: readonly number[]) {
  const rows = await selectByIds<TaskRow>(
    db,
    transaction,
    `SELECT t.id, t.workflow_id, t.status, t.num_attempts, t.max_attempts,
            (SELECT MAX(i.id) FROM task_instance i WHERE i.task_id = t.id) AS newest_instance_id
       FROM task t`,
    ids,
    { lock: true, column: 't.id' },
  );
  return new Map(
    rows.map((row) => [
      Number(row.id),
      {
        ...row,
        id: Number(row.id),
        workflow_id: Number(row.workflow_id),
        num_attempts: Number(row.num_attempts),
        max_attempts: Number(row.max_attempts),
        newest_instance_id: Number(row.newest_instance_id),
      },
    ]),
  );
}

const emptyResult = (): ReportResult => ({ accepted: [], ignored: [], killInstanceIds: [], claimed: [] });

interface StepReport<R extends { id: number }> {
  /** The instance status the reports move to. */
  to: typeof TaskInstanceStatus.LAUNCHED | typeof TaskInstanceStatus.RUNNING;
  /** Task statuses the instance's task moves from (to the same step). */
  taskFrom: readonly TaskStatus[];
  columns: readonly UpdateColumn[];
  /** The values of `columns` for one report. */
  values(report: R, now: Date): unknown[];
}

const LAUNCHED_STEP: StepReport<LaunchReport> = {
  to: TaskInstanceStatus.LAUNCHED,
  taskFrom: [TaskStatus.INSTANTIATING],
  columns: LAUNCHED_FIELDS,
  values: (launch, now) => [
    launch.backendJobId ?? null,
    launch.stdoutPath ?? null,
    launch.stderrPath ?? null,
    now,
    now,
  ],
};

const RUNNING_STEP: StepReport<RunningReport> = {
  to: TaskInstanceStatus.RUNNING,
  taskFrom: [TaskStatus.INSTANTIATING, TaskStatus.LAUNCHED],
  columns: RUNNING_FIELDS,
  values: (report, now) => [
    report.hostname ?? null,
    report.backendJobId ?? null,
    report.startedAt ?? now,
    now,
  ],
};

/**
 * Applies reports of one step (LAUNCHED or RUNNING) in one transaction: each instance moves with its fields,
 * and its task follows when this is the task's newest instance. Reports an instance cannot take (unknown,
 * another distributor's, already past the step) come back in `ignored`; those of instances asked to die are
 * also in `killInstanceIds`.
 */
async function reportStep<R extends { id: number }>(
  db: Database,
  step: StepReport<R>,
  reports: readonly R[],
  options: ReportOptions,
): Promise<ReportResult> {
  return db.transaction(async (transaction) => {
    const now = new Date();
    const result = emptyResult();
    const instances = await lockInstances(
      db,
      transaction,
      reports.map((report) => report.id),
    );
    const tasks = await lockTasks(
      db,
      transaction,
      [...instances.values()].map((row) => row.task_id),
    );
    const instanceChanges: StatusChange<typeof EntityType.TASK_INSTANCE>[] = [];
    const taskChanges: StatusChange<typeof EntityType.TASK>[] = [];
    const fields: unknown[][] = [];
    for (const report of reports) {
      const instance = instances.get(report.id);
      const reason = refusal(instance, step.to, options.distributorId);
      if (reason || !instance) {
        result.ignored.push({ id: report.id, reason: reason ?? 'unknown task instance' });
        continue;
      }
      fields.push([instance.id, ...step.values(report, now)]);
      instanceChanges.push({
        id: instance.id,
        workflowId: instance.workflow_id,
        from: instance.status,
        to: step.to,
        reason: options.reason,
      });
      instance.status = step.to;
      const task = tasks.get(instance.task_id);
      if (task && task.newest_instance_id === instance.id && step.taskFrom.includes(task.status)) {
        taskChanges.push({ id: task.id, workflowId: task.workflow_id, from: task.status, to: step.to });
        task.status = step.to;
      }
      result.accepted.push(instance.id);
    }
    const context = { at: now, actor: options.actor ?? null };
    await bulkUpdateById(db, transaction, 'task_instance', step.columns, fields);
    await applyChanges(db, transaction, EntityType.TASK_INSTANCE, instanceChanges, context);
    await applyChanges(db, transaction, EntityType.TASK, taskChanges, context);
    // A report of an instance asked to die is refused above; the reporter is told to kill it.
    result.killInstanceIds = reports
      .filter((report) => {
        const instance = instances.get(report.id);
        return instance?.status === TaskInstanceStatus.KILL_SELF || instance?.given_up_at != null;
      })
      .map((report) => report.id);
    return result;
  });
}

/** INSTANTIATED → LAUNCHED: the backend accepted the instances (a job id, log paths). */
export const reportLaunched = (
  db: Database,
  distributorId: number,
  launches: readonly LaunchReport[],
  options: ReportOptions = {},
): Promise<ReportResult> => reportStep(db, LAUNCHED_STEP, launches, { ...options, distributorId });

/** → RUNNING: the worker started the command (or a heartbeat proved a triaged instance alive). */
export const reportRunning = (
  db: Database,
  reports: readonly RunningReport[],
  options: ReportOptions = {},
): Promise<ReportResult> => reportStep(db, RUNNING_STEP, reports, options);

/** Reports of finished attempts, in one transaction; see finishInTransaction. */
export async function reportFinished(
  db: Database,
  reports: readonly FinishedReport[],
  options: ReportOptions = {},
): Promise<ReportResult> {
  return db.transaction((transaction) => finishInTransaction(db, transaction, reports, options, new Date()));
}

/**
 * Applies finished attempts: the instance takes the outcome; its task (when this is its newest instance
 * and the task is still in flight) becomes DONE — and its downstream tasks whose upstreams are all DONE
 * become QUEUED — or is retried (ERROR_RECOVERABLE → QUEUED), escalated (ADJUSTING_RESOURCES → QUEUED
 * with raised resources) or given up (ERROR_FATAL) when its attempts are spent or its run is over. Runs
 * with nothing left to do end here; a fail-fast workflow stops at its first ERROR_FATAL.
 */
export async function finishInTransaction(
  db: Database,
  transaction: Transaction,
  reports: readonly FinishedReport[],
  options: ReportOptions,
  now: Date,
): Promise<ReportResult> {
  const result = emptyResult();
  const context = { at: now, actor: options.actor ?? null };
  const tailBytes = options.tailBytes ?? DEFAULT_INPUT_LIMITS.maxTailBytes;
  const instances = await lockInstances(
    db,
    transaction,
    reports.map((report) => report.id),
  );
  const taskIds = [...instances.values()].map((row) => row.task_id);
  const tasks = await lockTasks(db, transaction, taskIds);
  const runs = new Map<number, RunRow>();
  for (const instance of instances.values()) {
    const run = currentRunOf(instance);
    if (run && !runs.has(run.workflowId)) runs.set(run.workflowId, run);
  }
  const instanceChanges: StatusChange<typeof EntityType.TASK_INSTANCE>[] = [];
  const taskChanges: StatusChange<typeof EntityType.TASK>[] = [];
  const doneTaskIds: number[] = [];
  const escalations: { taskId: number; kind: string | null }[] = [];
  const fatalWorkflows = new Set<number>();
  const touchedWorkflows = new Set<number>();

  const fieldUpdates: unknown[][] = [];
  const lateResults: { instance: InstanceRow; report: FinishedReport }[] = [];
  for (const report of reports) {
    const instance = instances.get(report.id);
    let to = INSTANCE_STATUS_OF_OUTCOME[report.outcome];
    // A killed instance that reports an error it cannot have from KILL_SELF is simply given up.
    if (
      instance?.status === TaskInstanceStatus.KILL_SELF &&
      !canTransition(EntityType.TASK_INSTANCE, instance.status, to)
    )
      to = TaskInstanceStatus.ERROR_FATAL;
    const reason = refusal(instance, to, options.distributorId);
    // Whatever it says (even a legal move, e.g. KILLED after UNKNOWN_ERROR), it does not override the retry.
    if (instance && isLateResult(instance, options)) {
      lateResults.push({ instance, report });
      result.ignored.push({
        id: report.id,
        reason: 'given up before it ended: recorded as its late outcome',
      });
      continue;
    }
    if (reason || !instance) {
      result.ignored.push({ id: report.id, reason: reason ?? 'unknown task instance' });
      continue;
    }
    const values = [
      report.exitCode ?? null,
      report.errorKind ?? (report.outcome === TaskInstanceOutcome.DONE ? null : report.outcome),
      report.errorMessage ?? null,
      report.hostname ?? null,
      report.startedAt ?? null,
      report.finishedAt ?? now,
      report.stdoutPath ?? null,
      report.stderrPath ?? null,
      tail(report.stdoutTail, tailBytes),
      tail(report.stderrTail, tailBytes),
      report.usage?.maxRssMb ?? null,
      report.usage?.wallSeconds ?? null,
      report.usage?.cpuSeconds ?? null,
    ];
    fieldUpdates.push([report.id, ...values]);
    instanceChanges.push({
      id: instance.id,
      workflowId: instance.workflow_id,
      from: instance.status,
      to,
      reason: options.reason ?? report.errorMessage?.slice(0, 500) ?? null,
    });
    instance.status = to;
    result.accepted.push(instance.id);

    const task = tasks.get(instance.task_id);
    if (!task || task.newest_instance_id !== instance.id || !isTaskActive(task.status)) continue;
    const run = runs.get(task.workflow_id);
    const runActive =
      run !== undefined &&
      run.id === instance.workflow_run_id &&
      (run.status === WorkflowRunStatus.RUNNING || run.status === WorkflowRunStatus.BOUND);
    touchedWorkflows.add(task.workflow_id);
    const move = (to: StatusOf<typeof EntityType.TASK>, why?: string | null) => {
      taskChanges.push({ id: task.id, workflowId: task.workflow_id, from: task.status, to, reason: why });
      task.status = to;
    };
    if (report.outcome === TaskInstanceOutcome.DONE) {
      move(TaskStatus.DONE);
      doneTaskIds.push(task.id);
      continue;
    }
    if (report.outcome === TaskInstanceOutcome.KILLED) {
      move(TaskStatus.ERROR_FATAL, 'killed');
      if (runActive) fatalWorkflows.add(task.workflow_id);
      continue;
    }
    const attemptsLeft = task.num_attempts < task.max_attempts;
    const retry = runActive && attemptsLeft;
    const why = !runActive ? 'the run is over' : attemptsLeft ? null : `${task.max_attempts} attempts spent`;
    if (report.outcome === TaskInstanceOutcome.RESOURCE_ERROR) {
      move(TaskStatus.ADJUSTING_RESOURCES, report.errorKind ?? 'resource error');
      // Raised even when no retry follows: a resume then reruns the task with more, as Jobmon 3.5 does,
      // instead of with what it just ran out of.
      escalations.push({ taskId: task.id, kind: report.errorKind ?? null });
    } else {
      move(TaskStatus.ERROR_RECOVERABLE, report.errorMessage?.slice(0, 500) ?? report.outcome);
    }
    if (retry) move(TaskStatus.QUEUED, 'retry');
    else {
      move(TaskStatus.ERROR_FATAL, why);
      fatalWorkflows.add(task.workflow_id);
    }
  }

  await bulkUpdateById(db, transaction, 'task_instance', FINISHED_FIELDS, fieldUpdates);
  await applyChanges(db, transaction, EntityType.TASK_INSTANCE, instanceChanges, context);
  if (options.givingUp) {
    const givenUp = instanceChanges
      .filter((change) => instances.get(change.id)?.distributor_id != null)
      .map((change) => change.id);
    if (givenUp.length)
      await db.execute(
        `UPDATE task_instance SET given_up_at = ? WHERE id IN (${inList(db, givenUp)})`,
        [now],
        transaction,
      );
  }
  for (const late of lateResults)
    await recordLateResult(db, transaction, late.instance, late.report, tailBytes);
  // Logged once committed (a retried or rolled-back transaction logs nothing), with every id.
  transaction.afterCommit(() => logFinished(instances, instanceChanges, taskChanges, context.actor));
  // Resources first: the retry that QUEUED the task must already carry the raised resources.
  for (const escalation of escalations)
    await escalateResources(db, transaction, escalation.taskId, escalation.kind);
  await applyChanges(db, transaction, EntityType.TASK, taskChanges, context);
  await queueReadyDownstream(db, transaction, doneTaskIds, context);
  for (const workflowId of fatalWorkflows) {
    const run = runs.get(workflowId);
    if (run) await failFastIfAsked(db, transaction, run, context);
  }
  for (const workflowId of touchedWorkflows) {
    const run = runs.get(workflowId);
    if (run) await finishRunIfComplete(db, transaction, run, context);
  }
  if (options.claimLimit && options.distributorId != null) {
    result.claimed = await claimInTransaction(
      db,
      transaction,
      options.distributorId,
      options.claimLimit,
      now,
      options.actor ?? null,
    );
  }
  return result;
}

/**
 * Whether a report is the late end of an attempt the server gave up on: from its own distributor (or its
 * worker), about an attempt whose command may still have been running.
 */
function isLateResult(instance: InstanceRow, options: ReportOptions): boolean {
  if (instance.given_up_at == null || options.givingUp) return false;
  return options.distributorId == null || instance.distributor_id === options.distributorId;
}

/**
 * Keeps what a given-up attempt did after all (its outcome, exit code, tails, usage) without changing its
 * status or its task: the retry stands. Its command is known to have ended: its distributor may claim again.
 */
async function recordLateResult(
  db: Database,
  transaction: Transaction,
  instance: InstanceRow,
  report: FinishedReport,
  tailBytes: number,
): Promise<void> {
  await db.execute(
    `UPDATE task_instance SET given_up_at = NULL, late_outcome = ?, exit_code = COALESCE(exit_code, ?),
        stdout_tail = COALESCE(stdout_tail, ?), stderr_tail = COALESCE(stderr_tail, ?),
        max_rss_mb = COALESCE(max_rss_mb, ?), wall_seconds = COALESCE(wall_seconds, ?),
        cpu_seconds = COALESCE(cpu_seconds, ?) WHERE id = ?`,
    [
      report.outcome,
      report.exitCode ?? null,
      tail(report.stdoutTail, tailBytes),
      tail(report.stderrTail, tailBytes),
      report.usage?.maxRssMb ?? null,
      report.usage?.wallSeconds ?? null,
      report.usage?.cpuSeconds ?? null,
      instance.id,
    ],
    transaction,
  );
  transaction.afterCommit(() =>
    logger.warn(
      {
        workflowId: instance.workflow_id,
        workflowRunId: instance.workflow_run_id,
        taskId: instance.task_id,
        taskInstanceId: instance.id,
        lateOutcome: report.outcome,
      },
      'a given-up attempt ended after all; its result is recorded, the retry stands',
    ),
  );
}

/** One line per finished attempt (failures warn; DONE is debug) and per task that failed for good. */
function logFinished(
  instances: ReadonlyMap<number, InstanceRow>,
  instanceChanges: readonly StatusChange<typeof EntityType.TASK_INSTANCE>[],
  taskChanges: readonly StatusChange<typeof EntityType.TASK>[],
  actor: string | null,
): void {
  const runOfTask = new Map<number, number>();
  // A batch of thousands of DONE reports costs nothing at the usual info level.
  const debug = logger.isLevelEnabled('debug');
  for (const change of instanceChanges) {
    const instance = instances.get(change.id);
    if (!instance || (change.to === TaskInstanceStatus.DONE && !debug)) continue;
    runOfTask.set(instance.task_id, instance.workflow_run_id);
    const line = {
      workflowId: instance.workflow_id,
      workflowRunId: instance.workflow_run_id,
      taskId: instance.task_id,
      taskInstanceId: instance.id,
      status: change.to,
      actor,
    };
    if (change.to === TaskInstanceStatus.DONE) logger.debug(line, 'task instance done');
    else logger.warn({ ...line, reason: change.reason }, 'task instance failed');
  }
  for (const change of taskChanges)
    if (change.to === TaskStatus.ERROR_FATAL)
      logger.warn(
        {
          workflowId: change.workflowId,
          workflowRunId: runOfTask.get(change.id),
          taskId: change.id,
          reason: change.reason,
        },
        'task failed for good',
      );
}

/** A fail-fast workflow's run ends at its first ERROR_FATAL: ERROR, and what still runs is killed. */
async function failFastIfAsked(
  db: Database,
  transaction: Transaction,
  run: RunRow,
  context: { at: Date; actor: string | null },
): Promise<void> {
  if (run.status !== WorkflowRunStatus.RUNNING && run.status !== WorkflowRunStatus.BOUND) return;
  const rows = await db.select<{ fail_fast: number | boolean }>(
    'SELECT fail_fast FROM workflow WHERE id = ?',
    [run.workflowId],
    transaction,
  );
  if (!rows[0] || !Number(rows[0].fail_fast)) return;
  await killInstances(db, transaction, run.workflowId, { ...context, reason: 'fail fast' });
  await changeRunStatus(db, transaction, run, WorkflowRunStatus.ERROR, { ...context, reason: 'fail fast' });
}
