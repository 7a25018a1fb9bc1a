import { Arg, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import { BadUserInputError, TaskStatus as DomainTaskStatus } from '../../domain';
import {
  OVERRIDE_STATUSES,
  ResumeMode,
  resumeWorkflow,
  setMaxConcurrentlyRunning,
  setTaskStatus,
  stopWorkflow,
  type OverrideStatus,
} from '../../services/engine/control';
import type { Context } from '../context';
import { parseId } from '../pagination';
import { TaskStatus } from '../types/enums';
import { Task, Workflow } from '../types/models.type';

const isOverride = (status: DomainTaskStatus): status is OverrideStatus =>
  (OVERRIDE_STATUSES as readonly string[]).includes(status);

// Run controls: resume, stop, concurrency, and a person's override of task statuses.
@Resolver()
export class WorkflowControlResolver {
  @Mutation(() => Workflow, { description: 'Starts a new run; DONE tasks never run again.' })
  async resumeWorkflow(
    @Ctx() ctx: Context,
    @Arg('id', () => ID) id: string,
    @Arg('mode', () => ResumeMode, { defaultValue: ResumeMode.COLD }) mode: ResumeMode,
  ) {
    const workflowId = parseId(id, 'workflow');
    await resumeWorkflow(ctx.db, workflowId, mode, { actor: ctx.user });
    return ctx.loaders.workflow.load(workflowId);
  }

  @Mutation(() => Workflow, {
    description: 'Kills running attempts and moves unfinished tasks to ERROR_FATAL (reason "stopped").',
  })
  async stopWorkflow(
    @Ctx() ctx: Context,
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String, { nullable: true }) reason?: string | null,
  ) {
    const workflowId = parseId(id, 'workflow');
    await stopWorkflow(ctx.db, workflowId, reason ?? null, { actor: ctx.user });
    return ctx.loaders.workflow.load(workflowId);
  }

  @Mutation(() => Workflow, {
    description:
      "Changes the workflow's limit (templateName omitted) or one template's limit (null: none) while it runs.",
  })
  async setMaxConcurrentlyRunning(
    @Ctx() ctx: Context,
    @Arg('workflowId', () => ID) id: string,
    @Arg('limit', () => Int, { nullable: true }) limit: number | null,
    @Arg('templateName', () => String, { nullable: true }) templateName?: string | null,
  ) {
    const workflowId = parseId(id, 'workflow');
    await setMaxConcurrentlyRunning(ctx.db, workflowId, templateName ?? null, limit ?? null);
    return ctx.loaders.workflow.load(workflowId);
  }

  @Mutation(() => [Task], {
    description:
      "A person's audited override: DONE, QUEUED (rerun) or ERROR_FATAL; recursive applies it to the downstream subtree.",
  })
  async setTaskStatus(
    @Ctx() ctx: Context,
    @Arg('taskIds', () => [ID]) taskIds: string[],
    @Arg('status', () => TaskStatus) status: DomainTaskStatus,
    @Arg('recursive', () => Boolean, { defaultValue: false }) recursive: boolean,
  ) {
    if (!isOverride(status))
      throw new BadUserInputError(`status must be one of ${OVERRIDE_STATUSES.join(', ')} (got ${status})`, [
        'status',
      ]);
    const changed = await setTaskStatus(
      ctx.db,
      taskIds.map((id) => parseId(id, 'task')),
      status,
      recursive,
      { actor: ctx.user },
    );
    const tasks = await ctx.loaders.task.loadMany(changed);
    return tasks.filter((task) => task && !(task instanceof Error));
  }
}
