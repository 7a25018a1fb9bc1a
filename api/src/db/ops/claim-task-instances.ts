import type { Transaction } from 'sequelize';
import {
  NotFoundError,
  TASK_ACTIVE_STATUSES,
  TaskStatus,
  WorkflowRunStatus,
  type QueueBounds,
  type ResolvedResources,
} from '../../domain';
import { bulkInsert } from '../bulk';
import type { Database } from '../connection';
import type { RowOf } from '../columns';
import type { DistributorModel, TaskModel } from '../models';
import { resourcesOfRow } from './queue-bounds';
import { forUpdate, inList, selectByIds, statusList } from './sql';

// The SQL of a claim (services/claims decides what to claim): who claims, which runs have QUEUED work,
// the free slots of a workflow under its lock, the QUEUED tasks picked, and the new attempts.

/** What decides a distributor's claims: the queues it serves and whose work it runs. */
export interface Claimer {
  queues: string[] | null;
  owner: string | null;
  servesAllUsers: boolean;
  /** Whether the server gave up attempts of it whose end it has not settled yet. */
  hasGivenUpAttempts: boolean;
}

/**
 * The claimer and, in the same statement, whether it has given-up attempts to settle: a claim of one
 * attempt is a couple of dozen statements, and this read needs no second round trip.
 */
export async function readClaimer(
  db: Database,
  transaction: Transaction,
  distributorId: number,
): Promise<Claimer> {
  const rows = await db.select<
    RowOf<DistributorModel, 'queues' | 'owner' | 'serves_all_users'> & { given_up_id: number | null }
  >(
    `SELECT d.queues, d.owner, d.serves_all_users,
            (SELECT i.id FROM task_instance i WHERE i.distributor_id = d.id AND i.given_up_at IS NOT NULL LIMIT 1) AS given_up_id
       FROM distributor d WHERE d.id = ?`,
    [distributorId],
    transaction,
  );
  if (rows.length === 0) throw new NotFoundError('Distributor', String(distributorId));
  const row = rows[0]!;
  return {
    queues: row.queues ? (JSON.parse(row.queues) as string[]) : null,
    owner: row.owner ?? null,
    servesAllUsers: Boolean(Number(row.serves_all_users)),
    hasGivenUpAttempts: row.given_up_id != null,
  };
}

/**
 * Whose workflows a distributor may run: its commands run as its operating-system user, so only its
 * owner's (open mode: the owner-less ones, whatever user their client recorded as creator), unless an
 * admin let it run every user's. The owner is the workflow's owner_key ('' for none).
 */
function ownerFilter(db: Database, claimer: Claimer): string {
  if (claimer.servesAllUsers) return '';
  const owner = db.literal(claimer.owner ?? '');
  return ` AND EXISTS (SELECT 1 FROM workflow w WHERE w.id = r.workflow_id AND w.owner_key = ${owner})`;
}

/** A run that schedules and has QUEUED tasks. */
export interface CandidateRun {
  runId: number;
  workflowId: number;
  status: WorkflowRunStatus;
}

/**
 * Runs (BOUND or RUNNING) with QUEUED tasks the claimer may run, oldest first. The QUEUED probe is a
 * scalar subquery, not EXISTS: MariaDB turns an EXISTS into a semi-join it may materialise, reading every
 * QUEUED task of every workflow (50,000 index entries, 2.5 s, at each claim of a 1M-task workflow); a
 * scalar subquery stays one index lookup per run.
 */
export async function readCandidateRuns(
  db: Database,
  transaction: Transaction,
  claimer: Claimer,
): Promise<CandidateRun[]> {
  const rows = await db.select<{ run_id: number; workflow_id: number; status: WorkflowRunStatus }>(
    `SELECT r.id AS run_id, r.workflow_id, r.status FROM workflow_run r
      WHERE r.status IN (${statusList(db, [WorkflowRunStatus.BOUND, WorkflowRunStatus.RUNNING])})
        AND (SELECT t.id FROM task t WHERE t.workflow_id = r.workflow_id AND t.status = ${db.literal(TaskStatus.QUEUED)} LIMIT 1) IS NOT NULL${ownerFilter(db, claimer)}
      ORDER BY r.id`,
    [],
    transaction,
  );
  return rows.map((row) => ({
    runId: Number(row.run_id),
    workflowId: Number(row.workflow_id),
    status: row.status,
  }));
}

