import type { Transaction } from 'sequelize';
import {
  EntityType,
  NotFoundError,
  TASK_ACTIVE_STATUSES,
  TaskInstanceStatus,
  TaskStatus,
  WorkflowRunStatus,
  fitsQueue,
  placeInQueues,
  resourcesHash,
  type QueueBounds,
  type ResolvedResources,
} from '../../domain';
import { upsertResources } from '../../db/ops/bind-workflow';
import { newNonce } from '../../db/migrations/0005_evidence';
import { generateAttemptToken, hashToken } from '../auth.service';
import { bulkInsert, type Database } from '../../db';
import { recordCreated } from '../../db/status-change';
import { applyChanges } from '../../db/ops/apply-changes';
import { changeRunStatus, type RunRow } from '../../db/ops/change-run-status';
import { resourcesOfRow } from '../../db/ops/queue-bounds';
import { forUpdate, inList, selectByIds, statusList } from '../../db/ops/sql';

/** What a distributor needs to run one attempt. */
export interface ClaimedInstance {
  id: number;
  taskId: number;
  workflowId: number;
  workflowRunId: number;
  attempt: number;
  name: string;
  command: string;
  templateName: string;
  status: TaskInstanceStatus;
  backendJobId: string | null;
  /**
   * A random value of this attempt alone: its wrapper writes it into the exit file (the Slurm worker into
   * its report file), and a result found in files is taken only when it carries it.
   */
  nonce: string;
  /**
   * The attempt's own credential, given once, when it is claimed (null when adopted): its worker reports
   * RUNNING, heartbeats and the end of this attempt with it, and can do nothing else.
   */
  reportToken?: string | null;
  /**
   * How many tasks of its workflow and template may be active at once: the smaller of the workflow's
   * maxConcurrentlyRunning and its template's limit in that workflow (null: neither limits it). A
   * backend that queues work itself (Slurm's `--array=…%N`) applies it there too.
   */
  concurrencyLimit: number | null;
  resources: {
    memoryMb: number | null;
    cores: number | null;
    runtimeSeconds: number | null;
    queue: string | null;
    extra: Record<string, unknown> | null;
  };
}

interface QueuedTaskRow {
  id: number;
  workflow_id: number;
  task_template_version_id: number;
  task_resources_id: number;
  num_attempts: number;
}

interface CandidateRun {
  runId: number;
  workflowId: number;
  status: WorkflowRunStatus;
}

/** Queue names a distributor serves; tasks without a queue go to any distributor. */
function queueFilter(db: Database, queues: string[] | null): string {
  if (queues === null) return '';
  const named = queues.length ? ` OR queue IN (${inList(db, queues)})` : '';
  return ` AND t.task_resources_id IN (SELECT id FROM task_resources WHERE queue IS NULL${named})`;
}

/** What decides a distributor's claims: the queues it serves and whose work it runs. */
interface Claimer {
  queues: string[] | null;
  owner: string | null;
  servesAllUsers: boolean;
}

async function readClaimer(db: Database, transaction: Transaction, distributorId: number): Promise<Claimer> {
  const rows = await db.select<{ queues: string | null; owner: string | null; serves_all_users: unknown }>(
    'SELECT queues, owner, serves_all_users FROM distributor WHERE id = ?',
    [distributorId],
    transaction,
  );
  if (rows.length === 0) throw new NotFoundError('Distributor', String(distributorId));
  const row = rows[0]!;
  return {
    queues: row.queues ? (JSON.parse(row.queues) as string[]) : null,
    owner: row.owner ?? null,
    servesAllUsers: Boolean(Number(row.serves_all_users)),
  };
}

/**
 * Whose workflows a distributor may run: its commands run as its operating-system user, so only its
 * owner's (open mode: the owner-less ones), unless an admin let it run every user's.
 */
