import { Arg, Ctx, Field, ID, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import {
  assertMayControlWorkflow,
  assertText,
  BadUserInputError,
  TaskStatus as DomainTaskStatus,
} from '../../domain';
import {
  OVERRIDE_STATUSES,
  ResumeMode,
  resetWorkflow,
  resumeWorkflow,
  setMaxConcurrentlyRunning,
  setTaskStatus,
  stopWorkflow,
  type OverrideStatus,
} from '../../services/run-control/control';
import {
  updateTaskResources,
  updateTemplateTaskResources,
} from '../../services/run-control/update-resources';
import { setTaskAttributes, setWorkflowAttributes } from '../../services/attributes.service';
import { JSONObjectResolver } from 'graphql-scalars';
import type { Context } from '../context';
import { ResourceScalesInput, ResourcesInput } from '../types/inputs';
import { parseId } from '../pagination';
import { TaskStatus } from '../types/enums';
import { Task, Workflow } from '../types/models.type';

const isOverride = (status: DomainTaskStatus): status is OverrideStatus =>
  (OVERRIDE_STATUSES as readonly string[]).includes(status);

/** Only a workflow's owner (or an admin) controls it; unknown ids are left to the service (NOT_FOUND). */
export async function assertControls(ctx: Context, workflowIds: readonly number[]): Promise<void> {
  if (!ctx.principal) return;
  const workflows = await ctx.loaders.workflow.loadMany([...new Set(workflowIds)]);
  for (const workflow of workflows)
    if (workflow && !(workflow instanceof Error))
      assertMayControlWorkflow(ctx.principal, { id: workflow.id, user: workflow.createdBy });
  // The answer is read after the change: these rows must not be served from the loader's cache.
  for (const id of workflowIds) ctx.loaders.workflow.clear(id);
}

/** Only the owners (or an admin) of the tasks' workflows change them. */
export async function assertControlsTasks(ctx: Context, taskIds: readonly number[]): Promise<void> {
  if (!ctx.principal) return;
  const tasks = await ctx.loaders.task.loadMany(taskIds);
  await assertControls(
    ctx,
    tasks.flatMap((task) => (task && !(task instanceof Error) ? [task.workflowId] : [])),
  );
  for (const id of taskIds) ctx.loaders.task.clear(id);
}

/** The tasks a control changed, read afresh (not from the loader's cache); one gone since is left out. */
async function changedTasks(ctx: Context, ids: readonly number[]) {
  for (const id of ids) ctx.loaders.task.clear(id);
  const tasks = await ctx.loaders.task.loadMany(ids);
  return tasks.filter((task) => task && !(task instanceof Error));
}

@ObjectType({ description: 'The answer to updateTemplateTaskResources.' })
export class TemplateResourcesUpdate {
  @Field(() => Workflow, { description: 'The workflow.' }) workflow!: Workflow;
  @Field(() => String, { description: 'The template changed.' }) templateName!: string;
  @Field(() => Int, { description: "How many of the workflow's tasks the template has (all were changed)." })
  taskCount!: number;
}

// Run controls: resume, stop, concurrency, and a person's override of task statuses.
@Resolver()
export class WorkflowControlResolver {
  @Mutation(() => Workflow, { description: 'Starts a new run; DONE tasks never run again.' })
  async resumeWorkflow(
    @Ctx() ctx: Context,
    @Arg('id', () => ID, { description: 'The workflow.' }) id: string,
    @Arg('mode', () => ResumeMode, { defaultValue: ResumeMode.COLD, description: 'COLD (default) or HOT.' })
    mode: ResumeMode,
  ) {
    const workflowId = parseId(id, 'workflow');
    await assertControls(ctx, [workflowId]);
    await resumeWorkflow(ctx.db, workflowId, mode, { actor: ctx.user });
    return ctx.loaders.workflow.load(workflowId);
  }

  @Mutation(() => Workflow, {
    description:
      "Jobmon's workflow_reset (owner or admin): a workflow whose latest run has ended (DONE, FAILED or " +
      'HALTED) starts a fresh run of every task: each goes back to REGISTERING (those ready are QUEUED) ' +
      'with its attempts counted afresh; audit rows give the reason "workflow reset". With partial, DONE ' +
      'tasks are kept. Refused (ILLEGAL_TRANSITION) while a run is active.',
  })
  async resetWorkflow(
    @Ctx() ctx: Context,
    @Arg('id', () => ID, { description: 'The workflow.' }) id: string,
    @Arg('partial', () => Boolean, {
      defaultValue: false,
      description: 'Keep DONE tasks as they are (only the others run again).',
    })
    partial: boolean,
  ) {
    const workflowId = parseId(id, 'workflow');
    await assertControls(ctx, [workflowId]);
    await resetWorkflow(ctx.db, workflowId, { actor: ctx.user, partial });
    return ctx.loaders.workflow.load(workflowId);
  }

  @Mutation(() => Workflow, {
    description: 'Kills running attempts and moves unfinished tasks to ERROR_FATAL (reason "stopped").',
  })
  async stopWorkflow(
    @Ctx() ctx: Context,
    @Arg('id', () => ID, { description: 'The workflow.' }) id: string,
    @Arg('reason', () => String, { nullable: true, description: 'Recorded in the audit log.' })
    reason?: string | null,
  ) {
    const workflowId = parseId(id, 'workflow');
    await assertControls(ctx, [workflowId]);
    assertText(reason, 'reason', 'text', ctx.config.limits);
    await stopWorkflow(ctx.db, workflowId, reason ?? null, { actor: ctx.user });
    return ctx.loaders.workflow.load(workflowId);
  }

  @Mutation(() => Workflow, {
    description:
      "Changes the workflow's limit (templateName omitted) or one template's limit (null: none) while it runs.",
  })
  async setMaxConcurrentlyRunning(
    @Ctx() ctx: Context,
    @Arg('workflowId', () => ID, { description: 'The workflow.' }) id: string,
    @Arg('limit', () => Int, { nullable: true, description: 'The new limit (0 pauses).' })
    limit: number | null,
    @Arg('templateName', () => String, {
      nullable: true,
      description: "A template's limit within the workflow instead of the workflow's.",
    })
    templateName?: string | null,
  ) {
    const workflowId = parseId(id, 'workflow');
    await assertControls(ctx, [workflowId]);
    await setMaxConcurrentlyRunning(ctx.db, workflowId, templateName ?? null, limit ?? null, ctx.events);
    return ctx.loaders.workflow.load(workflowId);
  }

  @Mutation(() => [Task], {
    description:
      "A person's audited override: DONE, QUEUED (rerun) or ERROR_FATAL; recursive applies it to the downstream subtree.",
  })
  async setTaskStatus(
    @Ctx() ctx: Context,
    @Arg('taskIds', () => [ID], { description: 'The tasks.' }) taskIds: string[],
    @Arg('status', () => TaskStatus, { description: 'The status to set.' }) status: DomainTaskStatus,
    @Arg('recursive', () => Boolean, { defaultValue: false, description: 'Also set every downstream task.' })
    recursive: boolean,
  ) {
    if (!isOverride(status))
      throw new BadUserInputError(`status must be one of ${OVERRIDE_STATUSES.join(', ')} (got ${status})`, [
        'status',
      ]);
    const ids = taskIds.map((id) => parseId(id, 'task'));
    await assertControlsTasks(ctx, ids);
    const changed = await setTaskStatus(ctx.db, ids, status, recursive, { actor: ctx.user });
    return changedTasks(ctx, changed);
  }

  @Mutation(() => [Task], {
    description:
      'Changes what tasks ask for (owner or admin): the fields given replace theirs, the others are kept; ' +
      'resourceScales likewise. Applies to the next attempt of each (a running attempt keeps what it has).',
  })
  async updateTaskResources(
    @Ctx() ctx: Context,
    @Arg('taskIds', () => [ID], { description: 'The tasks.' }) taskIds: string[],
    @Arg('resources', () => ResourcesInput, { description: 'The resources to set (fields left out stay).' })
    resources: ResourcesInput,
    @Arg('resourceScales', () => ResourceScalesInput, {
      nullable: true,
      description: 'New resource scales too (optional).',
    })
    resourceScales?: ResourceScalesInput | null,
  ) {
    const ids = taskIds.map((id) => parseId(id, 'task'));
    await assertControlsTasks(ctx, ids);
    const changed = await updateTaskResources(ctx.db, ids, resources, resourceScales ?? null, {
      actor: ctx.user,
    });
    return changedTasks(ctx, changed);
  }

  @Mutation(() => TemplateResourcesUpdate, {
    description:
      'updateTaskResources for every task of one template of a workflow (owner or admin): the fields given ' +
      "replace each task's, the others are kept; resourceScales likewise. Applies to their next attempts; " +
      'all tasks or none. The answer counts the tasks rather than listing them (a template may have millions).',
  })
  async updateTemplateTaskResources(
    @Ctx() ctx: Context,
    @Arg('workflowId', () => ID, { description: 'The workflow.' }) id: string,
    @Arg('templateName', () => String, {
      description: "The template's name (all its versions in the workflow).",
    })
    templateName: string,
    @Arg('resources', () => ResourcesInput, { description: 'The resources to set (fields left out stay).' })
    resources: ResourcesInput,
    @Arg('resourceScales', () => ResourceScalesInput, {
      nullable: true,
      description: 'New resource scales too (optional).',
    })
    resourceScales?: ResourceScalesInput | null,
  ): Promise<TemplateResourcesUpdate> {
    const workflowId = parseId(id, 'workflow');
    await assertControls(ctx, [workflowId]);
    const taskCount = await updateTemplateTaskResources(
      ctx.db,
      workflowId,
      templateName,
      resources,
      resourceScales ?? null,
      { actor: ctx.user },
    );
    ctx.loaders.task.clearAll();
    const workflow = await ctx.loaders.workflow.load(workflowId);
    return { workflow: workflow!, templateName, taskCount };
  }

  @Mutation(() => Workflow, {
    description:
      "Adds or changes a workflow's attributes after submission (owner or admin): the keys given replace " +
      'theirs, a null value removes a key, the others are kept. Stored within the free-text size cap.',
  })
  async setWorkflowAttributes(
    @Ctx() ctx: Context,
    @Arg('workflowId', () => ID, { description: 'The workflow.' }) id: string,
    @Arg('attributes', () => JSONObjectResolver, { description: '{ key: value } (null: remove the key)' })
    attributes: Record<string, unknown>,
  ) {
    const workflowId = parseId(id, 'workflow');
    await assertControls(ctx, [workflowId]);
    await setWorkflowAttributes(ctx.db, workflowId, attributes, ctx.config.limits);
    return ctx.loaders.workflow.load(workflowId);
  }

  @Mutation(() => [Task], {
    description:
      "Adds or changes tasks' attributes after submission (owner or admin of their workflows): the keys " +
      'given replace theirs, a null value removes a key, the others are kept. All tasks or none.',
  })
  async setTaskAttributes(
    @Ctx() ctx: Context,
    @Arg('taskIds', () => [ID], { description: 'The tasks (all changed or none).' }) taskIds: string[],
    @Arg('attributes', () => JSONObjectResolver, { description: '{ key: value } (null: remove the key)' })
    attributes: Record<string, unknown>,
  ) {
    const ids = taskIds.map((id) => parseId(id, 'task'));
    await assertControlsTasks(ctx, ids);
    const changed = await setTaskAttributes(ctx.db, ids, attributes, ctx.config.limits);
    return changedTasks(ctx, changed);
  }
}
