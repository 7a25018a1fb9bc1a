import { Arg, Args, Ctx, Query, Resolver } from 'type-graphql';
import { PageArgs } from '../types/connection';
import { BadUserInputError } from '../../domain';
import * as reads from '../../db/ops/reads';
import type { Context } from '../context';
import { decodeCursor, pageSize, parseId, toConnection } from '../pagination';
import { AuditEventFilter } from '../types/inputs';
import { AuditEvent, AuditEventConnection } from '../types/models.type';

@Resolver(() => AuditEvent)
export class AuditEventResolver {
  @Query(() => AuditEventConnection, { description: 'Status changes in the order they happened.' })
  async auditEvents(
    @Ctx() ctx: Context,
    @Arg('filter', () => AuditEventFilter, { nullable: true, description: 'Which events.' })
    filter: AuditEventFilter | null | undefined,
    @Args(() => PageArgs) { first, after }: PageArgs,
  ) {
    const size = pageSize(first, ctx.config.maxPageSize);
    const afterId = decodeCursor(after);
    const query = {
      workflowId: filter?.workflowId ? parseId(filter.workflowId, 'workflow') : null,
      entityType: filter?.entityType ?? null,
      entityId: filter?.entityId ? parseId(filter.entityId, 'entity') : null,
      since: filter?.since ? parseSince(filter.since) : null,
    };
    const page = await reads.pageAuditEvents(ctx.db, query, size, afterId);
    return toConnection(page, afterId, () => reads.countAuditEvents(ctx.db, query));
  }
}

/** An audit event id to resume after; 0 means from the start. */
function parseSince(value: string): number {
  // Decimal digits only (Number() also takes "0x10" and " 1").
  const since = /^(0|[1-9][0-9]*)$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(since) || since < 0) throw new BadUserInputError(`Invalid since "${value}"`);
  return since;
}
