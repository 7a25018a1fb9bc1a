import { Arg, Ctx, FieldResolver, Float, Int, Query, Resolver, Root } from 'type-graphql';
import {
  ALL_TASK_INSTANCE_STATUSES,
  BadUserInputError,
  DEFAULT_HEADROOM,
  concurrencySteps,
  measuredAscending,
  percentile,
  suggestResources,
} from '../../domain';
import {
  readLatestTemplateVersionId,
  readRunningChanges,
  readTemplateUsageSample,
  readTimelinePage,
  readUsagePoints,
} from '../../db/ops/read-usage';
import type { Context } from '../context';
import { checkFilterText } from '../pagination';
import { TaskTemplate, Workflow } from '../types/models.type';
import {
  ResourceSuggestion,
  TemplateUsagePercentiles,
  TemplateUsagePoints,
  Timeline,
  type PercentileValue,
} from '../types/usage.type';

/** Caps of the bulk usage fields (each answer costs at most this many attempts). */
export const MAX_POINTS_PER_TEMPLATE = 5_000;
export const MAX_USAGE_SAMPLE = 20_000;
export const MAX_TIMELINE_PAGE = 100_000;
/** Audit changes read for the concurrency series, and its points after reduction. */
const MAX_RUNNING_CHANGES = 400_000;
const MAX_CONCURRENCY_POINTS = 20_000;

function checkRange(name: string, value: number, min: number, max: number): void {
  if (!Number.isFinite(value) || value < min || value > max)
    throw new BadUserInputError(`${name} must be between ${min} and ${max} (got ${value})`);
}

const percentilesOf = (values: (number | null)[], asked: readonly number[]): PercentileValue[] => {
  const sorted = measuredAscending(values);
  return asked.map((p) => ({ percentile: p, value: percentile(sorted, p) }));
};

@Resolver(() => Workflow)
export class WorkflowUsageResolver {
  @FieldResolver(() => [TemplateUsagePoints], {
    description:
      'Runtime, max RSS and requested resources of the DONE attempts, per template, as parallel arrays: at most `maxPointsPerTemplate` (≤ 5000) per template, the latest by id.',
  })
  async resourceUsage(
    @Root() workflow: Workflow,
    @Ctx() ctx: Context,
    @Arg('maxPointsPerTemplate', () => Int, {
      defaultValue: 2000,
      description: 'At most this many attempts per template (the latest; ≤ 5000).',
    })
    maxPointsPerTemplate: number,
  ): Promise<TemplateUsagePoints[]> {
    checkRange('maxPointsPerTemplate', maxPointsPerTemplate, 1, MAX_POINTS_PER_TEMPLATE);
    // The audit position before the attempts (Workflow.lastEventId): a live usage page follows from it.
    await ctx.loaders.auditPosition();
    const [templates, stats, points] = await Promise.all([
      ctx.loaders.templatesOfWorkflow.load(workflow.id),
      ctx.loaders.templateUsageOfWorkflow.load(workflow.id),
      readUsagePoints(ctx.db, workflow.id, maxPointsPerTemplate),
    ]);
    ctx.responseBudget.charge(points.length);
    const byTemplate = new Map<number, typeof points>();
    for (const point of points) {
      const list = byTemplate.get(point.taskTemplateVersionId);
      if (list) list.push(point);
      else byTemplate.set(point.taskTemplateVersionId, [point]);
    }
    return templates.map((template) => {
      const mine = byTemplate.get(template.taskTemplateVersionId) ?? [];
      const done =
        stats.find((s) => s.taskTemplateVersionId === template.taskTemplateVersionId)?.doneAttempts ?? 0;
      return {
        id: template.taskTemplateVersionId,
        name: template.name,
        doneAttempts: done,
        capped: mine.length < done,
        instanceIds: mine.map((p) => p.instanceId),
        taskIds: mine.map((p) => p.taskId),
        runtimeSeconds: mine.map((p) => p.runtimeSeconds),
        maxRssMb: mine.map((p) => p.maxRssMb),
        requestedMemoryMb: mine.map((p) => p.requestedMemoryMb),
        requestedRuntimeSeconds: mine.map((p) => p.requestedRuntimeSeconds),
      };
    });
  }

