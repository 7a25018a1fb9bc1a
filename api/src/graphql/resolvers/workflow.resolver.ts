import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Int, Query, Resolver, Root } from 'type-graphql';
import { PageArgs } from '../types/connection';
import { attributeFilter, NotFoundError } from '../../domain';
import * as reads from '../../db/ops/reads';
import type { Context } from '../context';
import {
  checkFilterText,
  decodeCursor,
  decodeOrderedCursor,
  pageSize,
  parseId,
  toConnection,
  toOrderedConnection,
} from '../pagination';
import { itemWeight } from '../response-budget';
import { DagCollapse, SortDirection, TaskOrderField } from '../types/enums';
import { TaskFilter, TaskOrder, WorkflowFilter } from '../types/inputs';
import {
  Dag,
  StatusCounts,
  TaskConnection,
  Tool,
  Workflow,
  WorkflowConnection,
  WorkflowRun,
  WorkflowTaskTemplate,
} from '../types/models.type';
import { buildDag } from '../../services/dag.service';
import { toStatusCounts } from '../../services/status-counts';

const TASK_SORT_KEYS: Record<TaskOrderField, reads.TaskSortKey> = {
  ID: 'id',
  NAME: 'name',
  STATUS: 'status',
  ATTEMPTS: 'attempts',
  RUNTIME: 'runtime',
  MAX_RSS: 'maxRss',
};

@Resolver(() => Workflow)
export class WorkflowResolver {
  @Query(() => WorkflowConnection, { description: 'Workflows, newest first.' })
  async workflows(
    @Ctx() ctx: Context,
    @Arg('filter', () => WorkflowFilter, { nullable: true, description: 'Which workflows.' })
    filter: WorkflowFilter | null | undefined,
    @Args(() => PageArgs) { first, after }: PageArgs,
  ) {
    const size = pageSize(first, ctx.config.maxPageSize);
    const afterId = decodeCursor(after);
    if (filter) checkFilterText({ ...filter }, ['tool', 'user'], ctx.config.limits);
    let toolId: number | null = null;
    if (filter?.tool) {
      const tool = await ctx.db.models.Tool.findOne({ where: { name: filter.tool } });
      if (!tool) return toConnection({ rows: [], hasNextPage: false }, afterId, async () => 0);
      toolId = tool.id;
    }
    const query = {
      status: filter?.status,
      toolId,
      user: filter?.user,
      search: filter?.search,
      attributes: filter?.attributes ? attributeFilter(filter.attributes, ctx.config.limits) : null,
    };
    const page = await reads.pageWorkflows(ctx.db, query, size, afterId);
    for (const row of page.rows) ctx.loaders.workflow.prime(row.id, row);
    return toConnection(page, afterId, () => reads.countWorkflows(ctx.db, query));
  }

  @Query(() => Workflow, { nullable: true, description: 'A workflow by id (NOT_FOUND when there is none).' })
  async workflow(@Ctx() ctx: Context, @Arg('id', () => ID, { description: 'The workflow id.' }) id: string) {
    const workflow = await ctx.loaders.workflow.load(parseId(id, 'workflow'));
    if (!workflow || workflow.bindingToken !== null) throw new NotFoundError('Workflow', id);
    return workflow;
  }

  @FieldResolver(() => Tool, { description: 'The tool it belongs to.' })
  async tool(@Root() workflow: Workflow, @Ctx() ctx: Context) {
    return ctx.loaders.tool.load(workflow.toolId);
  }

  @FieldResolver(() => [WorkflowRun], { description: 'Runs, oldest first.' })
  async runs(@Root() workflow: Workflow, @Ctx() ctx: Context) {
    return ctx.loaders.runsOfWorkflow.load(workflow.id);
  }

  @FieldResolver(() => WorkflowRun, {
    nullable: true,
    description: 'Its newest run (null before the first).',
  })
  async latestRun(@Root() workflow: Workflow, @Ctx() ctx: Context) {
    const runs = await ctx.loaders.runsOfWorkflow.load(workflow.id);
    return runs[runs.length - 1] ?? null;
  }

  @FieldResolver(() => StatusCounts, { description: 'Its task counts per status.' })
  async statusCounts(@Root() workflow: Workflow, @Ctx() ctx: Context) {
    return toStatusCounts(await ctx.loaders.statusCountsOfWorkflow.load(workflow.id));
  }

