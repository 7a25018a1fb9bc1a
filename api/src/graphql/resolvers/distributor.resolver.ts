import { MAX_IDS_PER_DISTRIBUTOR_REQUEST } from '@jobmon/core';
import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { BadUserInputError, textProblem, type InputLimits } from '../../domain';
import { claimTaskInstances } from '../../services/claims/claim';
import { reissueAttemptCredentials } from '../../services/claims/reissue-credentials';
import {
  distributorTaskInstances,
  heartbeatDistributor,
  registerDistributor,
  setDistributorServesAllUsers,
} from '../../services/distributors/registry';
import { afterReports, reportFinished, reportLaunched, reportRunning } from '../../services';
import { reportProblems } from '../../services/reports';
import { assertOwnsDistributor, assertOwnsInstances } from '../../services/distributors/ownership';
import type { Context } from '../context';
import { parseId } from '../pagination';
import {
  AttemptCredential,
  BackendPendingInput,
  ClaimedTaskInstance,
  Distributor,
  DistributorHeartbeat,
  RegisterDistributorInput,
  ReportResult,
  TaskInstanceFinishedInput,
  TaskInstanceLaunchInput,
  TaskInstanceRunningInput,
} from '../types/distributor-protocol.type';

/** Reports, claims and heartbeats come in batches; this bounds one request's transaction. */
const MAX_BATCH = MAX_IDS_PER_DISTRIBUTOR_REQUEST;

function batch<T>(items: readonly T[], what: string): readonly T[] {
  if (items.length > MAX_BATCH) throw new BadUserInputError(`At most ${MAX_BATCH} ${what} per request`);
  return items;
}

/** Refuses reports whose fields no column can hold (BAD_USER_INPUT, nothing written). */
function storable<T extends { id: number }>(
  kind: Parameters<typeof reportProblems>[0],
  reports: T[],
  ctx: Context,
): T[] {
  const problems = reportProblems(kind, reports, ctx.config.limits);
  if (problems.length)
    throw new BadUserInputError(
      `Reports the server cannot store: ${problems.slice(0, 5).join('; ')}`,
      problems,
    );
  return reports;
}

const ids = (values: readonly string[], what: string) => batch(values, what).map((id) => parseId(id, what));

function checkClaimLimit(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0 || value > MAX_BATCH)
    throw new BadUserInputError(`${name} must be between 0 and ${MAX_BATCH}`);
  return value;
}

/**
 * A heartbeat's backend pending reasons, for instances it lists as active (so that they are the
 * distributor's own), each reason a name-sized text.
 */
function pendingOf(
  pending: readonly BackendPendingInput[] | null | undefined,
  active: readonly number[],
  limits: InputLimits,
): { id: number; reason: string | null }[] {
  const activeIds = new Set(active);
  return batch(pending ?? [], 'pending').map((entry) => {
    const id = parseId(entry.id, 'task instance');
    if (!activeIds.has(id))
      throw new BadUserInputError(
        `pending: task instance ${id} is not among the heartbeat's activeInstanceIds`,
      );
    const reason = entry.reason ?? null;
    const problem = textProblem(reason, `pending: the reason of task instance ${id}`, 'name', limits);
    if (problem) throw new BadUserInputError(problem, [problem]);
    return { id, reason };
  });
}

/** A batch of reports with their ids parsed, refused whole when too long or not storable. */
const reportsOf = <T extends { id: string }>(
  kind: Parameters<typeof reportProblems>[0],
  reports: readonly T[],
  what: string,
  ctx: Context,
) =>
  storable(
    kind,
    batch(reports, what).map((report) => ({ ...report, id: parseId(report.id, 'task instance') })),
    ctx,
  );

type Args = Record<string, unknown>;

/**
 * The input checks of the protocol's fields, which a distributor batches in one request (launched,
 * running and finished reports, a claim): run for every field of such a request before the first runs,
 * so that a refused field leaves the others unwritten. The resolvers make the same checks.
 */
