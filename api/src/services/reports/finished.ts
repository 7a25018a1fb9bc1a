import type { Transaction } from 'sequelize';
import {
  DEFAULT_INPUT_LIMITS,
  EntityType,
  TaskInstanceOutcome,
  TaskInstanceStatus,
  TaskStatus,
  WorkflowRunStatus,
  decideFinishedTask,
  instanceStatusOfOutcome,
  isLateResult,
  reportRefusal,
  runSchedules,
  utf8Tail,
} from '../../domain';
import type { Database } from '../../db';
import { applyChanges, type StatusChange } from '../../db/ops/apply-changes';
import { changeRunStatus, type RunRow } from '../../db/ops/change-run-status';
import { finishRunIfComplete } from '../../db/ops/finish-run';
import { markAttemptsGivenUp } from '../../db/ops/give-up-attempts';
import {
  lockReportedAttempts,
  lockReportedTasks,
  type ReportedAttempt,
} from '../../db/ops/lock-reported-attempts';
import { queueReadyDownstream } from '../../db/ops/queue-ready-tasks';
import { workflowFailsFast } from '../../db/ops/read-fail-fast';
import { recordFinished, type FinishedRow } from '../../db/ops/record-attempt-reports';
import { recordLateResult } from '../../db/ops/record-late-result';
import { logger } from '../../logger';
import { claimInTransaction } from '../claims/claim';
import { killInstances } from '../run-control/kill';
import { escalateResources } from './escalate';
import { emptyResult, type FinishedReport, type ReportOptions, type ReportResult } from './types';

/** An output tail as stored: its last `maxBytes` UTF-8 bytes, within what the TEXT column holds. */
const tail = (text: string | null | undefined, maxBytes: number) =>
  text == null ? null : utf8Tail(text, maxBytes);

/** The run an instance belongs to, when it is its workflow's newest (the one that schedules). */
function currentRunOf(instance: ReportedAttempt): RunRow | undefined {
  if (instance.latestRunId !== instance.workflowRunId) return undefined;
  return { id: instance.workflowRunId, workflowId: instance.workflowId, status: instance.runStatus };
}

