import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import { NotFoundError, TaskStatus } from '../../domain';
import type { Context } from '../context';
import { parseId } from '../pagination';
import { itemWeight } from '../response-budget';
import { Resources, Task, TaskInstance, TaskTemplate, Workflow } from '../types/models.type';

@Resolver(() => Task)
export class TaskResolver {
  @Query(() => Task, { nullable: true })
  async task(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    const taskId = parseId(id, 'task');
    // The audit position first: the task read after it shows every change up to Task.lastEventId.
    await ctx.loaders.auditPosition();
    const task = await ctx.loaders.task.load(taskId);
    // Tasks of a chunked binding that is not committed yet do not exist for readers.
    const workflow = task && (await ctx.loaders.workflow.load(task.workflowId));
    if (!task || !workflow || workflow.bindingToken !== null) throw new NotFoundError('Task', id);
    return task;
  }

  @FieldResolver(() => ID, {
    description:
      'The newest AuditEvent id when this request started reading (in task(id), read before the task): the ' +
      'response shows every change up to it; subscribe to taskStatusChanged(workflowId, since: lastEventId) ' +
      'to get every later change, none missed in between.',
  })
  async lastEventId(@Ctx() ctx: Context): Promise<number> {
    return ctx.loaders.auditPosition();
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      "Why a QUEUED task may wait for good: no registered distributor runs its owner's work. Null otherwise.",
  })
  async waitingReason(@Root() task: Task, @Ctx() ctx: Context): Promise<string | null> {
    if (task.status !== TaskStatus.QUEUED) return null;
    const workflow = await ctx.loaders.workflow.load(task.workflowId);
    if (!workflow) return null;
    // A page of tasks shares one answer per owner.
    return ctx.loaders.waitingReason(workflow.ownerKey === '' ? null : workflow.ownerKey);
  }

  @FieldResolver(() => Workflow)
  async workflow(@Root() task: Task, @Ctx() ctx: Context) {
    return ctx.loaders.workflow.load(task.workflowId);
  }

  @FieldResolver(() => TaskTemplate)
  async template(@Root() task: Task, @Ctx() ctx: Context) {
    return ctx.loaders.templateVersion.load(task.taskTemplateVersionId);
  }

  // Stored as NULL when the task has none; the field is a non-null list.
  @FieldResolver(() => [String])
  fallbackQueues(@Root() task: Task): string[] {
    return task.fallbackQueues ?? [];
  }

  @FieldResolver(() => Resources, { description: 'What the next attempt will request.' })
  async resources(@Root() task: Task, @Ctx() ctx: Context) {
    return ctx.loaders.resources.load(task.taskResourcesId);
  }

  @FieldResolver(() => [TaskInstance], { description: 'Attempts, oldest first.' })
  async instances(@Root() task: Task, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    const instances = await ctx.loaders.instancesOfTask.load(task.id);
    ctx.responseBudget.charge(instances.length * itemWeight(info));
    return instances;
  }

  @FieldResolver(() => [Task])
  async upstream(@Root() task: Task, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    const edges = await ctx.loaders.upstreamOfTask.load(task.id);
    // Charged before the tasks are loaded: a dense DAG walked a few levels deep stops here.
    ctx.responseBudget.charge(edges.length * itemWeight(info));
    return ctx.loaders.task.loadMany(edges.map((edge) => edge.upstream));
  }

  @FieldResolver(() => [Task])
  async downstream(@Root() task: Task, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    const edges = await ctx.loaders.downstreamOfTask.load(task.id);
    ctx.responseBudget.charge(edges.length * itemWeight(info));
    return ctx.loaders.task.loadMany(edges.map((edge) => edge.downstream));
  }
}