/**
 * Takes the workflow row (the claim lock: claimers of one workflow take turns for the few milliseconds of
 * a claim, so no two count the same free slots; not SKIP LOCKED: a distributor whose claims and reports
 * run back to back would hold it nearly all the time and starve every other distributor) and reads its
 * limit and its run's status again under it (a stop or resume may have moved it). Null when gone.
 */
export async function lockWorkflowForClaim(
  db: Database,
  transaction: Transaction,
  run: CandidateRun,
): Promise<{ workflowLimit: number; runStatus: WorkflowRunStatus } | null> {
  const locked = await db.select<{ max_concurrently_running: number; status: WorkflowRunStatus }>(
    `SELECT w.max_concurrently_running, r.status FROM workflow w JOIN workflow_run r ON r.id = ?
      WHERE w.id = ?${forUpdate(db)}`,
    [run.runId, run.workflowId],
    transaction,
  );
  if (locked.length === 0) return null;
  return { workflowLimit: Number(locked[0]!.max_concurrently_running), runStatus: locked[0]!.status };
}

/**
 * What bounds a claim in a workflow, in one statement (a claim of one attempt pays each round trip):
 * template version id → how many of the workflow's tasks of it are active (INSTANTIATING … RUNNING), and
 * the workflow's per-template limits (template version id → limit, in the order they are read).
 * FORCE INDEX on MySQL: MariaDB preferred the covering (workflow, template version, status) index for
 * the GROUP BY and counted through all of the workflow's entries (1,000,000 at 1M tasks, 1–1.5 s at each
 * claim) instead of reading the few active ones along (workflow, status) (1,000 rows, 1–25 ms).
 */
export async function readWorkflowSlots(
  db: Database,
  transaction: Transaction,
  workflowId: number,
): Promise<{ activeByTemplate: Map<number, number>; templateLimits: Map<number, number> }> {
  const index = db.dialect === 'mysql' ? ' FORCE INDEX (task_workflow_id_status_id)' : '';
  const rows = await db.select<{ k: string; tv: number; n: number }>(
    `SELECT 'a' AS k, task_template_version_id AS tv, COUNT(*) AS n FROM task${index}
      WHERE workflow_id = ? AND status IN (${statusList(db, TASK_ACTIVE_STATUSES)}) GROUP BY task_template_version_id
     UNION ALL
     SELECT 'l' AS k, task_template_version_id AS tv, max_concurrently_running AS n FROM workflow_task_template
      WHERE workflow_id = ? AND max_concurrently_running IS NOT NULL`,
    [workflowId, workflowId],
    transaction,
  );
  const activeByTemplate = new Map<number, number>();
  const templateLimits = new Map<number, number>();
  for (const row of rows)
    (row.k === 'a' ? activeByTemplate : templateLimits).set(Number(row.tv), Number(row.n));
  return { activeByTemplate, templateLimits };
}

/**
 * Resource requests, each with the bounds of the queue it runs in (its own, else `defaultQueue`: the
 * distributor's first); null bounds for a queue no distributor has described.
 */
export async function readRequestedResources(
  db: Database,
  transaction: Transaction,
  resourceIds: readonly number[],
  defaultQueue: string | null,
): Promise<{ id: number; resources: ResolvedResources; queue: QueueBounds | null }[]> {
  const rows = await selectByIds<Record<string, unknown>>(
    db,
    transaction,
    `SELECT r.id, r.memory_mb, r.cores, r.runtime_seconds, r.queue, r.extra, q.name AS queue_name,
            q.min_cores, q.max_cores, q.max_memory_mb, q.max_runtime_seconds
       FROM task_resources r LEFT JOIN queue q ON q.name = COALESCE(r.queue, ${db.literal(defaultQueue)})`,
    resourceIds,
    { column: 'r.id' },
  );
  const orNull = (value: unknown) => (value == null ? null : Number(value));
  return rows.map((row) => ({
    id: Number(row.id),
    resources: resourcesOfRow(row),
    queue:
      row.queue_name == null
        ? null
        : {
            name: String(row.queue_name),
            minCores: orNull(row.min_cores),
            maxCores: orNull(row.max_cores),
            maxMemoryMb: orNull(row.max_memory_mb),
            maxRuntimeSeconds: orNull(row.max_runtime_seconds),
          },
  }));
}

/** A QUEUED task picked for a claim. */
export interface QueuedTask {
  id: number;
  workflowId: number;
  taskTemplateVersionId: number;
  taskResourcesId: number;
  numAttempts: number;
}

