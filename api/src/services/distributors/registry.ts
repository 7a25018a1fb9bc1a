import {
  assertMayActForDistributor,
  BadUserInputError,
  ForbiddenError,
  Role,
  type Principal,
  NotFoundError,
  TASK_INSTANCE_ACTIVE_STATUSES,
  TASK_INSTANCE_TERMINAL_STATUSES,
  TaskInstanceStatus,
  textProblem,
} from '../../domain';
import type { Database } from '../../db';
import { inList, selectByIds, statusList } from '../../db/ops/sql';
import { logger } from '../../logger';
import { readClaimedInstances, type ClaimedInstance } from '../claims/claim';
import { reportRunning } from '../reports';

export interface QueueDescription {
  name: string;
  minCores?: number | null;
  maxCores?: number | null;
  maxMemoryMb?: number | null;
  maxRuntimeSeconds?: number | null;
}

export interface DistributorRegistration {
  name: string;
  backend: string;
  hostname?: string | null;
  capacity?: number | null;
  queues?: QueueDescription[] | null;
}

export interface DistributorRow {
  id: number;
  name: string;
  backend: string;
  hostname: string | null;
  capacity: number | null;
  queues: string[] | null;
  /** Whose token registered it (null: open mode); it runs that user's work. */
  owner: string | null;
  /** An admin let it run every user's work (as its operating-system user). */
  servesAllUsers: boolean;
  lastHeartbeatAt: Date;
  createdAt: Date;
  deploymentId: string;
}

const NAME = /^[\w.@:-]{1,255}$/;

async function readDistributor(db: Database, id: number): Promise<DistributorRow> {
  const row = await db.models.Distributor.findByPk(id, { raw: true });
  if (!row) throw new NotFoundError('Distributor', String(id));
  return {
    ...row,
    owner: row.owner ?? null,
    servesAllUsers: Boolean(Number(row.servesAllUsers)),
    queues: row.queues ? (JSON.parse(row.queues) as string[]) : null,
    deploymentId: await readDeploymentId(db),
  };
}

/**
 * An admin lets a distributor run every user's work, or only its owner's again. Their commands run as its
 * operating-system user: this is a decision about that account, so it is explicit, logged and shown.
 */
export async function setDistributorServesAllUsers(
  db: Database,
  distributorId: number,
  servesAllUsers: boolean,
  by: Principal | null,
): Promise<DistributorRow> {
  if (by && by.role !== Role.ADMIN)
    throw new ForbiddenError('Only an admin may let a distributor run other users’ work');
  const changed = await db.execute('UPDATE distributor SET serves_all_users = ? WHERE id = ?', [
    servesAllUsers,
    distributorId,
  ]);
  if (changed === 0) throw new NotFoundError('Distributor', String(distributorId));
  const row = await readDistributor(db, distributorId);
  logger.warn(
    { distributorId, distributor: row.name, owner: row.owner, servesAllUsers, by: by?.user ?? '(open mode)' },
    servesAllUsers
      ? `distributor ${row.name} now runs every user's work as its own operating-system user`
      : `distributor ${row.name} runs only its owner's work`,
  );
  return row;
}

/** The deployment's id (one row, made by migration 0005). */
export async function readDeploymentId(db: Database): Promise<string> {
  const rows = await db.select<{ id: string }>('SELECT id FROM deployment', []);
  if (!rows[0]) throw new Error('the deployment table is empty: the database was not migrated');
  return String(rows[0].id);
}

/**
 * registerDistributor: the same name is the same distributor (a restart finds its instances again). The
 * queues it describes are stored with their bounds, so that resource escalation can place requests.
 */