export const PROTOCOL_INPUT_CHECKS: Readonly<Record<string, (args: Args, ctx: Context) => void>> = {
  claimTaskInstances: (args) => void checkClaimLimit(args.limit as number, 'limit'),
  reportTaskInstancesLaunched: (args, ctx) =>
    void reportsOf('launched', args.launches as TaskInstanceLaunchInput[], 'launches', ctx),
  reportTaskInstancesRunning: (args, ctx) =>
    void reportsOf('running', args.reports as TaskInstanceRunningInput[], 'reports', ctx),
  reportTaskInstancesFinished: (args, ctx) => {
    if (args.claimLimit != null) checkClaimLimit(args.claimLimit as number, 'claimLimit');
    reportsOf('finished', args.reports as TaskInstanceFinishedInput[], 'reports', ctx);
  },
  heartbeatDistributor: (args, ctx) =>
    void pendingOf(
      args.pending as BackendPendingInput[] | null | undefined,
      ids(args.activeInstanceIds as string[], 'task instance'),
      ctx.config.limits,
    ),
  heartbeatTaskInstances: (args) => void ids(args.ids as string[], 'task instance'),
};

// The distributor protocol: docs/distributor-protocol.md.
@Resolver()
export class DistributorResolver {
  @Mutation(() => Distributor, { description: 'Registers (or re-registers, by name) a distributor.' })
  async registerDistributor(
    @Ctx() ctx: Context,
    @Arg('input', () => RegisterDistributorInput, { description: 'The distributor.' })
    input: RegisterDistributorInput,
  ) {
    return registerDistributor(ctx.db, input, ctx.principal);
  }

  @Mutation(() => Distributor, {
    description:
      "An admin lets a distributor run every user's work (their commands run as its operating-system user), or only its owner's again.",
  })
  async setDistributorServesAllUsers(
    @Ctx() ctx: Context,
    @Arg('distributorId', () => ID, { description: 'The distributor.' }) distributorId: string,
    @Arg('servesAllUsers', () => Boolean, {
      description: "True: it runs everyone's work; false: its owner's only.",
    })
    servesAllUsers: boolean,
  ) {
    return setDistributorServesAllUsers(
      ctx.db,
      parseId(distributorId, 'distributor'),
      servesAllUsers,
      ctx.principal,
    );
  }

  @Mutation(() => [ClaimedTaskInstance], {
    description:
      'Claims up to `limit` QUEUED tasks within the concurrency limits, creating an instance each.',
  })
  async claimTaskInstances(
    @Ctx() ctx: Context,
    @Arg('distributorId', () => ID, { description: 'The claiming distributor.' }) distributorId: string,
    @Arg('limit', () => Int, { description: 'At most this many attempts.' }) limit: number,
  ) {
    checkClaimLimit(limit, 'limit');
    const id = parseId(distributorId, 'distributor');
    await assertOwnsDistributor(ctx.db, ctx.principal, id);
    return claimTaskInstances(ctx.db, id, limit, ctx.user);
  }

  @Mutation(() => ReportResult, {
    description: 'INSTANTIATED → LAUNCHED: the backend accepted the instances.',
  })
  async reportTaskInstancesLaunched(
    @Ctx() ctx: Context,
    @Arg('distributorId', () => ID, { description: 'The reporting distributor.' }) distributorId: string,
    @Arg('launches', () => [TaskInstanceLaunchInput], {
      description: 'One report per attempt its backend accepted.',
    })
    launches: TaskInstanceLaunchInput[],
  ) {
    const id = parseId(distributorId, 'distributor');
    const parsed = reportsOf('launched', launches, 'launches', ctx);
    await assertOwnsDistributor(ctx.db, ctx.principal, id);
    await assertOwnsInstances(
      ctx.db,
      ctx.principal,
      parsed.map((launch) => launch.id),
    );
    return reportLaunched(ctx.db, id, parsed, { actor: ctx.user });
  }

  @Mutation(() => ReportResult, { description: '→ RUNNING: the command started.' })
  async reportTaskInstancesRunning(
    @Ctx() ctx: Context,
    @Arg('reports', () => [TaskInstanceRunningInput], { description: 'One report per attempt that started.' })
    reports: TaskInstanceRunningInput[],
  ) {
    const parsed = reportsOf('running', reports, 'reports', ctx);
    await assertOwnsInstances(
      ctx.db,
      ctx.principal,
      parsed.map((report) => report.id),
    );
    return reportRunning(ctx.db, parsed, { actor: ctx.user });
  }

