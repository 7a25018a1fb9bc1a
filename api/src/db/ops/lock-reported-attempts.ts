import type { Transaction } from 'sequelize';
import type { TaskInstanceStatus, TaskStatus, WorkflowRunStatus } from '../../domain';
import type { Database } from '../connection';
import { selectByIds } from './sql';

// The first step of every report: the reported attempts and their tasks, locked, with what the decision
// needs (domain/report-outcome.ts).

/** A reported attempt. */
export interface ReportedAttempt {
  id: number;
  taskId: number;
  workflowId: number;
  workflowRunId: number;
  distributorId: number | null;
  status: TaskInstanceStatus;
  /** Set when the server gave the attempt up while its command may still run. */
  givenUp: boolean;
  /** The workflow's newest run, and the status of the attempt's own run. */
  latestRunId: number;
  runStatus: WorkflowRunStatus;
}

/** The task of a reported attempt. */
export interface ReportedTask {
  id: number;
  workflowId: number;
  taskTemplateVersionId: number;
  status: TaskStatus;
  numAttempts: number;
  maxAttempts: number;
  /** The only attempt that may move the task (older ones are history). */
  newestInstanceId: number;
}

export async function lockReportedAttempts(
  db: Database,
  transaction: Transaction,
  ids: readonly number[],
): Promise<Map<number, ReportedAttempt>> {
  const rows = await selectByIds<{
    id: number;
    task_id: number;
    workflow_id: number;
    workflow_run_id: number;
    distributor_id: number | null;
    status: TaskInstanceStatus;
    given_up_at: unknown;
    latest_run_id: number;
    run_status: WorkflowRunStatus;
  }>(
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
        id: Number(row.id),
        taskId: Number(row.task_id),
        workflowId: Number(row.workflow_id),
        workflowRunId: Number(row.workflow_run_id),
        distributorId: row.distributor_id == null ? null : Number(row.distributor_id),
        status: row.status,
        givenUp: row.given_up_at != null,
        latestRunId: Number(row.latest_run_id),
        runStatus: row.run_status,
      },
    ]),
  );
}

/** Locks the tasks; each comes with its newest instance. */
export async function lockReportedTasks(
  db: Database,
  transaction: Transaction,
  ids: readonly number[],
): Promise<Map<number, ReportedTask>> {
  const rows = await selectByIds<{
    id: number;
    workflow_id: number;
    task_template_version_id: number;
    status: TaskStatus;
    num_attempts: number;
    max_attempts: number;
    newest_instance_id: number;
  }>(
    db,
    transaction,
    `SELECT t.id, t.workflow_id, t.task_template_version_id, t.status, t.num_attempts, t.max_attempts,
            (SELECT MAX(i.id) FROM task_instance i WHERE i.task_id = t.id) AS newest_instance_id
       FROM task t`,
    ids,
    { lock: true, column: 't.id' },
  );
  return new Map(
    rows.map((row) => [
      Number(row.id),
      {
        id: Number(row.id),
        workflowId: Number(row.workflow_id),
        taskTemplateVersionId: Number(row.task_template_version_id),
        status: row.status,
        numAttempts: Number(row.num_attempts),
        maxAttempts: Number(row.max_attempts),
        newestInstanceId: Number(row.newest_instance_id),
      },
    ]),
  );
}