export async function registerDistributor(
  db: Database,
  input: DistributorRegistration,
  /** The registering token (null: open mode): it owns the distributor; another user's name is refused. */
  by: Principal | null = null,
): Promise<DistributorRow> {
  const problems: string[] = [];
  if (!NAME.test(input.name)) problems.push('name: 1–255 letters, digits or . _ @ : -');
  if (!input.backend || input.backend.length > 64) problems.push('backend: 1–64 characters');
  else if (input.backend.includes('\0')) problems.push('backend contains a NUL character');
  const hostname = textProblem(input.hostname, 'hostname', 'name');
  if (hostname) problems.push(hostname);
  if (input.capacity != null && (!Number.isInteger(input.capacity) || input.capacity < 0))
    problems.push('capacity: a non-negative integer');
  for (const queue of input.queues ?? []) {
    if (!NAME.test(queue.name)) problems.push(`queue name "${queue.name}" is not valid`);
    for (const field of ['minCores', 'maxCores', 'maxMemoryMb', 'maxRuntimeSeconds'] as const) {
      const value = queue[field];
      if (value != null && (!Number.isInteger(value) || value < 0))
        problems.push(`queue ${queue.name}: ${field} must be a non-negative integer`);
    }
  }
  if (problems.length) throw new BadUserInputError(`Invalid distributor: ${problems.join('; ')}`, problems);
  const id = await db.transaction(async (transaction) => {
    const now = new Date();
    const queues = input.queues ? JSON.stringify(input.queues.map((queue) => queue.name)) : null;
    const existing = await db.select<{ id: number; owner: string | null }>(
      'SELECT id, owner FROM distributor WHERE name = ?',
      [input.name],
      transaction,
    );
    let id: number;
    if (existing[0]) {
      id = Number(existing[0].id);
      const owner = existing[0].owner ?? null;
      // One registered in open mode (no owner) is nobody's: only an admin may take it over.
      assertMayActForDistributor(by, { id, name: input.name, owner });
      await db.execute(
        'UPDATE distributor SET backend = ?, hostname = ?, capacity = ?, queues = ?, owner = ?, last_heartbeat_at = ? WHERE id = ?',
        [
          input.backend,
          input.hostname ?? null,
          input.capacity ?? null,
          queues,
          owner ?? by?.user ?? null,
          now,
          id,
        ],
        transaction,
      );
    } else {
      const created = await db.models.Distributor.create(
        {
          name: input.name,
          backend: input.backend,
          hostname: input.hostname ?? null,
          capacity: input.capacity ?? null,
          queues,
          owner: by?.user ?? null,
          lastHeartbeatAt: now,
        },
        { transaction },
      );
      id = created.id;
    }
    for (const queue of input.queues ?? []) {
      const values = [
        input.backend,
        queue.minCores ?? null,
        queue.maxCores ?? null,
        queue.maxMemoryMb ?? null,
        queue.maxRuntimeSeconds ?? null,
        now,
      ];
      const updated = await db.execute(
        `UPDATE queue SET backend = ?, min_cores = ?, max_cores = ?, max_memory_mb = ?, max_runtime_seconds = ?,
           updated_at = ? WHERE name = ?`,
        [...values, queue.name],
        transaction,
      );
      if (updated === 0)
        await db.models.Queue.create(
          {
            name: queue.name,
            backend: input.backend,
            minCores: queue.minCores ?? null,
            maxCores: queue.maxCores ?? null,
            maxMemoryMb: queue.maxMemoryMb ?? null,
            maxRuntimeSeconds: queue.maxRuntimeSeconds ?? null,
          },
          { transaction },
        );
    }
    return id;
  });
  return readDistributor(db, id);
}

export interface HeartbeatResult {
  killInstanceIds: number[];
  triageInstanceIds: number[];
}

/**
 * heartbeatDistributor: the distributor is alive and so is each instance it lists (a TRIAGING one among
 * them is RUNNING again). Answers with the kills and triages it has to act on.
 */
