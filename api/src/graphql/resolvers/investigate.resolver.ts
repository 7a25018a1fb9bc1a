import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, Info, Int, Resolver, Root } from 'type-graphql';
import type { TaskInstanceRow, TaskRow, WorkflowRow } from '../../db/ops/reads';
import { taskBlockedBy } from '../../services/block-facts.service';
import { clusterWorkflowErrors } from '../../services/error-clusters.service';
import type { Context } from '../context';
import { checkFilterText, pageSize } from '../pagination';
import { itemWeight } from '../response-budget';
import { BlockReason, ErrorCluster } from '../types/investigate.type';
import { Task, TaskInstance, Workflow } from '../types/models.type';

// "What went wrong" and "why is it waiting": Workflow.errorClusters and Task.blockedBy. Reads, open to every
// token that may read the workflow (domain/access.ts: workflow, task and taskInstance are readable by all).

@Resolver(() => Workflow)
export class WorkflowErrorsResolver {
  @FieldResolver(() => [ErrorCluster], {
    description:
      "The workflow's failed attempts grouped by their error (message and stderr's end), most attempts first: " +
      'texts that differ only in numbers, paths, ids, hex and timestamps fall together, similar ones are merged. ' +
      "`templateName` keeps one template's attempts; `first` (default 20) bounds the clusters returned.",
  })
  async errorClusters(
    @Root() workflow: WorkflowRow,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('templateName', () => String, { nullable: true, description: 'Only attempts of this template.' })
    templateName?: string | null,
    @Arg('first', () => Int, { nullable: true, description: 'At most this many clusters, biggest first.' })
    first?: number | null,
  ): Promise<ErrorCluster[]> {
    const size = pageSize(first ?? 20, ctx.config.maxPageSize);
    if (templateName != null) checkFilterText({ templateName }, ['templateName'], ctx.config.limits);
    // The audit position before the attempts (Workflow.lastEventId): a live errors page follows from it.
    await ctx.loaders.auditPosition();
    const templates = await ctx.loaders.templatesOfWorkflow.load(workflow.id);
    const names = new Map(templates.map((t) => [t.taskTemplateVersionId, t.name]));
    const only =
      templateName == null
        ? null
        : templates.filter((t) => t.name === templateName).map((t) => t.taskTemplateVersionId);
    const clusters = await clusterWorkflowErrors(ctx.db, workflow.id, names, only, size);
    ctx.responseBudget.charge(clusters.length * itemWeight(info));
    return clusters;
  }
}

@Resolver(() => Task)
export class TaskBlockedByResolver {
  @FieldResolver(() => [BlockReason], {
    description:
      'Why the task is waiting, every reason that holds (empty when it is not waiting: running, done, failed ' +
      'for good): upstream tasks not DONE, the workflow or template limit reached, no distributor for its ' +
      "queue, the backend's own pending reason, or a workflow run that does not schedule.",
  })
  async blockedBy(@Root() task: TaskRow, @Ctx() ctx: Context): Promise<BlockReason[]> {
    return taskBlockedBy(task, ctx.loaders);
  }
}

@Resolver(() => TaskInstance)
export class TaskInstanceBackendResolver {
  @FieldResolver(() => String, {
    nullable: true,
    description:
      "Why the backend holds this LAUNCHED attempt pending, as its distributor last reported (Slurm's pending reason, e.g. Resources, Priority). Null once it runs or when the backend does not say.",
  })
  backendPendingReason(@Root() instance: TaskInstanceRow): string | null {
    return instance.status === 'LAUNCHED' ? (instance.backendPendingReason ?? null) : null;
  }
}
