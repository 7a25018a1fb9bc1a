import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { StatusCounts, Workflow, WorkflowRun } from '../types/models.type';
import { toStatusCounts } from '../../services/status-counts';

@Resolver(() => WorkflowRun)
export class WorkflowRunResolver {
  @FieldResolver(() => Workflow, { description: 'The workflow it runs.' })
  async workflow(@Root() run: WorkflowRun, @Ctx() ctx: Context) {
    return ctx.loaders.workflow.load(run.workflowId);
  }

  @FieldResolver(() => StatusCounts, {
    description: "The workflow's task counts (tasks belong to the workflow).",
  })
  async statusCounts(@Root() run: WorkflowRun, @Ctx() ctx: Context) {
    return toStatusCounts(await ctx.loaders.statusCountsOfWorkflow.load(run.workflowId));
  }
}