function ownerFilter(db: Database, claimer: Claimer): string {
  if (claimer.servesAllUsers) return '';
  const owner = claimer.owner === null ? 'IS NULL' : `= ${db.literal(claimer.owner)}`;
  return ` AND EXISTS (SELECT 1 FROM workflow w WHERE w.id = r.workflow_id AND w.created_by ${owner})`;
}

/**
 * Claims up to `limit` QUEUED tasks for a distributor inside `transaction`: each becomes INSTANTIATING
 * with a new INSTANTIATED instance. Limits: the workflow's maxConcurrentlyRunning and each template's
 * limit bound the tasks in INSTANTIATING/LAUNCHED/RUNNING. On MySQL a claimer locks the workflow row (so two
 * claimers never count the same free slots) and picks task rows with SKIP LOCKED (rows a report is
 * changing are passed over, not waited for); SQLite's writers are serialised anyway.
 */
export async function claimInTransaction(
  db: Database,
  transaction: Transaction,
  distributorId: number,
  limit: number,
  now: Date,
  /** Who claims (the token's user; null in open mode): the audit rows carry it. */
  actor: string | null = null,
): Promise<ClaimedInstance[]> {
  // Liveness comes from heartbeatDistributor; a claim only reads which queues the distributor serves.
  const claimer = await readClaimer(db, transaction, distributorId);
  const queues = claimer.queues;
  if (limit <= 0) return [];
  // A distributor back from a silence first kills what the server gave up on (its heartbeat names them):
  // until then a retry of one of those tasks could start here while its old command still runs.
  if (await hasGivenUpAttempts(db, transaction, distributorId)) return [];
  const candidates = await db.select<{ run_id: number; workflow_id: number; status: WorkflowRunStatus }>(
    `SELECT r.id AS run_id, r.workflow_id, r.status FROM workflow_run r
      WHERE r.status IN (${statusList(db, [WorkflowRunStatus.BOUND, WorkflowRunStatus.RUNNING])})
        AND EXISTS (SELECT 1 FROM task t WHERE t.workflow_id = r.workflow_id AND t.status = ${db.literal(TaskStatus.QUEUED)})${ownerFilter(db, claimer)}
      ORDER BY r.id`,
    [],
    transaction,
  );
  const claimed: { task: QueuedTaskRow; run: CandidateRun }[] = [];
  for (const row of candidates) {
    const remaining = limit - claimed.length;
    if (remaining <= 0) break;
    const run = { runId: Number(row.run_id), workflowId: Number(row.workflow_id), status: row.status };
    for (const task of await claimFromWorkflow(db, transaction, run, remaining, queues)) {
      claimed.push({ task, run });
    }
  }
  if (claimed.length === 0) return [];
  const given = await resourcesWithinQueues(
    db,
    transaction,
    claimed.map(({ task }) => task.task_resources_id),
    queues,
    now,
  );
  for (const { task } of claimed) task.task_resources_id = given.get(task.task_resources_id)!;
  return instantiate(db, transaction, distributorId, claimed, now, actor);
}

/**
 * The resources each attempt is given: the task's request, or, when it exceeds the bounds of the queue it
 * runs in (its own queue, else the distributor's first: the local queue is the machine), the request
 * coerced to those bounds — a task asking for 64 cores on a 2-core machine runs with 2 rather than never.
 * Returns requested resources id → given resources id.
 */
