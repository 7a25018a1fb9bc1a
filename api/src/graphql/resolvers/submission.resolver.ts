import { Arg, Ctx, Field, Mutation, ObjectType, Resolver } from 'type-graphql';
import { submitWorkflow } from '../../services/submission.service';
import type { Context } from '../context';
import { WorkflowSubmission } from '../types/inputs';
import { Workflow, WorkflowRun } from '../types/models.type';

@ObjectType({ description: 'The answer to submitWorkflow.' })
export class SubmitWorkflowPayload {
  @Field(() => Workflow, { description: 'The workflow (found or created).' }) workflow!: Workflow;
  @Field(() => WorkflowRun, { description: 'The run started for it.' }) workflowRun!: WorkflowRun;
  @Field(() => Boolean, { description: 'False when the same tool + workflowArgs + tasks already existed.' })
  created!: boolean;
}

@Resolver()
export class SubmissionResolver {
  @Mutation(() => SubmitWorkflowPayload, {
    description: 'Validates and binds a whole DAG in one transaction, then starts a run.',
  })
  async submitWorkflow(
    @Ctx() ctx: Context,
    @Arg('input', () => WorkflowSubmission, { description: 'The whole workflow.' }) input: WorkflowSubmission,
  ): Promise<SubmitWorkflowPayload> {
    const result = await submitWorkflow(ctx.db, input, {
      user: ctx.user,
      maxTasks: ctx.config.maxTasksPerSubmission,
      limits: ctx.config.limits,
    });
    const [workflow, workflowRun] = await Promise.all([
      ctx.loaders.workflow.load(result.workflowId),
      ctx.loaders.run.load(result.workflowRunId),
    ]);
    return { workflow: workflow!, workflowRun: workflowRun!, created: result.created };
  }
}
