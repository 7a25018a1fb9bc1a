import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { NotFoundError } from '../../domain';
import { readDistributor } from '../../services/distributors/registry';
import type { Context } from '../context';
import { Distributor } from '../types/distributor-protocol.type';
import { parseId } from '../pagination';
import { ResourceUsage, Resources, Task, TaskInstance, WorkflowRun } from '../types/models.type';

@Resolver(() => TaskInstance)
export class TaskInstanceResolver {
  @Query(() => TaskInstance, {
    nullable: true,
    description: 'An attempt by id (NOT_FOUND when there is none).',
  })
  async taskInstance(
    @Ctx() ctx: Context,
    @Arg('id', () => ID, { description: 'The attempt id.' }) id: string,
  ) {
    const instanceId = parseId(id, 'task instance');
    // As in task(id): the audit position before the row (TaskInstance.lastEventId).
    await ctx.loaders.auditPosition();
    const instance = await ctx.loaders.taskInstance.load(instanceId);
    if (!instance) throw new NotFoundError('TaskInstance', id);
    return instance;
  }

  @FieldResolver(() => ID, {
    description:
      'The newest AuditEvent id when this request started reading (in taskInstance(id), read before the ' +
      'attempt): as Task.lastEventId, a since for taskStatusChanged of its workflow.',
  })
  async lastEventId(@Ctx() ctx: Context): Promise<number> {
    return ctx.loaders.auditPosition();
  }

  @FieldResolver(() => Distributor, {
    nullable: true,
    description: 'The distributor that claimed it: whose work it runs, and as whom (servesAllUsers).',
  })
  async distributor(@Root() instance: TaskInstance, @Ctx() ctx: Context) {
    if (instance.distributorId == null) return null;
    return readDistributor(ctx.db, instance.distributorId).catch(() => null);
  }

  @FieldResolver(() => Task, { description: 'The task it is an attempt of.' })
  async task(@Root() instance: TaskInstance, @Ctx() ctx: Context) {
    return ctx.loaders.task.load(instance.taskId);
  }

  @FieldResolver(() => WorkflowRun, { description: 'The run it belongs to.' })
  async workflowRun(@Root() instance: TaskInstance, @Ctx() ctx: Context) {
    return ctx.loaders.run.load(instance.workflowRunId);
  }

  @FieldResolver(() => Resources, { description: 'What this attempt was given.' })
  async resources(@Root() instance: TaskInstance, @Ctx() ctx: Context) {
    return ctx.loaders.resources.load(instance.taskResourcesId);
  }

  @FieldResolver(() => ResourceUsage, { description: 'Its measured usage (memory, wall and CPU time).' })
  usage(@Root() instance: TaskInstance): ResourceUsage {
    return {
      maxRssMb: instance.maxRssMb,
      wallSeconds: instance.wallSeconds,
      cpuSeconds: instance.cpuSeconds,
    };
  }
}