  @Mutation(() => ReportResult, {
    description:
      'Attempts that ended. With distributorId and claimLimit, claims more work in the same transaction.',
  })
  async reportTaskInstancesFinished(
    @Ctx() ctx: Context,
    @Arg('reports', () => [TaskInstanceFinishedInput], { description: 'One report per attempt that ended.' })
    reports: TaskInstanceFinishedInput[],
    @Arg('distributorId', () => ID, { nullable: true, description: 'The reporting distributor.' })
    distributorId?: string | null,
    @Arg('claimLimit', () => Int, {
      nullable: true,
      description: 'Claim up to this many new attempts in the same request.',
    })
    claimLimit?: number | null,
  ) {
    if (claimLimit != null) checkClaimLimit(claimLimit, 'claimLimit');
    const parsed = reportsOf('finished', reports, 'reports', ctx);
    const claimer = distributorId == null ? null : parseId(distributorId, 'distributor');
    if (claimer !== null) await assertOwnsDistributor(ctx.db, ctx.principal, claimer);
    await assertOwnsInstances(
      ctx.db,
      ctx.principal,
      parsed.map((report) => report.id),
    );
    const result = await reportFinished(ctx.db, parsed, {
      actor: ctx.user,
      distributorId: claimer,
      claimLimit: claimLimit ?? 0,
      tailBytes: ctx.config.limits.maxTailBytes,
      onQueuedWithClaim:
        claimer === null ? undefined : (taskIds) => ctx.events.queuedWithClaim(claimer, taskIds),
    });
    await afterReports(ctx.db);
    return result;
  }

  @Mutation(() => DistributorHeartbeat, {
    description: "The distributor's liveness and a heartbeat for each instance it still runs.",
  })
  async heartbeatDistributor(
    @Ctx() ctx: Context,
    @Arg('distributorId', () => ID, { description: 'The distributor.' }) distributorId: string,
    @Arg('activeInstanceIds', () => [ID], { description: 'Attempts it is running now.' })
    activeInstanceIds: string[],
    @Arg('pending', () => [BackendPendingInput], {
      nullable: true,
      description:
        "The backend's pending reasons of LAUNCHED instances among activeInstanceIds, sent when they change (null clears one).",
    })
    pending?: BackendPendingInput[] | null,
  ) {
    const id = parseId(distributorId, 'distributor');
    const active = ids(activeInstanceIds, 'task instance');
    const reasons = pendingOf(pending, active, ctx.config.limits);
    await assertOwnsDistributor(ctx.db, ctx.principal, id);
    await assertOwnsInstances(ctx.db, ctx.principal, active);
    return heartbeatDistributor(ctx.db, id, active, reasons);
  }

  @Mutation(() => [ID], {
    description: 'Heartbeats from a worker on another host; returns the ones to kill.',
  })
  async heartbeatTaskInstances(
    @Ctx() ctx: Context,
    @Arg('ids', () => [ID], { description: 'Attempts still alive.' }) instanceIds: string[],
  ) {
    const parsed = ids(instanceIds, 'task instance');
    await assertOwnsInstances(ctx.db, ctx.principal, parsed);
    return ctx.instanceHeartbeats.record(parsed);
  }

  @Mutation(() => [AttemptCredential], {
    description:
      'New credentials for attempts a restarted distributor submits again (each replaces the old one). ' +
      'Only its own attempts still active and not given up get one; the others must not be started.',
  })
  async reissueAttemptCredentials(
    @Ctx() ctx: Context,
    @Arg('distributorId', () => ID, { description: 'The restarted distributor.' }) distributorId: string,
    @Arg('taskInstanceIds', () => [ID], { description: 'Its attempts it is about to submit again.' })
    taskInstanceIds: string[],
  ) {
    const id = parseId(distributorId, 'distributor');
    const instances = ids(taskInstanceIds, 'task instance');
    await assertOwnsDistributor(ctx.db, ctx.principal, id);
    const issued = await reissueAttemptCredentials(ctx.db, id, instances);
    // A replaced credential this process remembers as valid stops working now, not in a few seconds.
    if (issued.length) ctx.tokens.clear();
    return issued;
  }

  @Query(() => [ClaimedTaskInstance], {
    description: 'Every unfinished instance a distributor owns (a restarted distributor adopts them).',
  })
  async distributorTaskInstances(
    @Ctx() ctx: Context,
    @Arg('distributorId', () => ID, { description: 'The distributor.' }) distributorId: string,
  ) {
    const id = parseId(distributorId, 'distributor');
    await assertOwnsDistributor(ctx.db, ctx.principal, id);
    return distributorTaskInstances(ctx.db, id);
  }
}
