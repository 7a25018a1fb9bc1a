import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { NotFoundError } from '../../domain';
import type { Context } from '../context';
import { parseId } from '../pagination';
import { ResourceUsage, Resources, Task, TaskInstance, WorkflowRun } from '../types/models.type';

@Resolver(() => TaskInstance)
export class TaskInstanceResolver {
  @Query(() => TaskInstance, { nullable: true })
  async taskInstance(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    const instance = await ctx.loaders.taskInstance.load(parseId(id, 'task instance'));
    if (!instance) throw new NotFoundError('TaskInstance', id);
    return instance;
  }

  @FieldResolver(() => Task)
  async task(@Root() instance: TaskInstance, @Ctx() ctx: Context) {
    return ctx.loaders.task.load(instance.taskId);
  }

  @FieldResolver(() => WorkflowRun)
  async workflowRun(@Root() instance: TaskInstance, @Ctx() ctx: Context) {
    return ctx.loaders.run.load(instance.workflowRunId);
  }

  @FieldResolver(() => Resources, { description: 'What this attempt was given.' })
  async resources(@Root() instance: TaskInstance, @Ctx() ctx: Context) {
    return ctx.loaders.resources.load(instance.taskResourcesId);
  }

  @FieldResolver(() => ResourceUsage)
  usage(@Root() instance: TaskInstance): ResourceUsage {
    return {
      maxRssMb: instance.maxRssMb,
      wallSeconds: instance.wallSeconds,
      cpuSeconds: instance.cpuSeconds,
    };
  }
}
