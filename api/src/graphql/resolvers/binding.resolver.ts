import { Arg, Ctx, Field, ID, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import {
  abortWorkflowBinding,
  addWorkflowTasks,
  beginWorkflowBinding,
  commitWorkflowBinding,
  type BindingInfo,
} from '../../services/binding.service';
import type { Context } from '../context';
import { TaskInput, WorkflowBindingInput } from '../types/inputs';
import { SubmitWorkflowPayload } from './submission.resolver';

// The chunked binding of a workflow too large for one submitWorkflow request:
// beginWorkflowBinding → addWorkflowTasks (any number of chunks) → commitWorkflowBinding | abortWorkflowBinding.

@ObjectType({
  description:
    'An open chunked binding. Its workflow is invisible and not runnable until commitWorkflowBinding; it is deleted when it expires.',
})
export class WorkflowBinding {
  @Field(() => ID, {
    description: 'Names the binding in addWorkflowTasks / commitWorkflowBinding / abortWorkflowBinding.',
  })
  bindingId!: string;
  @Field(() => DateTimeISOResolver, {
    description: 'When the binding is deleted unless another chunk arrives first.',
  })
  expiresAt!: Date;
  @Field(() => Int, { description: 'Tasks added so far.' }) taskCount!: number;
  @Field(() => Int, { description: 'Chunks added so far.' }) chunkCount!: number;
}

@Resolver()
export class BindingResolver {
  @Mutation(() => WorkflowBinding, {
    description:
      'Starts a chunked binding: validates the workflow fields and templates and creates the (hidden) workflow.',
  })
  async beginWorkflowBinding(
    @Ctx() ctx: Context,
    @Arg('input', () => WorkflowBindingInput, { description: 'The workflow without its tasks.' })
    input: WorkflowBindingInput,
  ): Promise<BindingInfo> {
    return beginWorkflowBinding(ctx.db, input, {
      user: ctx.user,
      maxTasks: ctx.config.maxTasksPerSubmission,
      limits: ctx.config.limits,
      ttlMs: ctx.config.bindingTtlSeconds * 1000,
    });
  }

  @Mutation(() => WorkflowBinding, {
    description:
      'Adds a chunk of tasks in one transaction (a bad chunk writes nothing). Upstream keys may name tasks of any chunk, earlier or later: they are resolved at commit.',
  })
  async addWorkflowTasks(
    @Ctx() ctx: Context,
    @Arg('bindingId', () => ID, { description: 'The binding from beginWorkflowBinding.' }) bindingId: string,
    @Arg('tasks', () => [TaskInput], {
      description: 'A chunk of the tasks (upstream keys may name tasks of earlier chunks).',
    })
    tasks: TaskInput[],
  ): Promise<BindingInfo> {
    return addWorkflowTasks(ctx.db, bindingId, tasks, {
      user: ctx.user,
      maxTasks: ctx.config.maxTasksPerSubmission,
      limits: ctx.config.limits,
      ttlMs: ctx.config.bindingTtlSeconds * 1000,
    });
  }

  @Mutation(() => SubmitWorkflowPayload, {
    description:
      'Binds the whole DAG in one transaction (unknown upstream keys and cycles are refused; the binding then stays open) and starts a run. An identical existing workflow is returned instead, with created: false.',
  })
  async commitWorkflowBinding(
    @Ctx() ctx: Context,
    @Arg('bindingId', () => ID, { description: 'The binding from beginWorkflowBinding.' }) bindingId: string,
  ): Promise<SubmitWorkflowPayload> {
    const result = await commitWorkflowBinding(ctx.db, bindingId, { user: ctx.user });
    const [workflow, workflowRun] = await Promise.all([
      ctx.loaders.workflow.load(result.workflowId),
      ctx.loaders.run.load(result.workflowRunId),
    ]);
    return { workflow: workflow!, workflowRun: workflowRun!, created: result.created };
  }

  @Mutation(() => Boolean, { description: 'Deletes an open binding and everything added to it.' })
  async abortWorkflowBinding(
    @Ctx() ctx: Context,
    @Arg('bindingId', () => ID, { description: 'The binding from beginWorkflowBinding.' }) bindingId: string,
  ): Promise<boolean> {
    return abortWorkflowBinding(ctx.db, bindingId, { user: ctx.user });
  }
}