  @FieldResolver(() => TaskConnection, {
    description:
      'Tasks matching `filter`, sorted by `orderBy` (default: id ascending), `first` at a time (at most ' +
      "the server's page size) after the cursor `after`, which must come from a page in the same order.",
  })
  async tasks(
    @Root() workflow: Workflow,
    @Ctx() ctx: Context,
    @Arg('filter', () => TaskFilter, { nullable: true, description: 'Which tasks.' })
    filter: TaskFilter | null | undefined,
    @Args(() => PageArgs) { first, after }: PageArgs,
    @Arg('orderBy', () => TaskOrder, {
      nullable: true,
      description: 'The sort (default: id ascending); a cursor belongs to its sort.',
    })
    orderBy?: TaskOrder | null,
  ) {
    const size = pageSize(first, ctx.config.maxPageSize);
    const field = orderBy?.field ?? TaskOrderField.ID;
    const direction = orderBy?.direction ?? SortDirection.ASC;
    const idOrder = field === TaskOrderField.ID && direction === SortDirection.ASC;
    const order = `${field}:${direction}`;
    // Cursors are checked before anything is read.
    const afterId = idOrder ? decodeCursor(after) : null;
    const afterKey = idOrder ? null : decodeOrderedCursor(after, order);
    if (filter) checkFilterText({ ...filter }, ['template'], ctx.config.limits);
    const attributes = filter?.attributes ? attributeFilter(filter.attributes, ctx.config.limits) : null;
    let templateVersionIds: number[] | null = null;
    if (filter?.template) {
      const templates = await ctx.loaders.templatesOfWorkflow.load(workflow.id);
      templateVersionIds = templates
        .filter((t) => t.name === filter.template)
        .map((t) => t.taskTemplateVersionId);
    }
    const query = {
      workflowId: workflow.id,
      status: filter?.status,
      templateVersionIds,
      search: filter?.search,
      attributes,
      retrying: filter?.retrying,
    };
    const count = () => reads.countTasks(ctx.db, query);
    // The audit position before the rows (Workflow.lastEventId): a live table follows from it.
    await ctx.loaders.auditPosition();
    if (idOrder) {
      const page = await reads.pageTasks(ctx.db, query, size, afterId);
      for (const row of page.rows) ctx.loaders.task.prime(row.id, row);
      return toConnection(page, afterId, count);
    }
    const page = await reads.pageTasksOrdered(
      ctx.db,
      query,
      TASK_SORT_KEYS[field],
      direction,
      size,
      afterKey && { key: afterKey.key, id: afterKey.id },
    );
    for (const { row } of page.rows) ctx.loaders.task.prime(row.id, row);
    return toOrderedConnection(page, afterKey !== null, order, count);
  }

  @FieldResolver(() => ID, {
    description:
      'The newest AuditEvent id when this request started reading (before the rows of Workflow.tasks, ' +
      'errorClusters, resourceUsage and timeline): what they show holds every change up to it; ' +
      'taskStatusChanged(workflowId, since: lastEventId) brings every later one, none missed in between.',
  })
  async lastEventId(@Ctx() ctx: Context): Promise<number> {
    return ctx.loaders.auditPosition();
  }

  @FieldResolver(() => [WorkflowTaskTemplate], {
    description: 'Its templates, with counts and usage statistics per template.',
  })
  async taskTemplates(@Root() workflow: Workflow, @Ctx() ctx: Context): Promise<WorkflowTaskTemplate[]> {
    const [templates, counts, usage] = await Promise.all([
      ctx.loaders.templatesOfWorkflow.load(workflow.id),
      ctx.loaders.templateStatusCountsOfWorkflow.load(workflow.id),
      ctx.loaders.templateUsageOfWorkflow.load(workflow.id),
    ]);
    return templates.map((template) => {
      const stats = usage.find((u) => u.taskTemplateVersionId === template.taskTemplateVersionId);
      return {
        ...template,
        id: template.taskTemplateVersionId,
        statusCounts: toStatusCounts(counts.filter((c) => c.groupId === template.taskTemplateVersionId)),
        usage: {
          doneAttempts: stats?.doneAttempts ?? 0,
          maxRssMb: {
            measured: stats?.measuredRss ?? 0,
            min: stats?.minRss ?? null,
            mean: stats?.meanRss ?? null,
            max: stats?.maxRss ?? null,
          },
          runtimeSeconds: {
            measured: stats?.measuredWall ?? 0,
            min: stats?.minWall ?? null,
            mean: stats?.meanWall ?? null,
            max: stats?.maxWall ?? null,
          },
        },
      };
    });
  }

  @FieldResolver(() => Dag, {
    description:
      'Nodes and edges for drawing. AUTO collapses by template above `collapseAbove` tasks; `expand` lists templates drawn task by task.',
  })
  async dag(
    @Root() workflow: Workflow,
    @Ctx() ctx: Context,
    @Arg('collapse', () => DagCollapse, {
      defaultValue: DagCollapse.AUTO,
      description: 'How to draw it (default AUTO).',
    })
    collapse: DagCollapse,
    @Arg('collapseAbove', () => Int, {
      defaultValue: 500,
      description: 'AUTO draws templates as groups above this many tasks.',
    })
    collapseAbove: number,
    @Arg('expand', () => [String], {
      nullable: true,
      description: 'Templates drawn task by task while the others are collapsed.',
    })
    expand: string[] | null | undefined,
    @Info() info: GraphQLResolveInfo,
  ) {
    // Drawn task by task, the DAG costs up to the workflow's tasks and edges; with some templates
    // expanded, up to their tasks, the other templates' group nodes and the edges touching their tasks:
    // charged from counts before it is built.
    const everyTask =
      collapse === DagCollapse.TASKS ||
      (collapse === DagCollapse.AUTO && workflow.taskCount <= collapseAbove);
    if (everyTask) {
      const edges = await reads.countEdges(ctx.db, workflow.id);
      ctx.responseBudget.charge(
        workflow.taskCount * itemWeight(info, 'nodes') + edges * itemWeight(info, 'edges'),
      );
    } else if ((expand ?? []).length > 0) {
      const templates = await ctx.loaders.templatesOfWorkflow.load(workflow.id);
      const expanded = templates.filter((t) => expand!.includes(t.name)).map((t) => t.taskTemplateVersionId);
      const counts = await ctx.loaders.templateStatusCountsOfWorkflow.load(workflow.id);
      const tasks = counts
        .filter((row) => expanded.includes(row.groupId))
        .reduce((sum, row) => sum + row.count, 0);
      const edges = await reads.countEdgesOfTemplates(ctx.db, workflow.id, expanded);
      ctx.responseBudget.charge(
        (tasks + templates.length) * itemWeight(info, 'nodes') +
          (edges + templates.length ** 2) * itemWeight(info, 'edges'),
      );
    }
    return buildDag(ctx.db, workflow.id, { collapse, collapseAbove, expand: expand ?? [] });
  }
}
