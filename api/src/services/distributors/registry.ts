import {
  assertMayActForDistributor,
  BadUserInputError,
  distributorOrders,
  workerOrders,
  ForbiddenError,
  Role,
  type Principal,
  NotFoundError,
  TASK_INSTANCE_ACTIVE_STATUSES,
  textProblem,
} from '../../domain';
import type { Database } from '../../db';
import {
  readDeploymentId,
  readDistributorRow,
  writeServesAllUsers,
  type StoredDistributor,
} from '../../db/ops/distributor-reads';
import {
  readDistributorInstanceFacts,
  recordBackendPendingReasons,
  recordDistributorHeartbeat,
  triagingInstancesAmong,
} from '../../db/ops/heartbeat-distributor';
import { recordInstanceHeartbeats } from '../../db/ops/heartbeat-task-instances';
import {
  findDistributorByName,
  insertDistributor,
  updateDistributor,
  upsertQueues,
} from '../../db/ops/register-distributor';
import { statusList } from '../../db/ops/sql';
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

/** A distributor as the API shows it: its stored fields and the deployment it belongs to. */
export interface DistributorRow extends StoredDistributor {
  deploymentId: string;
}

const NAME = /^[\w.@:-]{1,255}$/;

async function readDistributor(db: Database, id: number): Promise<DistributorRow> {
  const row = await readDistributorRow(db, id);
  if (!row) throw new NotFoundError('Distributor', String(id));
  return { ...row, deploymentId: await readDeploymentId(db) };
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
  if (!(await writeServesAllUsers(db, distributorId, servesAllUsers)))
    throw new NotFoundError('Distributor', String(distributorId));
  const row = await readDistributor(db, distributorId);
  logger.warn(
    { distributorId, distributor: row.name, owner: row.owner, servesAllUsers, by: by?.user ?? '(open mode)' },
    servesAllUsers
      ? `distributor ${row.name} now runs every user's work as its own operating-system user`
      : `distributor ${row.name} runs only its owner's work`,
  );
  return row;
}

function registrationProblems(input: DistributorRegistration): string[] {
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
  return problems;
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
  const problems = registrationProblems(input);
  if (problems.length) throw new BadUserInputError(`Invalid distributor: ${problems.join('; ')}`, problems);
  const id = await db.transaction(async (transaction) => {
    const now = new Date();
    const fields = {
      backend: input.backend,
      hostname: input.hostname ?? null,
      capacity: input.capacity ?? null,
      queues: input.queues ? JSON.stringify(input.queues.map((queue) => queue.name)) : null,
      lastHeartbeatAt: now,
    };
    const existing = await findDistributorByName(db, transaction, input.name);
    let id: number;
    if (existing) {
      id = existing.id;
      // One registered in open mode (no owner) is nobody's: only an admin may take it over.
      assertMayActForDistributor(by, { id, name: input.name, owner: existing.owner });
      await updateDistributor(db, transaction, id, { ...fields, owner: existing.owner ?? by?.user ?? null });
    } else {
      id = await insertDistributor(db, transaction, { ...fields, name: input.name, owner: by?.user ?? null });
    }
    await upsertQueues(
      db,
      transaction,
      input.backend,
      (input.queues ?? []).map((queue) => ({
        name: queue.name,
        minCores: queue.minCores ?? null,
        maxCores: queue.maxCores ?? null,
        maxMemoryMb: queue.maxMemoryMb ?? null,
        maxRuntimeSeconds: queue.maxRuntimeSeconds ?? null,
      })),
      now,
    );
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
    if (!(await recordDistributorHeartbeat(db, transaction, distributorId, activeInstanceIds, now)))
      throw new NotFoundError('Distributor', String(distributorId));
    await recordBackendPendingReasons(db, transaction, distributorId, pending);
    return triagingInstancesAmong(db, transaction, distributorId, activeInstanceIds);
  });
  if (triaged.length)
    await reportRunning(
      db,
      triaged.map((id) => ({ id })),
      { distributorId, reason: 'heartbeat resumed' },
    );
  return distributorOrders(await readDistributorInstanceFacts(db, distributorId, activeInstanceIds));
}

/** heartbeatTaskInstances (a worker on another host): returns the ones to kill. */
export async function heartbeatTaskInstances(db: Database, ids: readonly number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const now = new Date();
  const { kill, aliveAgain } = workerOrders(
    await db.transaction((transaction) => recordInstanceHeartbeats(db, transaction, ids, now)),
  );
  if (aliveAgain.length)
    await reportRunning(
      db,
      aliveAgain.map((id) => ({ id })),
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

export { readDeploymentId, readDistributor };