export async function heartbeatDistributor(
  db: Database,
  distributorId: number,
  activeInstanceIds: readonly number[],
  /** The backend's pending reasons of some of them (null: no longer pending). */
  pending: readonly { id: number; reason: string | null }[] = [],
): Promise<HeartbeatResult> {
  const now = new Date();
  const triaged = await db.transaction(async (transaction) => {
    const changed = await db.execute(
      'UPDATE distributor SET last_heartbeat_at = ? WHERE id = ?',
      [now, distributorId],
      transaction,
    );
    if (changed === 0) throw new NotFoundError('Distributor', String(distributorId));
    if (activeInstanceIds.length === 0) return [];
    await db.execute(
      `UPDATE task_instance SET heartbeat_at = ? WHERE id IN (${inList(db, activeInstanceIds)}) AND distributor_id = ?`,
      [now, distributorId],
      transaction,
    );
    // One statement per distinct reason (a cluster's pending jobs mostly share a few).
    const byReason = new Map<string | null, number[]>();
    for (const { id, reason } of pending) {
      const same = byReason.get(reason);
      if (same) same.push(id);
      else byReason.set(reason, [id]);
    }
    for (const [reason, ids] of byReason)
      await db.execute(
        `UPDATE task_instance SET backend_pending_reason = ? WHERE id IN (${inList(db, ids)}) AND distributor_id = ?`,
        [reason, distributorId],
        transaction,
      );
    const rows = await selectByIds<{ id: number }>(
      db,
      transaction,
      'SELECT id FROM task_instance',
      activeInstanceIds,
      {
        extraWhere: `distributor_id = ${db.literal(distributorId)} AND status = ${db.literal(TaskInstanceStatus.TRIAGING)}`,
      },
    );
    return rows.map((row) => Number(row.id));
  });
  if (triaged.length)
    await reportRunning(
      db,
      triaged.map((id) => ({ id })),
      { distributorId, reason: 'heartbeat resumed' },
    );
  const rows = await db.select<{ id: number; status: TaskInstanceStatus }>(
    `SELECT id, status FROM task_instance WHERE distributor_id = ? AND status IN (${statusList(db, [
      TaskInstanceStatus.KILL_SELF,
      TaskInstanceStatus.TRIAGING,
    ])}) ORDER BY id`,
    [distributorId],
  );
  // Attempts the server has given up on (reaped while it was silent, or a kill given up) whose commands may
  // still run, and instances it lists that are over: nobody waits for their results, their processes end.
  const abandoned = await db.select<{ id: number }>(
    `SELECT id FROM task_instance WHERE distributor_id = ? AND given_up_at IS NOT NULL ORDER BY id`,
    [distributorId],
  );
  if (activeInstanceIds.length)
    abandoned.push(
      ...(await db.select<{ id: number }>(
        `SELECT id FROM task_instance WHERE id IN (${inList(db, activeInstanceIds)}) AND distributor_id = ?
           AND status IN (${statusList(db, TASK_INSTANCE_TERMINAL_STATUSES)}) AND given_up_at IS NULL ORDER BY id`,
        [distributorId],
      )),
    );
  return {
    killInstanceIds: [
      ...rows.filter((row) => row.status === TaskInstanceStatus.KILL_SELF).map((row) => Number(row.id)),
      ...abandoned.map((row) => Number(row.id)),
    ],
    triageInstanceIds: rows
      .filter((row) => row.status === TaskInstanceStatus.TRIAGING)
      .map((row) => Number(row.id)),
  };
}

/** heartbeatTaskInstances (a worker on another host): returns the ones to kill. */
export async function heartbeatTaskInstances(db: Database, ids: readonly number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const now = new Date();
  const { triaged, kill } = await db.transaction(async (transaction) => {
    await db.execute(
      `UPDATE task_instance SET heartbeat_at = ? WHERE id IN (${inList(db, ids)}) AND status IN (${statusList(
        db,
        TASK_INSTANCE_ACTIVE_STATUSES,
      )})`,
      [now],
      transaction,
    );
    const rows = await selectByIds<{ id: number; status: TaskInstanceStatus; given_up_at: unknown }>(
      db,
      transaction,
      'SELECT id, status, given_up_at FROM task_instance',
      ids,
    );
    return {
      triaged: rows.filter((row) => row.status === TaskInstanceStatus.TRIAGING).map((row) => Number(row.id)),
      // Given up while its distributor was silent: the worker ends it at once, without waiting for that
      // distributor to come back (its retry may run elsewhere already).
      kill: rows
        .filter((row) => row.status === TaskInstanceStatus.KILL_SELF || row.given_up_at != null)
        .map((row) => Number(row.id)),
    };
  });
  if (triaged.length)
    await reportRunning(
      db,
      triaged.map((id) => ({ id })),
      { reason: 'heartbeat resumed' },
    );
  return kill;
}

/**
 * distributorTaskInstances: what a restarted distributor adopts: every unfinished instance it owns, and
 * every given-up one whose command may still run (terminal status: to be killed, its end reported).
 */
export async function distributorTaskInstances(
  db: Database,
  distributorId: number,
): Promise<ClaimedInstance[]> {
  await readDistributor(db, distributorId);
  return readClaimedInstances(
    db,
    undefined,
    [],
    // Given-up attempts too: a restarted distributor must find their commands and kill them.
    `i.distributor_id = ${db.literal(distributorId)} AND (i.status IN (${statusList(db, TASK_INSTANCE_ACTIVE_STATUSES)}) OR i.given_up_at IS NOT NULL)`,
  );
}

export { readDistributor };