/** Queue names a distributor serves; tasks without a queue go to any distributor. */
function queueFilter(db: Database, queues: string[] | null): string {
  if (queues === null) return '';
  const named = queues.length ? ` OR queue IN (${inList(db, queues)})` : '';
  return ` AND t.task_resources_id IN (SELECT id FROM task_resources WHERE queue IS NULL${named})`;
}

/**
 * How a pick reads the QUEUED tasks on MySQL: along the index whose entries for (workflow, status) or
 * (workflow, template version, status) are already in id order (InnoDB appends the primary key), so the
 * scan stops after `count` rows and locks only those. Left to itself MariaDB chose, at 1M tasks, either
 * to drive the queue filter's semi-join from task_resources and then read, lock and sort every QUEUED
 * task of the workflow (50,000 rows, 1–5 s per claim), or to walk the primary key from the workflow's
 * first task through all the finished ones. FORCE INDEX fixes the index, STRAIGHT_JOIN keeps task the
 * driving table (the queue filter becomes one lookup per row). SQLite plans this well by itself.
 */
function queuedTasksFrom(db: Database, ofOneTemplate: boolean): { select: string; from: string } {
  if (db.dialect !== 'mysql') return { select: 'SELECT', from: 'FROM task t' };
  const index = ofOneTemplate
    ? 'task_workflow_id_task_template_version_id_status'
    : 'task_workflow_id_status_id';
  return { select: 'SELECT STRAIGHT_JOIN', from: `FROM task t FORCE INDEX (${index})` };
}

/**
 * Up to `count` QUEUED tasks of the workflow in the claimer's queues, oldest first: of one template
 * version, or (`excludeTemplates`) of any but these. Rows a report is changing are passed over (SKIP
 * LOCKED), not waited for.
 */
export async function pickQueuedTasks(
  db: Database,
  transaction: Transaction,
  workflowId: number,
  queues: string[] | null,
  count: number,
  of: { template: number } | { excludeTemplates: readonly number[] },
): Promise<QueuedTask[]> {
  const extraWhere =
    'template' in of
      ? ` AND t.task_template_version_id = ${db.literal(of.template)}`
      : of.excludeTemplates.length
        ? ` AND t.task_template_version_id NOT IN (${inList(db, of.excludeTemplates)})`
        : '';
  const access = queuedTasksFrom(db, 'template' in of);
  const rows = await db.select<
    RowOf<TaskModel, 'id' | 'workflow_id' | 'task_template_version_id' | 'task_resources_id' | 'num_attempts'>
  >(
    `${access.select} t.id, t.workflow_id, t.task_template_version_id, t.task_resources_id, t.num_attempts ${access.from}
      WHERE t.workflow_id = ? AND t.status = ?${extraWhere}${queueFilter(db, queues)}
      ORDER BY t.id LIMIT ${count}${forUpdate(db, true)}`,
    [workflowId, TaskStatus.QUEUED],
    transaction,
  );
  return rows.map((row) => ({
    id: Number(row.id),
    workflowId: Number(row.workflow_id),
    taskTemplateVersionId: Number(row.task_template_version_id),
    taskResourcesId: Number(row.task_resources_id),
    numAttempts: Number(row.num_attempts),
  }));
}

const INSTANCE_COLUMNS = [
  'task_id',
  'workflow_run_id',
  'workflow_id',
  'task_resources_id',
  'distributor_id',
  'attempt',
  'status',
  'heartbeat_at',
  'created_at',
  'status_updated_at',
  'nonce',
  'report_token_hash',
] as const;

export type NewInstanceRow = Readonly<Record<(typeof INSTANCE_COLUMNS)[number], unknown>>;

/** Inserts the new attempts; returns task id → its newest (the new) attempt's id (the task rows are locked). */
export async function insertInstances(
  db: Database,
  transaction: Transaction,
  rows: readonly NewInstanceRow[],
  taskIds: readonly number[],
): Promise<Map<number, number>> {
  await bulkInsert(db, transaction, 'task_instance', INSTANCE_COLUMNS, rows);
  const newest = await selectByIds<{ task_id: number; id: number }>(
    db,
    transaction,
    'SELECT task_id, MAX(id) AS id FROM task_instance',
    taskIds,
    { column: 'task_id', groupBy: 'task_id' },
  );
  return new Map(newest.map((row) => [Number(row.task_id), Number(row.id)]));
}
