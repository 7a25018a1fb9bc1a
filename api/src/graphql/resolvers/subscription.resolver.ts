import { Arg, ID, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { BadUserInputError, EntityType, NotFoundError } from '../../domain';
import { readWorkflows } from '../../db/ops/reads';
import { type AuditEventRecord, type WorkflowProgressSnapshot, type WorkQueuedSignal } from '../../events';
import { assertOwnsDistributor } from '../../services/distributors/ownership';
import type { Context } from '../context';
import { parseId } from '../pagination';
import { WorkflowProgress, WorkQueued } from '../subscriptions/types';
import { AuditEvent } from '../types/models.type';

// Subscriptions (graphql-ws on /graphql). The streams come from the process's event hub; the methods
// below only pass each payload through (they declare the arguments for the schema).

interface AuditArgs {
  workflowId?: string | null;
  since?: string | null;
}

type Subscribe<Args> = SubscribeResolverData<unknown, Args, Context>;

/** An AuditEvent id to resume after; 0 means from the start of the log. */
function parseSince(value: string | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  // Decimal digits only (Number() also takes "0x10" and " 1").
  const since = /^(0|[1-9][0-9]*)$/.test(value) ? Number(value) : NaN;
  if (value.trim() === '' || !Number.isSafeInteger(since) || since < 0)
    throw new BadUserInputError(`Invalid since "${value}": an AuditEvent id, or 0 for the whole log`);
  return since;
}

/**
 * The payload a stream produced. Sent over HTTP, a subscription runs as a plain operation without one:
 * the client is told where subscriptions are served instead of getting an internal error.
 */
function payload<T>(value: T | undefined): T {
  if (value === undefined)
    throw new BadUserInputError(
      'Subscriptions are served over graphql-ws (WebSocket) at /graphql, not over HTTP',
    );
  return value;
}

/** The workflow's id, once it is known to exist (and is not a binding still in progress). */
async function existingWorkflowId(context: Context, id: string): Promise<number> {
  const workflowId = parseId(id, 'workflow');
  const [workflow] = await readWorkflows(context.db, [workflowId]);
  if (!workflow || workflow.bindingToken !== null) throw new NotFoundError('Workflow', id);
  return workflowId;
}

@Resolver()
export class SubscriptionResolver {
  @Subscription(() => AuditEvent, {
    description:
      'Status changes of the tasks of a workflow, in AuditEvent id order. With since: <AuditEvent id>, first ' +
      'every later change from the audit log, then live ones, without gap or duplicate. A subscriber that ' +
      'falls too far behind is ended with SUBSCRIBER_TOO_SLOW and resumes with since: lastDeliveredId.',
    subscribe: async ({ args, context }: Subscribe<AuditArgs>) => {
      const since = parseSince(args.since);
      const workflowId = await existingWorkflowId(context, args.workflowId!);
      return context.events.auditEvents({ entityType: EntityType.TASK, workflowId }, since);
    },
  })
  taskStatusChanged(
    @Root() event: AuditEventRecord,
    @Arg('workflowId', () => ID, { description: 'The workflow whose task changes to follow.' })
    _workflowId: string,
    @Arg('since', () => ID, { nullable: true, description: 'Resume after this AuditEvent id.' })
    _since?: string | null,
  ): AuditEventRecord {
    return payload(event);
  }

  @Subscription(() => AuditEvent, {
    description:
      'Status changes of one workflow, or of every workflow when workflowId is omitted, in AuditEvent id ' +
      'order; since resumes as for taskStatusChanged.',
    subscribe: async ({ args, context }: Subscribe<AuditArgs>) => {
      const since = parseSince(args.since);
      const workflowId =
        args.workflowId === null || args.workflowId === undefined
          ? null
          : await existingWorkflowId(context, args.workflowId);
      return context.events.auditEvents({ entityType: EntityType.WORKFLOW, workflowId }, since);
    },
  })
  workflowStatusChanged(
    @Root() event: AuditEventRecord,
    @Arg('workflowId', () => ID, {
      nullable: true,
      description: 'The workflow (all workflows when omitted).',
    })
    _workflowId?: string | null,
    @Arg('since', () => ID, { nullable: true, description: 'Resume after this AuditEvent id.' })
    _since?: string | null,
  ): AuditEventRecord {
    return payload(event);
  }

  @Subscription(() => WorkflowProgress, {
    description:
      "The workflow's task counts: the current ones at once, then at most a few snapshots a second while " +
      'tasks change, and always a last one (final: true) when the workflow reaches DONE, FAILED or HALTED.',
    subscribe: async ({ args, context }: Subscribe<{ workflowId: string }>) => {
      const workflowId = await existingWorkflowId(context, args.workflowId);
      return context.events.workflowProgress(workflowId);
    },
  })
  workflowProgress(
    @Root() snapshot: WorkflowProgressSnapshot,
    @Arg('workflowId', () => ID, { description: 'The workflow.' }) _workflowId: string,
  ): WorkflowProgressSnapshot {
    return payload(snapshot);
  }

  @Subscription(() => WorkQueued, {
    description:
      'Wakes a distributor when work may be claimable (tasks queued, a run bound, a limit raised), at most ' +
      'a few times a second. Only a hint: claimTaskInstances decides, and a slow poll covers lost wake-ups.',
    // Only for the distributor's owner (or an admin): who may wait for its work may claim it.
    subscribe: async ({ args, context }: Subscribe<{ distributorId: string }>) => {
      const distributorId = parseId(args.distributorId, 'distributor');
      await assertOwnsDistributor(context.db, context.principal, distributorId);
      return context.events.workQueuedFor(String(distributorId));
    },
  })
  workQueued(
    @Root() signal: WorkQueuedSignal,
    @Arg('distributorId', () => ID, { description: 'The distributor to wake.' }) _distributorId: string,
  ): WorkQueuedSignal {
    return payload(signal);
  }
}