  @FieldResolver(() => Timeline, {
    description:
      'Attempts for a Gantt chart as parallel arrays, by id: `limit` (≤ 100000) after the attempt id `after`; with the number running over time (first page only). One object of number arrays, not a connection: the answer is charged one value per attempt.',
  })
  async timeline(
    @Root() workflow: Workflow,
    @Ctx() ctx: Context,
    @Arg('limit', () => Int, {
      defaultValue: 100_000,
      description: 'At most this many attempts (≤ 100,000).',
    })
    limit: number,
    @Arg('after', () => Int, { nullable: true, description: 'The endCursor of the previous page.' })
    after: number | null | undefined,
  ): Promise<Timeline> {
    checkRange('limit', limit, 1, MAX_TIMELINE_PAGE);
    const origin = workflow.createdAt ? new Date(workflow.createdAt) : null;
    const base = origin?.getTime() ?? 0;
    // The audit position before the attempts (Workflow.lastEventId): a live timeline follows from it.
    await ctx.loaders.auditPosition();
    const [page, changes] = await Promise.all([
      readTimelinePage(ctx.db, workflow.id, limit, after ?? null),
      after == null ? readRunningChanges(ctx.db, workflow.id, MAX_RUNNING_CHANGES) : Promise.resolve([]),
    ]);
    ctx.responseBudget.charge(page.rows.length);
    const statusNames = [...ALL_TASK_INSTANCE_STATUSES];
    const codeOf = new Map(statusNames.map((name, index) => [name as string, index]));
    const offset = (ms: number | null) => (ms === null ? null : ms - base);
    const steps = concurrencySteps(changes, MAX_CONCURRENCY_POINTS);
    const rows = page.rows;
    return {
      origin,
      instanceIds: rows.map((r) => r.instanceId),
      taskIds: rows.map((r) => r.taskId),
      attempts: rows.map((r) => r.attempt),
      statusNames,
      statusCodes: rows.map((r) => codeOf.get(r.status) ?? -1),
      submittedMs: rows.map((r) => offset(r.submittedAt)),
      startedMs: rows.map((r) => offset(r.startedAt)),
      finishedMs: rows.map((r) => offset(r.finishedAt)),
      hasMore: page.hasMore,
      endCursor: rows.length ? rows[rows.length - 1]!.instanceId : (after ?? null),
      concurrency: {
        atMs: steps.at.map((at) => at - base),
        running: steps.running,
        truncated: changes.length >= MAX_RUNNING_CHANGES,
      },
    };
  }
}

@Resolver(() => TaskTemplate)
export class TaskTemplateUsageResolver {
  @Query(() => TaskTemplate, {
    nullable: true,
    description:
      'A task template of a tool by name (its latest version); null when the tool has none of that name.',
  })
  async taskTemplate(
    @Ctx() ctx: Context,
    @Arg('tool', () => String, { description: 'The tool the template belongs to.' }) tool: string,
    @Arg('name', () => String, { description: 'The template name.' }) name: string,
  ): Promise<TaskTemplate | null> {
    checkFilterText({ tool, name }, ['tool', 'name'], ctx.config.limits);
    const versionId = await readLatestTemplateVersionId(ctx.db, tool, name);
    if (versionId === null) return null;
    return ctx.loaders.templateVersion.load(versionId);
  }

  @FieldResolver(() => TemplateUsagePercentiles, {
    description:
      "Percentiles (nearest rank) of usage of the template's DONE attempts across all workflows of its tool, over its latest `sampleCap` (≤ 20000) attempts. Attempts without a measure are left out, never counted as 0.",
  })
  async usage(
    @Root() template: TaskTemplate,
    @Ctx() ctx: Context,
    @Arg('percentiles', () => [Float], {
      defaultValue: [50, 90, 95, 99],
      description: 'Which percentiles (0–100].',
    })
    percentiles: number[],
    @Arg('sampleCap', () => Int, {
      defaultValue: 10_000,
      description: 'At most this many of the latest attempts (≤ 20,000).',
    })
    sampleCap: number,
  ): Promise<TemplateUsagePercentiles> {
    if (percentiles.length > 20) throw new BadUserInputError('at most 20 percentiles');
    for (const p of percentiles) checkRange('percentile', p, Number.MIN_VALUE, 100);
    checkRange('sampleCap', sampleCap, 1, MAX_USAGE_SAMPLE);
    const sample = await readTemplateUsageSample(ctx.db, template.taskTemplateId, sampleCap);
    return {
      doneAttempts: sample.doneAttempts,
      workflows: sample.workflows,
      sampleSize: sample.runtimeSeconds.length,
      measuredMaxRss: sample.maxRssMb.filter((v) => v !== null).length,
      runtimeSeconds: percentilesOf(sample.runtimeSeconds, percentiles),
      maxRssMb: percentilesOf(sample.maxRssMb, percentiles),
      requestedMemoryMb: percentilesOf(sample.requestedMemoryMb, percentiles),
      requestedRuntimeSeconds: percentilesOf(sample.requestedRuntimeSeconds, percentiles),
    };
  }

  @FieldResolver(() => ResourceSuggestion, {
    description:
      'Resources suggested for the template from its usage across the workflows of its tool: the `percentile` of max RSS and runtime × `headroom`, rounded up (memory to 256 MB steps up to 4 GB, then 1 GB; runtime to whole minutes).',
  })
  async resourceSuggestion(
    @Root() template: TaskTemplate,
    @Ctx() ctx: Context,
    @Arg('percentile', () => Float, {
      defaultValue: 95,
      description: 'The percentile of usage to start from.',
    })
    p: number,
    @Arg('headroom', () => Float, {
      defaultValue: DEFAULT_HEADROOM,
      description: 'The factor on top (1.2: +20%).',
    })
    headroom: number,
    @Arg('sampleCap', () => Int, {
      defaultValue: 10_000,
      description: 'At most this many of the latest attempts (≤ 20,000).',
    })
    sampleCap: number,
  ): Promise<ResourceSuggestion> {
    checkRange('percentile', p, Number.MIN_VALUE, 100);
    checkRange('headroom', headroom, 1, 10);
    checkRange('sampleCap', sampleCap, 1, MAX_USAGE_SAMPLE);
    const sample = await readTemplateUsageSample(ctx.db, template.taskTemplateId, sampleCap);
    const figures = suggestResources(
      {
        maxRssMb: percentile(measuredAscending(sample.maxRssMb), p),
        runtimeSeconds: percentile(measuredAscending(sample.runtimeSeconds), p),
      },
      headroom,
    );
    return { percentile: p, headroom, ...figures, basedOnAttempts: sample.runtimeSeconds.length };
  }
}
