import { Arg, Args, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { PageArgs } from '../types/connection';
import { DateTimeISOResolver } from 'graphql-scalars';
import { BadUserInputError } from '../../domain';
import {
  PERCENTILES,
  readTemplateUsage,
  readWorkflowCounts,
  type DistributionRow,
} from '../../db/ops/report-reads';
import {
  countReports,
  deleteReport,
  pageReports,
  saveReport,
  type SavedReportRow,
} from '../../services/saved-reports.service';
import type { Context } from '../context';
import { checkFilterText, decodeCursor, pageSize, parseId, toConnection } from '../pagination';
import {
  Distribution,
  Report,
  ReportConnection,
  ReportFilter,
  ReportInput,
  TemplateUsage,
  WorkflowCount,
} from '../types/report.type';

const asReport = (row: SavedReportRow): Report => ({ ...row, owner: row.owner === '' ? null : row.owner });

const asDistribution = (row: DistributionRow): Distribution => {
  const [p50, p90, p95, p99] = PERCENTILES.map((p) => row.percentiles.get(p) ?? null);
  return { min: row.min, mean: row.mean, max: row.max, p50: p50!, p90: p90!, p95: p95!, p99: p99! };
};

/** The longest window workflowCounts looks back over. */
const MAX_LAST_DAYS = 3660;

@Resolver(() => Report)
export class ReportResolver {
  @Query(() => ReportConnection, {
    description: 'Saved reports, oldest first (the shipped examples first). Anyone signed in may list them.',
  })
  async reports(
    @Ctx() ctx: Context,
    @Arg('filter', () => ReportFilter, { nullable: true, description: 'Which reports.' })
    filter: ReportFilter | null | undefined,
    @Args(() => PageArgs) { first, after }: PageArgs,
  ) {
    const size = pageSize(first, ctx.config.maxPageSize);
    const afterId = decodeCursor(after);
    if (filter) checkFilterText({ ...filter }, ['owner', 'name'], ctx.config.limits);
    const query = { owner: filter?.owner, name: filter?.name, example: filter?.example };
    const page = await pageReports(ctx.db, query, size, afterId);
    return toConnection({ ...page, rows: page.rows.map(asReport) }, afterId, () =>
      countReports(ctx.db, query),
    );
  }

  @Mutation(() => Report, {
    description:
      'Saves a report: a new one owned by you, or (with input.id) an overwrite of your own (an admin: of ' +
      'anyone’s). Names are unique per owner; examples cannot be overwritten.',
  })
  async saveReport(
    @Ctx() ctx: Context,
    @Arg('input', () => ReportInput, { description: 'The report.' }) input: ReportInput,
  ) {
    const id = input.id === null || input.id === undefined ? null : parseId(input.id, 'report');
    return asReport(await saveReport(ctx.db, ctx.principal, { ...input, id }, ctx.config.limits));
  }

  @Mutation(() => Report, {
    description: 'Deletes a report (its owner or an admin; never an example) and returns it as it was.',
  })
  async deleteReport(
    @Ctx() ctx: Context,
    @Arg('id', () => ID, { description: 'The report id.' }) id: string,
  ) {
    return asReport(await deleteReport(ctx.db, ctx.principal, parseId(id, 'report')));
  }

  @Query(() => [TemplateUsage], {
    description:
      'Runtime and peak memory of DONE attempts per task template across every workflow (percentiles, ' +
      'min, mean, max), ordered by tool and template name.',
  })
  async templateUsage(
    @Ctx() ctx: Context,
    @Arg('tool', () => String, { nullable: true, description: 'Only templates of this tool.' })
    tool?: string | null,
    @Arg('template', () => String, { nullable: true, description: 'Only templates of this name.' })
    template?: string | null,
    @Arg('since', () => DateTimeISOResolver, {
      nullable: true,
      description: 'Only attempts finished at or after this time.',
    })
    since?: Date | null,
    @Arg('first', () => Int, { nullable: true, description: 'At most this many templates (default 50).' })
    first?: number | null,
  ): Promise<TemplateUsage[]> {
    const size = pageSize(first, ctx.config.maxPageSize);
    checkFilterText({ tool, template }, ['tool', 'template'], ctx.config.limits);
    const rows = await readTemplateUsage(ctx.db, { tool, template, since }, size);
    return rows.map((row) => ({
      ...row,
      runtimeSeconds: asDistribution(row.runtimeSeconds),
      maxRssMb: asDistribution(row.maxRssMb),
    }));
  }

  @Query(() => [WorkflowCount], {
    description:
      'Workflows created recently, counted by the user who created them and their status (ordered by user, status).',
  })
  async workflowCounts(
    @Ctx() ctx: Context,
    @Arg('lastDays', () => Int, {
      defaultValue: 7,
      description: 'Workflows created in this many days up to now (ignored when since is given).',
    })
    lastDays: number,
    @Arg('since', () => DateTimeISOResolver, {
      nullable: true,
      description: 'Workflows created at or after this time.',
    })
    since?: Date | null,
    @Arg('first', () => Int, { nullable: true, description: 'At most this many groups (default 50).' })
    first?: number | null,
  ): Promise<WorkflowCount[]> {
    const size = pageSize(first, ctx.config.maxPageSize);
    if (!since && (!Number.isInteger(lastDays) || lastDays < 1 || lastDays > MAX_LAST_DAYS))
      throw new BadUserInputError(`lastDays must be between 1 and ${MAX_LAST_DAYS} (got ${lastDays})`, [
        'lastDays',
      ]);
    const from = since ?? new Date(Date.now() - lastDays * 86_400_000);
    return (await readWorkflowCounts(ctx.db, from, size)) as WorkflowCount[];
  }
}
