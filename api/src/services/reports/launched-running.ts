import type { Transaction } from 'sequelize';
import { EntityType, TaskInstanceStatus, TaskStatus, reportRefusal } from '../../domain';
import type { Database } from '../../db';
import { applyChanges, type StatusChange } from '../../db/ops/apply-changes';
import { lockReportedAttempts, lockReportedTasks } from '../../db/ops/lock-reported-attempts';
import {
  recordLaunched,
  recordRunning,
  type LaunchedRow,
  type RunningRow,
} from '../../db/ops/record-attempt-reports';
import {
  emptyResult,
  type LaunchReport,
  type ReportOptions,
  type ReportResult,
  type RunningReport,
} from './types';

interface StepReport<R extends { id: number }, Row extends { id: number }> {
  /** The instance status the reports move to. */
  to: typeof TaskInstanceStatus.LAUNCHED | typeof TaskInstanceStatus.RUNNING;
  /** Task statuses the instance's task moves from (to the same step). */
  taskFrom: readonly TaskStatus[];
  /** What one report writes on its attempt. */
  row(report: R, now: Date): Row;
  record(db: Database, transaction: Transaction, rows: readonly Row[]): Promise<void>;
}

const LAUNCHED_STEP: StepReport<LaunchReport, LaunchedRow> = {
  to: TaskInstanceStatus.LAUNCHED,
  taskFrom: [TaskStatus.INSTANTIATING],
  row: (launch, now) => ({
    id: launch.id,
    backend_job_id: launch.backendJobId ?? null,
    stdout_path: launch.stdoutPath ?? null,
    stderr_path: launch.stderrPath ?? null,
    submitted_at: now,
    heartbeat_at: now,
  }),
  record: recordLaunched,
};

const RUNNING_STEP: StepReport<RunningReport, RunningRow> = {
  to: TaskInstanceStatus.RUNNING,
  taskFrom: [TaskStatus.INSTANTIATING, TaskStatus.LAUNCHED],
  row: (report, now) => ({
    id: report.id,
    hostname: report.hostname ?? null,
    backend_job_id: report.backendJobId ?? null,
    started_at: report.startedAt ?? now,
    heartbeat_at: now,
  }),
  record: recordRunning,
};

/**
 * Applies reports of one step (LAUNCHED or RUNNING) in one transaction: each instance moves with its fields,
 * and its task follows when this is the task's newest instance. Reports an instance cannot take (unknown,
 * another distributor's, already past the step) come back in `ignored`; those of instances asked to die are
 * also in `killInstanceIds`.
 */
async function reportStep<R extends { id: number }, Row extends { id: number }>(
  db: Database,
  step: StepReport<R, Row>,
  reports: readonly R[],
  options: ReportOptions,
): Promise<ReportResult> {
  return db.transaction(async (transaction) => {
    const now = new Date();
    const result = emptyResult();
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
    const instanceChanges: StatusChange<typeof EntityType.TASK_INSTANCE>[] = [];
    const taskChanges: StatusChange<typeof EntityType.TASK>[] = [];
    const rows: Row[] = [];
    for (const report of reports) {
      const instance = instances.get(report.id);
      const reason = reportRefusal(instance, step.to, options.distributorId);
      if (reason || !instance) {
        result.ignored.push({ id: report.id, reason: reason ?? 'unknown task instance' });
        continue;
      }
      rows.push(step.row(report, now));
      instanceChanges.push({
        id: instance.id,
        workflowId: instance.workflowId,
        from: instance.status,
        to: step.to,
        reason: options.reason,
      });
      instance.status = step.to;
      const task = tasks.get(instance.taskId);
      if (task && task.newestInstanceId === instance.id && step.taskFrom.includes(task.status)) {
        taskChanges.push({ id: task.id, workflowId: task.workflowId, from: task.status, to: step.to });
        task.status = step.to;
      }
      result.accepted.push(instance.id);
    }
    const context = { at: now, actor: options.actor ?? null };
    await step.record(db, transaction, rows);
    await applyChanges(db, transaction, EntityType.TASK_INSTANCE, instanceChanges, context);
    await applyChanges(db, transaction, EntityType.TASK, taskChanges, context);
    // A report of an instance asked to die is refused above; the reporter is told to kill it.
    result.killInstanceIds = reports
      .filter((report) => {
        const instance = instances.get(report.id);
        return instance?.status === TaskInstanceStatus.KILL_SELF || instance?.givenUp === true;
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