/** What a finished report writes on its attempt. */
function finishedRow(report: FinishedReport, now: Date, tailBytes: number): FinishedRow {
  return {
    id: report.id,
    exit_code: report.exitCode ?? null,
    error_kind: report.errorKind ?? (report.outcome === TaskInstanceOutcome.DONE ? null : report.outcome),
    error_message: report.errorMessage ?? null,
    hostname: report.hostname ?? null,
    started_at: report.startedAt ?? null,
    finished_at: report.finishedAt ?? now,
    stdout_path: report.stdoutPath ?? null,
    stderr_path: report.stderrPath ?? null,
    stdout_tail: tail(report.stdoutTail, tailBytes),
    stderr_tail: tail(report.stderrTail, tailBytes),
    max_rss_mb: report.usage?.maxRssMb ?? null,
    wall_seconds: report.usage?.wallSeconds ?? null,
    cpu_seconds: report.usage?.cpuSeconds ?? null,
  };
}

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
 * with raised resources) or given up (ERROR_FATAL) when its attempts are spent or its run is over
 * (domain/report-outcome.ts decides which). Runs with nothing left to do end here; a fail-fast workflow
 * stops at its first ERROR_FATAL.
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
  const instances = await lockReportedAttempts(
    db,
    transaction,
    reports.map((report) => report.id),
  );
  const tasks = await lockReportedTasks(
    db,
    transaction,
    [...instances.values()].map((row) => row.taskId),
  );
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

  const rows: FinishedRow[] = [];
  const lateResults: { instance: ReportedAttempt; report: FinishedReport }[] = [];
  for (const report of reports) {
    const instance = instances.get(report.id);
    const to = instanceStatusOfOutcome(report.outcome, instance?.status);
    const reason = reportRefusal(instance, to, options.distributorId);
    // Whatever it says (even a legal move, e.g. KILLED after UNKNOWN_ERROR), it does not override the retry.
    if (
      instance &&
      isLateResult(instance, {
        givingUp: options.givingUp ?? false,
        reporterDistributorId: options.distributorId,
      })
    ) {
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
    rows.push(finishedRow(report, now, tailBytes));
    instanceChanges.push({
      id: instance.id,
      workflowId: instance.workflowId,
      from: instance.status,
      to,
      reason: options.reason ?? report.errorMessage?.slice(0, 500) ?? null,
    });
    instance.status = to;
    result.accepted.push(instance.id);

    const task = tasks.get(instance.taskId);
    if (!task) continue;
    const run = runs.get(task.workflowId);
    const runActive = run !== undefined && run.id === instance.workflowRunId && runSchedules(run.status);
    const decision = decideFinishedTask(
      report,
      { ...task, isNewestAttempt: task.newestInstanceId === instance.id },
      runActive,
    );
    if (!decision) continue;
    touchedWorkflows.add(task.workflowId);
    for (const move of decision.moves) {
      taskChanges.push({
        id: task.id,
        workflowId: task.workflowId,
        from: task.status,
        to: move.to,
        reason: move.reason,
      });
      task.status = move.to;
    }
    if (decision.done) doneTaskIds.push(task.id);
    if (decision.escalate) escalations.push({ taskId: task.id, kind: decision.escalate.errorKind });
    if (decision.failed) fatalWorkflows.add(task.workflowId);
  }

  await recordFinished(db, transaction, rows);
  await applyChanges(db, transaction, EntityType.TASK_INSTANCE, instanceChanges, context);
  if (options.givingUp)
    await markAttemptsGivenUp(
      db,
      transaction,
      instanceChanges
        .filter((change) => instances.get(change.id)?.distributorId != null)
        .map((change) => change.id),
      now,
    );
  for (const late of lateResults)
    await keepLateResult(db, transaction, late.instance, late.report, tailBytes);
  // Logged once committed (a retried or rolled-back transaction logs nothing), with every id.
  transaction.afterCommit(() => logFinished(instances, instanceChanges, taskChanges, context.actor));
  // Resources first: the retry that QUEUED the task must already carry the raised resources.
  for (const escalation of escalations)
    await escalateResources(db, transaction, escalation.taskId, escalation.kind);
  // The tasks were read under their lock above and no move here begins an attempt: the counts need not
  // read them again.
  await applyChanges(db, transaction, EntityType.TASK, taskChanges, { ...context, knownTasks: tasks });
  const queuedDownstream = await queueReadyDownstream(db, transaction, doneTaskIds, context);
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
    const onQueued = options.onQueuedWithClaim;
    const queued = [
      ...taskChanges.filter((change) => change.to === TaskStatus.QUEUED).map((change) => change.id),
      ...queuedDownstream,
    ];
    if (onQueued && queued.length) transaction.afterCommit(() => onQueued(queued));
  }
  return result;
}

/**
 * Keeps what a given-up attempt did after all (its outcome, exit code, tails, usage) without changing its
 * status or its task: the retry stands. Its command is known to have ended: its distributor may claim again.
 */
async function keepLateResult(
  db: Database,
  transaction: Transaction,
  instance: ReportedAttempt,
  report: FinishedReport,
  tailBytes: number,
): Promise<void> {
  await recordLateResult(db, transaction, {
    id: instance.id,
    outcome: report.outcome,
    exitCode: report.exitCode ?? null,
    stdoutTail: tail(report.stdoutTail, tailBytes),
    stderrTail: tail(report.stderrTail, tailBytes),
    maxRssMb: report.usage?.maxRssMb ?? null,
    wallSeconds: report.usage?.wallSeconds ?? null,
    cpuSeconds: report.usage?.cpuSeconds ?? null,
  });
  transaction.afterCommit(() =>
    logger.warn(
      {
        workflowId: instance.workflowId,
        workflowRunId: instance.workflowRunId,
        taskId: instance.taskId,
        taskInstanceId: instance.id,
        lateOutcome: report.outcome,
      },
      'a given-up attempt ended after all; its result is recorded, the retry stands',
    ),
  );
}

/** One line per finished attempt (failures warn; DONE is debug) and per task that failed for good. */
function logFinished(
  instances: ReadonlyMap<number, ReportedAttempt>,
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
    runOfTask.set(instance.taskId, instance.workflowRunId);
    const line = {
      workflowId: instance.workflowId,
      workflowRunId: instance.workflowRunId,
      taskId: instance.taskId,
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
  if (!runSchedules(run.status)) return;
  if (!(await workflowFailsFast(db, transaction, run.workflowId))) return;
  await killInstances(db, transaction, run.workflowId, { ...context, reason: 'fail fast' });
  await changeRunStatus(db, transaction, run, WorkflowRunStatus.ERROR, { ...context, reason: 'fail fast' });
}