async function resourcesWithinQueues(
  db: Database,
  transaction: Transaction,
  resourceIds: readonly number[],
  distributorQueues: string[] | null,
  now: Date,
): Promise<Map<number, number>> {
  const queueOf = (r: ResolvedResources) => r.queue ?? distributorQueues?.[0] ?? null;
  // Each request with the bounds of the queue it runs in (its own, else the distributor's first).
  const rows = await selectByIds<Record<string, unknown>>(
    db,
    transaction,
    `SELECT r.id, r.memory_mb, r.cores, r.runtime_seconds, r.queue, r.extra, q.name AS queue_name,
            q.min_cores, q.max_cores, q.max_memory_mb, q.max_runtime_seconds
       FROM task_resources r LEFT JOIN queue q ON q.name = COALESCE(r.queue, ${db.literal(distributorQueues?.[0] ?? null)})`,
    resourceIds,
    { column: 'r.id' },
  );
  const orNull = (value: unknown) => (value == null ? null : Number(value));
  const requested = rows.map((row) => ({ id: Number(row.id), resources: resourcesOfRow(row), row }));
  const bounds = new Map<string, QueueBounds>();
  for (const { row } of requested)
    if (row.queue_name != null)
      bounds.set(String(row.queue_name), {
        name: String(row.queue_name),
        minCores: orNull(row.min_cores),
        maxCores: orNull(row.max_cores),
        maxMemoryMb: orNull(row.max_memory_mb),
        maxRuntimeSeconds: orNull(row.max_runtime_seconds),
      });
  const given = new Map<number, number>();
  const coerced = new Map<string, ResolvedResources>();
  const hashOf = new Map<number, string>();
  for (const { id, resources } of requested) {
    const name = queueOf(resources);
    const queue = name === null ? undefined : bounds.get(name);
    if (!queue || fitsQueue(resources, queue)) {
      given.set(id, id);
      continue;
    }
    const placed = placeInQueues(resources, [queue]).resources;
    const hash = resourcesHash(placed);
    coerced.set(hash, placed);
    hashOf.set(id, hash);
  }
  if (coerced.size) {
    const ids = await upsertResources(db, transaction, coerced, now);
    for (const [id, hash] of hashOf) given.set(id, ids.get(hash)!);
  }
  return given;
}

