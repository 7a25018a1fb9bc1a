import { TASK_ACTIVE_STATUSES, TaskStatus, type TaskInstanceStatus } from '../domain';
import { blockedBy, type BlockFacts, type BlockReason } from '../domain/blocked-by';
import type { TaskRow } from '../db/ops/reads';
import type { Loaders } from '../graphql/loaders';

const ACTIVE: readonly string[] = TASK_ACTIVE_STATUSES;

/**
 * Task.blockedBy: the facts of one task, through the request's DataLoaders (a page of tasks costs one
 * statement per kind of fact, whatever its size), and the decision (domain/blocked-by.ts). Only the facts
 * its status needs are read.
 */
export async function taskBlockedBy(
  task: Pick<TaskRow, 'id' | 'status' | 'workflowId' | 'taskResourcesId' | 'taskTemplateVersionId'>,
  loaders: Loaders,
): Promise<BlockReason[]> {
  const status = task.status;
  if (status !== TaskStatus.REGISTERING && status !== TaskStatus.QUEUED && status !== TaskStatus.LAUNCHED)
    return [];
  const [workflow, runs] = await Promise.all([
    loaders.workflow.load(task.workflowId),
    loaders.runsOfWorkflow.load(task.workflowId),
  ]);
  if (!workflow) return [];
  const facts: BlockFacts = {
    status,
    upstreamTotal: 0,
    upstreamNotDone: 0,
    runStatus: runs[runs.length - 1]?.status ?? null,
    workflowLimit: workflow.maxConcurrentlyRunning,
    workflowActive: 0,
    templateName: '',
    templateLimit: null,
    templateActive: 0,
    queue: null,
    // Whose distributors may run it: the owner part of its identity (createdBy is only a label in open mode).
    owner: workflow.ownerKey === '' ? null : workflow.ownerKey,
    distributors: [],
    backendPendingReason: null,
    backendJobId: null,
  };
  if (status === TaskStatus.REGISTERING) {
    const upstream = await loaders.upstreamProgress.load(task.id);
    facts.upstreamTotal = upstream.total;
    facts.upstreamNotDone = upstream.notDone;
  } else if (status === TaskStatus.QUEUED) {
    const [templates, counts, resources, distributors] = await Promise.all([
      loaders.templatesOfWorkflow.load(task.workflowId),
      loaders.templateStatusCountsOfWorkflow.load(task.workflowId),
      loaders.resources.load(task.taskResourcesId),
      loaders.distributors(),
    ]);
    const template = templates.find((t) => t.taskTemplateVersionId === task.taskTemplateVersionId);
    facts.templateName = template?.name ?? '';
    facts.templateLimit = template?.maxConcurrentlyRunning ?? null;
    for (const count of counts) {
      if (!ACTIVE.includes(count.status)) continue;
      facts.workflowActive += count.count;
      if (count.groupId === task.taskTemplateVersionId) facts.templateActive += count.count;
    }
    facts.queue = resources?.queue ?? null;
    facts.distributors = distributors;
  } else {
    const instances = await loaders.instancesOfTask.load(task.id);
    const newest = instances[instances.length - 1];
    if (newest && (newest.status as TaskInstanceStatus) === 'LAUNCHED') {
      facts.backendPendingReason = newest.backendPendingReason ?? null;
      facts.backendJobId = newest.backendJobId;
    }
  }
  return blockedBy(facts);
}
