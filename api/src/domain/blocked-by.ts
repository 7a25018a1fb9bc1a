/**
 * Why a task is waiting (Task.blockedBy): a pure decision over facts the API loads in bulk. Every reason
 * that holds is given (a paused workflow's task may also wait for its upstream), each with a message that
 * says what to do about it. A task that is not waiting (running, done, failed for good, between two
 * steps of the engine) has none.
 */
import { TaskStatus, WorkflowRunStatus } from '@jobmon/core';

export const BlockKind = {
  /** REGISTERING: some upstream task is not DONE yet. */
  UPSTREAM_NOT_DONE: 'UPSTREAM_NOT_DONE',
  /** QUEUED: the workflow's maxConcurrentlyRunning is reached (0: paused). */
  WORKFLOW_LIMIT: 'WORKFLOW_LIMIT',
  /** QUEUED: its template's limit within the workflow is reached. */
  TEMPLATE_LIMIT: 'TEMPLATE_LIMIT',
  /** QUEUED: no registered distributor runs its owner's work in its queue. */
  NO_DISTRIBUTOR_FOR_QUEUE: 'NO_DISTRIBUTOR_FOR_QUEUE',
  /** LAUNCHED: the backend holds the job (Slurm's pending reason, e.g. Resources, Priority). */
  BACKEND_PENDING: 'BACKEND_PENDING',
  /** The workflow's newest run does not schedule (stopped, failed, done, being resumed) or there is none. */
  WORKFLOW_NOT_RUNNING: 'WORKFLOW_NOT_RUNNING',
} as const;
export type BlockKind = (typeof BlockKind)[keyof typeof BlockKind];

export interface BlockReason {
  kind: BlockKind;
  message: string;
}

/** A registered distributor as far as placement goes. */
export interface DistributorFacts {
  name: string;
  /** Queue names it serves; null: every queue. */
  queues: readonly string[] | null;
  owner: string | null;
  servesAllUsers: boolean;
}

export interface BlockFacts {
  status: TaskStatus;
  /** Its upstream tasks, and how many of them are not DONE. */
  upstreamTotal: number;
  upstreamNotDone: number;
  /** The status of the workflow's newest run (null: it has none). */
  runStatus: WorkflowRunStatus | null;
  workflowLimit: number;
  /** The workflow's tasks in INSTANTIATING, LAUNCHED or RUNNING. */
  workflowActive: number;
  templateName: string;
  /** Its template's limit within the workflow (null: none). */
  templateLimit: number | null;
  templateActive: number;
  /** The queue its next attempt asks for (null: the distributor's default). */
  queue: string | null;
  /** Whose work it is (the workflow's creator; null in open mode). */
  owner: string | null;
  distributors: readonly DistributorFacts[];
  /** For a LAUNCHED task: why the backend has not started its newest attempt yet (null: not known). */
  backendPendingReason: string | null;
  backendJobId: string | null;
}

/** Runs in these statuses schedule their tasks (the claim reads BOUND and RUNNING runs). */
const SCHEDULING_RUNS: readonly WorkflowRunStatus[] = [WorkflowRunStatus.BOUND, WorkflowRunStatus.RUNNING];

/** Statuses in which a task waits for something outside itself. */
const WAITING: readonly TaskStatus[] = [TaskStatus.REGISTERING, TaskStatus.QUEUED, TaskStatus.LAUNCHED];

export function blockedBy(facts: BlockFacts): BlockReason[] {
  if (!WAITING.includes(facts.status)) return [];
  const reasons: BlockReason[] = [];
  if (facts.runStatus === null || !SCHEDULING_RUNS.includes(facts.runStatus))
    reasons.push({
      kind: BlockKind.WORKFLOW_NOT_RUNNING,
      message:
        facts.runStatus === null
          ? 'The workflow has no run: nothing schedules its tasks'
          : `The workflow's run is ${facts.runStatus}, so nothing of it is scheduled: resume the workflow to run its tasks`,
    });
  if (facts.status === TaskStatus.REGISTERING && facts.upstreamNotDone > 0)
    reasons.push({
      kind: BlockKind.UPSTREAM_NOT_DONE,
      message: `${facts.upstreamNotDone} of its ${facts.upstreamTotal} upstream task${facts.upstreamTotal === 1 ? ' is' : 's are'} not DONE yet`,
    });
  if (facts.status === TaskStatus.QUEUED) reasons.push(...queuedReasons(facts));
  if (facts.status === TaskStatus.LAUNCHED && facts.backendPendingReason)
    reasons.push({
      kind: BlockKind.BACKEND_PENDING,
      message: `The backend holds its job${facts.backendJobId ? ` ${facts.backendJobId}` : ''} pending: ${facts.backendPendingReason}`,
    });
  return reasons;
}

function queuedReasons(facts: BlockFacts): BlockReason[] {
  const reasons: BlockReason[] = [];
  if (facts.workflowLimit <= 0)
    reasons.push({
      kind: BlockKind.WORKFLOW_LIMIT,
      message: 'The workflow is paused (maxConcurrentlyRunning 0): raise its limit to run tasks',
    });
  else if (facts.workflowActive >= facts.workflowLimit)
    reasons.push({
      kind: BlockKind.WORKFLOW_LIMIT,
      message: `The workflow runs ${facts.workflowActive} tasks, its limit (maxConcurrentlyRunning ${facts.workflowLimit})`,
    });
  if (facts.templateLimit !== null && facts.templateActive >= facts.templateLimit)
    reasons.push({
      kind: BlockKind.TEMPLATE_LIMIT,
      message:
        facts.templateLimit <= 0
          ? `Template ${facts.templateName} is paused in this workflow (limit 0)`
          : `Template ${facts.templateName} runs ${facts.templateActive} tasks, its limit in this workflow (${facts.templateLimit})`,
    });
  const noDistributor = noDistributorMessage(facts);
  if (noDistributor) reasons.push({ kind: BlockKind.NO_DISTRIBUTOR_FOR_QUEUE, message: noDistributor });
  return reasons;
}

/**
 * Whether some distributor would claim the task: it runs the owner's work (its own user's, or every user's
 * if an admin let it) and serves the task's queue (a task without a queue goes to any distributor).
 */
export function noDistributorMessage(
  facts: Pick<BlockFacts, 'owner' | 'queue' | 'distributors'>,
): string | null {
  const { owner, queue } = facts;
  const forOwner = facts.distributors.filter((d) => d.servesAllUsers || d.owner === owner);
  if (forOwner.length === 0)
    return owner === null
      ? 'No distributor is registered: start one (jobmon server, or jobmon-distributor)'
      : `No distributor of ${owner} is registered: a distributor runs only its own user's work (start one with a distributor token of ${owner}'s), unless an admin lets it run every user's`;
  if (queue === null || forOwner.some((d) => d.queues === null || d.queues.includes(queue))) return null;
  const served = [...new Set(forOwner.flatMap((d) => d.queues ?? []))].sort();
  return `No distributor serves queue ${queue} (registered distributors serve ${served.join(', ') || 'no queue'}): start one for it, or move the task to another queue`;
}