async function claimFromWorkflow(
  db: Database,
  transaction: Transaction,
  run: CandidateRun,
  limit: number,
  queues: string[] | null,
): Promise<QueuedTaskRow[]> {
  // The workflow row is the claim lock: claimers of one workflow take turns (for the few milliseconds of a
  // claim), so no two count the same free slots. Not SKIP LOCKED: a distributor whose claims and reports
  // run back to back would hold it nearly all the time and starve every other distributor. Workflows are
  // visited in id order, so claimers never wait on each other in a cycle. The run is re-read under the
  // lock (a stop or resume may have moved it).
  const locked = await db.select<{ max_concurrently_running: number; status: WorkflowRunStatus }>(
    `SELECT w.max_concurrently_running, r.status FROM workflow w JOIN workflow_run r ON r.id = ?
      WHERE w.id = ?${forUpdate(db)}`,
    [run.runId, run.workflowId],
    transaction,
  );
  if (locked.length === 0) return [];
  const status = locked[0]!.status;
  if (status !== WorkflowRunStatus.BOUND && status !== WorkflowRunStatus.RUNNING) return [];
  run.status = status;
  const workflowLimit = Number(locked[0]!.max_concurrently_running);
  const active = await db.select<{ tv: number; n: number }>(
    `SELECT task_template_version_id AS tv, COUNT(*) AS n FROM task
      WHERE workflow_id = ? AND status IN (${statusList(db, TASK_ACTIVE_STATUSES)}) GROUP BY task_template_version_id`,
    [run.workflowId],
    transaction,
  );
  const activeByTemplate = new Map(active.map((row) => [Number(row.tv), Number(row.n)]));
  const totalActive = [...activeByTemplate.values()].reduce((sum, n) => sum + n, 0);
  let room = Math.min(limit, workflowLimit - totalActive);
  if (room <= 0) return [];
  const templateLimits = await db.select<{ tv: number; max_concurrently_running: number }>(
    `SELECT task_template_version_id AS tv, max_concurrently_running FROM workflow_task_template
      WHERE workflow_id = ? AND max_concurrently_running IS NOT NULL`,
    [run.workflowId],
    transaction,
  );
  const pick = async (extraWhere: string, count: number) =>
    db.select<QueuedTaskRow>(
      `SELECT t.id, t.workflow_id, t.task_template_version_id, t.task_resources_id, t.num_attempts FROM task t
        WHERE t.workflow_id = ? AND t.status = ?${extraWhere}${queueFilter(db, queues)}
        ORDER BY t.id LIMIT ${count}${forUpdate(db, true)}`,
      [run.workflowId, TaskStatus.QUEUED],
      transaction,
    );
  const out: QueuedTaskRow[] = [];
  const limited = templateLimits.map((row) => Number(row.tv));
  for (const row of templateLimits) {
    const templateRoom = Math.min(
      room,
      Number(row.max_concurrently_running) - (activeByTemplate.get(Number(row.tv)) ?? 0),
    );
    if (templateRoom <= 0) continue;
    const rows = await pick(` AND t.task_template_version_id = ${db.literal(Number(row.tv))}`, templateRoom);
    out.push(...rows);
    room -= rows.length;
    if (room <= 0) break;
  }
  if (room > 0) {
    const unlimited = limited.length ? ` AND t.task_template_version_id NOT IN (${inList(db, limited)})` : '';
    out.push(...(await pick(unlimited, room)));
  }
  return out.map((row) => ({
    id: Number(row.id),
    workflow_id: Number(row.workflow_id),
    task_template_version_id: Number(row.task_template_version_id),
    task_resources_id: Number(row.task_resources_id),
    num_attempts: Number(row.num_attempts),
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
];

async function instantiate(
  db: Database,
  transaction: Transaction,
  distributorId: number,
  claimed: { task: QueuedTaskRow; run: CandidateRun }[],
  now: Date,
  actor: string | null,
): Promise<ClaimedInstance[]> {
  const taskIds = claimed.map(({ task }) => task.id);
  await applyChanges(
    db,
    transaction,
    EntityType.TASK,
    claimed.map(({ task }) => ({
      id: task.id,
      workflowId: task.workflow_id,
      from: TaskStatus.QUEUED,
      to: TaskStatus.INSTANTIATING,
    })),
    { at: now, actor, alsoSet: 'num_attempts = num_attempts + 1' },
  );
  // Each attempt's credential, by task (its instance id is known after the insert); only hashes are stored.
  const reportTokens = new Map(claimed.map(({ task }) => [task.id, generateAttemptToken()]));
  await bulkInsert(
    db,
    transaction,
    'task_instance',
    INSTANCE_COLUMNS,
    claimed.map(({ task, run }) => [
      task.id,
      run.runId,
      task.workflow_id,
      task.task_resources_id,
      distributorId,
      task.num_attempts + 1,
      TaskInstanceStatus.INSTANTIATED,
      now,
      now,
      now,
      newNonce(),
      hashToken(reportTokens.get(task.id)!),
    ]),
  );
  // The task rows are locked, so each task's newest instance is the one just inserted.
  const newest = await selectByIds<{ task_id: number; id: number }>(
    db,
    transaction,
    'SELECT task_id, MAX(id) AS id FROM task_instance',
    taskIds,
    { column: 'task_id', groupBy: 'task_id' },
  );
  const instanceOf = new Map(newest.map((row) => [Number(row.task_id), Number(row.id)]));
  const byWorkflow = new Map<number, number[]>();
  for (const { task } of claimed) {
    const list = byWorkflow.get(task.workflow_id) ?? [];
    list.push(instanceOf.get(task.id)!);
    byWorkflow.set(task.workflow_id, list);
  }
  for (const [workflowId, ids] of byWorkflow) {
    await recordCreated(db, transaction, EntityType.TASK_INSTANCE, ids, TaskInstanceStatus.INSTANTIATED, {
      workflowId,
      actor,
      at: now,
    });
  }
  // The first claim starts the run (and the workflow).
  const started = new Set<number>();
  for (const { run } of claimed) {
    if (run.status !== WorkflowRunStatus.BOUND || started.has(run.runId)) continue;
    started.add(run.runId);
    const row: RunRow = { id: run.runId, workflowId: run.workflowId, status: run.status };
    await changeRunStatus(db, transaction, row, WorkflowRunStatus.RUNNING, {
      at: now,
      actor,
      reason: 'first claim',
    });
    run.status = WorkflowRunStatus.RUNNING;
  }
  const instances = await readClaimedInstances(db, transaction, [...instanceOf.values()]);
  return instances.map((instance) => ({ ...instance, reportToken: reportTokens.get(instance.taskId)! }));
}

/** Whether the server gave up attempts of this distributor whose end it has not settled yet. */
export async function hasGivenUpAttempts(
  db: Database,
  transaction: Transaction | undefined,
  distributorId: number,
): Promise<boolean> {
  const rows = await db.select<{ id: number }>(
    `SELECT id FROM task_instance WHERE distributor_id = ? AND given_up_at IS NOT NULL LIMIT 1`,
    [distributorId],
    transaction,
  );
  return rows.length > 0;
}

/** The flat view of instances a distributor runs (claims and adoption). */
export async function readClaimedInstances(
  db: Database,
  transaction: Transaction | undefined,
  instanceIds: readonly number[],
  where = '',
): Promise<ClaimedInstance[]> {
  if (instanceIds.length === 0 && where === '') return [];
  const rows = await db.select<Record<string, unknown>>(
    `SELECT i.id, i.task_id, i.workflow_id, i.workflow_run_id, i.attempt, i.status, i.backend_job_id, i.nonce,
            t.name, t.command, tt.name AS template_name,
            w.max_concurrently_running AS workflow_limit, wt.max_concurrently_running AS template_limit,
            r.memory_mb, r.cores, r.runtime_seconds, r.queue, r.extra
       FROM task_instance i
       JOIN task t ON t.id = i.task_id
       JOIN task_template_version tv ON tv.id = t.task_template_version_id
       JOIN task_template tt ON tt.id = tv.task_template_id
       JOIN task_resources r ON r.id = i.task_resources_id
       JOIN workflow w ON w.id = i.workflow_id
       LEFT JOIN workflow_task_template wt
         ON wt.workflow_id = i.workflow_id AND wt.task_template_version_id = t.task_template_version_id
      WHERE ${where || `i.id IN (${inList(db, instanceIds)})`} ORDER BY i.id`,
    [],
    transaction,
  );
  return rows.map((row) => ({
    id: Number(row.id),
    taskId: Number(row.task_id),
    workflowId: Number(row.workflow_id),
    workflowRunId: Number(row.workflow_run_id),
    attempt: Number(row.attempt),
    name: String(row.name),
    command: String(row.command),
    templateName: String(row.template_name),
    status: row.status as TaskInstanceStatus,
    backendJobId: row.backend_job_id == null ? null : String(row.backend_job_id),
    // Attempts from before nonces existed (none in their files either) get one nothing can match.
    nonce: row.nonce == null ? '' : String(row.nonce),
    concurrencyLimit: smallestLimit(row.workflow_limit, row.template_limit),
    resources: {
      memoryMb: row.memory_mb == null ? null : Number(row.memory_mb),
      cores: row.cores == null ? null : Number(row.cores),
      runtimeSeconds: row.runtime_seconds == null ? null : Number(row.runtime_seconds),
      queue: row.queue == null ? null : String(row.queue),
      extra: row.extra ? (JSON.parse(String(row.extra)) as Record<string, unknown>) : null,
    },
  }));
}

/** The smaller of two concurrency limits (SQL NULL: no limit); null when neither limits. */
function smallestLimit(...limits: unknown[]): number | null {
  const set = limits.filter((limit) => limit != null).map(Number);
  return set.length ? Math.min(...set) : null;
}

/** claimTaskInstances: one transaction. */
export async function claimTaskInstances(
  db: Database,
  distributorId: number,
  limit: number,
  actor: string | null = null,
): Promise<ClaimedInstance[]> {
  return db.transaction((transaction) =>
    claimInTransaction(db, transaction, distributorId, limit, new Date(), actor),
  );
}
