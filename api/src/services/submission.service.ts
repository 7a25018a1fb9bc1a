import { addTemplateEdgeCounts } from '../db/ops/template-edge-counts';
import type { InputLimits } from '../domain';
import { UniqueConstraintError, type Transaction } from 'sequelize';
import type { Database } from '../db';
import {
  findToolId,
  findWorkflowByIdentity,
  insertEdges,
  insertTasks,
  insertWorkflow,
  insertWorkflowTemplates,
  latestRunId,
  startFirstRun,
  upsertResources,
  upsertTemplates,
  upsertTool,
} from '../db/ops/bind-workflow';
import { applySubmittedResources } from '../db/ops/apply-submitted-resources';
import { assertText, type ResolvedResources } from '../domain';
import { logger } from '../logger';
import { prepareSubmission } from './submission.prepare';
import type { SubmitResult, WorkflowSubmission } from './submission.types';

export interface SubmitOptions {
  /** Who submits (recorded on the run and as the audit actor). */
  user: string | null;
  maxTasks: number;
  /** Sizes of text and JSON (config.limits); default DEFAULT_INPUT_LIMITS. */
  limits?: InputLimits;
}

/**
 * Validates a whole DAG, then binds it in one transaction: templates, resources, the workflow, its
 * tasks with rendered commands, edges, and a first run with the root tasks queued. The same tool +
 * workflowArgs + task set finds the existing workflow instead (`created: false`).
 */
export async function submitWorkflow(
  db: Database,
  submission: WorkflowSubmission,
  options: SubmitOptions,
): Promise<SubmitResult> {
  const prepared = await prepareSubmission(submission, options.maxTasks, options.limits);
  // Open mode: the client's own user is recorded (who ran what), but owns nothing (no identity, no access).
  const clientUser = options.user === null ? (submission.user ?? null) : null;
  assertText(clientUser, 'user', 'name', options.limits);
  const creator = options.user ?? clientUser;

  const existing = await findExisting(db, prepared, options.user);
  if (existing) return existing;

  try {
    return await db.transaction(async (transaction) => {
      const now = new Date();
      const toolIds = await upsertTool(db, transaction, prepared.tool, now);
      // Checked again inside the transaction: an identical submission may have committed meanwhile.
      const raced = await findWorkflowByIdentity(
        db,
        transaction,
        toolIds.toolId,
        prepared.workflowArgsHash,
        prepared.taskHash,
        options.user,
      );
      if (raced !== null) {
        await resubmitResources(db, transaction, raced, prepared.tasks);
        return {
          workflowId: raced,
          workflowRunId: (await latestRunId(db, transaction, raced))!,
          created: false,
        };
      }

      const versionIds = await upsertTemplates(db, transaction, toolIds.toolId, prepared.templates, now);
      const resourceSets = new Map<string, ResolvedResources>();
      for (const task of prepared.tasks) resourceSets.set(task.resourcesHash, task.resources);
      const resourceIds = await upsertResources(db, transaction, resourceSets, now);

      const workflowId = await insertWorkflow(
        db,
        transaction,
        toolIds,
        {
          ...prepared,
          taskCount: prepared.tasks.length,
          createdBy: creator,
          owner: options.user,
          bindingToken: null,
          bindingExpiresAt: null,
        },
        now,
      );
      await insertWorkflowTemplates(db, transaction, workflowId, prepared.templates, versionIds);
      const taskIds = await insertTasks(
        db,
        transaction,
        workflowId,
        prepared.tasks,
        versionIds,
        resourceIds,
        now,
      );
      const rootIds: number[] = [];
      for (const task of prepared.tasks) if (task.upstream.length === 0) rootIds.push(taskIds.get(task.key)!);
      const edges = function* () {
        for (const task of prepared.tasks) {
          const downstream = taskIds.get(task.key)!;
          for (const upstream of task.upstream) yield [taskIds.get(upstream)!, downstream] as const;
        }
      };
      await insertEdges(db, transaction, workflowId, edges());
      const templates = new Map(
        prepared.tasks.map((task) => [taskIds.get(task.key)!, versionIds.get(task.template)!]),
      );
      await addTemplateEdgeCounts(db, transaction, workflowId, edges(), (id) => templates.get(id));
      const workflowRunId = await startFirstRun(db, transaction, workflowId, creator, now, rootIds);
      return { workflowId, workflowRunId, created: true };
    });
  } catch (error) {
    // Two identical submissions raced on MySQL: the loser finds the winner's workflow.
    if (error instanceof UniqueConstraintError) {
      const found = await findExisting(db, prepared, options.user);
      if (found) return found;
    }
    throw error;
  }
}

/** The submitter's own workflow with this identity, if any. */
async function findExisting(
  db: Database,
  identity: {
    tool: string;
    workflowArgsHash: string;
    taskHash: string;
    tasks: readonly { key: string; resources: ResolvedResources; resourcesHash: string }[];
  },
  owner: string | null,
): Promise<SubmitResult | null> {
  const toolId = await findToolId(db, undefined, identity.tool);
  if (toolId === null) return null;
  const workflowId = await findWorkflowByIdentity(
    db,
    undefined,
    toolId,
    identity.workflowArgsHash,
    identity.taskHash,
    owner,
  );
  if (workflowId === null) return null;
  const workflowRunId = await latestRunId(db, undefined, workflowId);
  if (workflowRunId === null) return null;
  await db.transaction((transaction) => resubmitResources(db, transaction, workflowId, identity.tasks));
  return { workflowId, workflowRunId, created: false };
}

/**
 * A resubmission's resources: tasks asking for other resources than their last submission get them for
 * their next attempt (Jobmon applies a changed request on resume); the others keep theirs.
 */
async function resubmitResources(
  db: Database,
  transaction: Transaction,
  workflowId: number,
  tasks: readonly { key: string; resources: ResolvedResources; resourcesHash: string }[],
): Promise<void> {
  const sets = new Map<string, ResolvedResources>();
  for (const task of tasks) sets.set(task.resourcesHash, task.resources);
  const ids = await upsertResources(db, transaction, sets, new Date());
  const submitted = new Map(tasks.map((task) => [task.key, ids.get(task.resourcesHash)!]));
  const changed = await applySubmittedResources(db, transaction, workflowId, submitted);
  if (changed.length)
    logger.info(
      { workflowId, tasks: changed.length },
      'resubmission: changed resources apply to the next attempts',
    );
}
