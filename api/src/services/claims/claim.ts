import type { Transaction } from 'sequelize';
import {
  EntityType,
  TaskInstanceStatus,
  TaskStatus,
  WorkflowRunStatus,
  fitsQueue,
  placeInQueues,
  resourcesHash,
  runSchedules,
  type QueueBounds,
  type ResolvedResources,
} from '../../domain';
import { chunks, type Database } from '../../db';
import { applyChanges } from '../../db/ops/apply-changes';
import { upsertResources } from '../../db/ops/bind-workflow';
import { changeRunStatus, type RunRow } from '../../db/ops/change-run-status';
import {
  insertInstances,
  lockWorkflowForClaim,
  pickQueuedTasks,
  readCandidateRuns,
  readClaimer,
  readRequestedResources,
  readWorkflowSlots,
  type CandidateRun,
  type QueuedTask,
} from '../../db/ops/claim-task-instances';
import { inList } from '../../db/ops/sql';
import { recordCreated } from '../../db/status-change';
import { generateAttemptTokens, hashToken, newNonces } from '../auth.service';

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
  if (claimer.hasGivenUpAttempts) return [];
  const candidates = await readCandidateRuns(db, transaction, claimer);
  const claimed: { task: QueuedTask; run: CandidateRun }[] = [];
  for (const run of candidates) {
    const remaining = limit - claimed.length;
    if (remaining <= 0) break;
    for (const task of await claimFromWorkflow(db, transaction, run, remaining, queues)) {
      claimed.push({ task, run });
    }
  }
  if (claimed.length === 0) return [];
  const given = await resourcesWithinQueues(
    db,
    transaction,
    claimed.map(({ task }) => task.taskResourcesId),
    queues,
    now,
  );
  for (const { task } of claimed) task.taskResourcesId = given.get(task.taskResourcesId)!;
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
  const requested = await readRequestedResources(
    db,
    transaction,
    resourceIds,
    distributorQueues?.[0] ?? null,
  );
  const bounds = new Map<string, QueueBounds>();
  for (const { queue } of requested) if (queue) bounds.set(queue.name, queue);
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

/** The QUEUED tasks of one run's workflow this claim takes: at most `limit`, within the free slots. */
async function claimFromWorkflow(
  db: Database,
  transaction: Transaction,
  run: CandidateRun,
  limit: number,
  queues: string[] | null,
): Promise<QueuedTask[]> {
  // Workflows are visited in id order, so claimers never wait on each other in a cycle.
  const locked = await lockWorkflowForClaim(db, transaction, run);
  if (!locked || !runSchedules(locked.runStatus)) return [];
  run.status = locked.runStatus;
  const { activeByTemplate, templateLimits } = await readWorkflowSlots(db, transaction, run.workflowId);
  const totalActive = [...activeByTemplate.values()].reduce((sum, n) => sum + n, 0);
  let room = Math.min(limit, locked.workflowLimit - totalActive);
  if (room <= 0) return [];
  const out: QueuedTask[] = [];
  for (const [template, templateLimit] of templateLimits) {
    const templateRoom = Math.min(room, templateLimit - (activeByTemplate.get(template) ?? 0));
    if (templateRoom <= 0) continue;
    const rows = await pickQueuedTasks(db, transaction, run.workflowId, queues, templateRoom, { template });
    out.push(...rows);
    room -= rows.length;
    if (room <= 0) break;
  }
  if (room > 0)
    out.push(
      ...(await pickQueuedTasks(db, transaction, run.workflowId, queues, room, {
        excludeTemplates: [...templateLimits.keys()],
      })),
    );
  return out;
}

async function instantiate(
  db: Database,
  transaction: Transaction,
  distributorId: number,
  claimed: { task: QueuedTask; run: CandidateRun }[],
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
      workflowId: task.workflowId,
      from: TaskStatus.QUEUED,
      to: TaskStatus.INSTANTIATING,
    })),
    {
      at: now,
      actor,
      startsAttempt: true,
      // Picked under their row lock in this transaction: the counts need not read them again.
      knownTasks: new Map(claimed.map(({ task }) => [task.id, task])),
    },
  );
  // Each attempt's credential, by task (its instance id is known after the insert); only hashes are stored.
  const tokens = generateAttemptTokens(claimed.length);
  const nonces = newNonces(claimed.length);
  const reportTokens = new Map(claimed.map(({ task }, i) => [task.id, tokens[i]!]));
  const instanceOf = await insertInstances(
    db,
    transaction,
    claimed.map(({ task, run }, i) => ({
      task_id: task.id,
      workflow_run_id: run.runId,
      workflow_id: task.workflowId,
      task_resources_id: task.taskResourcesId,
      distributor_id: distributorId,
      attempt: task.numAttempts + 1,
      status: TaskInstanceStatus.INSTANTIATED,
      heartbeat_at: now,
      created_at: now,
      status_updated_at: now,
      nonce: nonces[i]!,
      report_token_hash: hashToken(reportTokens.get(task.id)!),
    })),
    taskIds,
  );
  const byWorkflow = new Map<number, number[]>();
  for (const { task } of claimed) {
    const list = byWorkflow.get(task.workflowId) ?? [];
    list.push(instanceOf.get(task.id)!);
    byWorkflow.set(task.workflowId, list);
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

/**
 * Ids per read of claimed instances: under MariaDB's in_predicate_conversion_threshold (1,000), above
 * which an IN list becomes a table of values the join may visit last.
 */
const CLAIMED_CHUNK = 500;

/**
 * The flat view of instances a distributor runs (claims and adoption). STRAIGHT_JOIN on MySQL: the
 * instances drive the join. Left to itself MariaDB started from the one-row tables (task_resources,
 * workflow, the 4 template versions) and read every task of a template (250,000 at 1M tasks; 1.8 s live,
 * 29 s for 500 ids in ANALYZE) before it reached the 500 instances asked for (65 ms this way).
 */
export async function readClaimedInstances(
  db: Database,
  transaction: Transaction | undefined,
  instanceIds: readonly number[],
  where = '',
): Promise<ClaimedInstance[]> {
  if (instanceIds.length === 0 && where === '') return [];
  const conditions = where
    ? [where]
    : [
        ...chunks(
          [...new Set(instanceIds)].sort((a, b) => a - b),
          CLAIMED_CHUNK,
        ),
      ].map((part) => `i.id IN (${inList(db, part)})`);
  const rows: Record<string, unknown>[] = [];
  for (const condition of conditions) rows.push(...(await readClaimedRows(db, transaction, condition)));
  return rows.map(claimedInstanceOfRow);
}

async function readClaimedRows(
  db: Database,
  transaction: Transaction | undefined,
  condition: string,
): Promise<Record<string, unknown>[]> {
  return db.select<Record<string, unknown>>(
    `SELECT ${db.dialect === 'mysql' ? 'STRAIGHT_JOIN ' : ''}i.id, i.task_id, i.workflow_id, i.workflow_run_id, i.attempt, i.status, i.backend_job_id, i.nonce,
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
      WHERE ${condition} ORDER BY i.id`,
    [],
    transaction,
  );
}

function claimedInstanceOfRow(row: Record<string, unknown>): ClaimedInstance {
  return {
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
  };
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
