import { addStagedTemplateEdgeCounts, addTemplateEdgeCounts } from '../db/ops/template-edge-counts';
import type { InputLimits } from '../domain';
import { randomBytes } from 'node:crypto';
import { UniqueConstraintError, type Transaction } from 'sequelize';
import type { Database } from '../db';
import { applySubmittedResources, submittedResourcesByKey } from '../db/ops/apply-submitted-resources';
import {
  countStagedEdges,
  createBindingState,
  deleteBindingRows,
  expiredBindings,
  findBinding,
  finishBinding,
  insertStagedEdges,
  loadBindingTemplates,
  markBindingForDeletion,
  readIdGraph,
  resolveStagedEdges,
  taskIdsAbove,
  taskKeysOf,
  unresolvedStagedEdges,
  updateBindingState,
  type BindingState,
} from '../db/ops/binding';
import {
  findWorkflowByIdentity,
  insertEdges,
  insertTaskRows,
  insertWorkflow,
  insertWorkflowTemplates,
  latestRunId,
  startFirstRun,
  taskIdsByKey,
  upsertResources,
  upsertTemplates,
  upsertTool,
} from '../db/ops/bind-workflow';
import { recordCreated } from '../db/status-change';
import {
  BadUserInputError,
  EntityType,
  findCycleInIdEdges,
  ForbiddenError,
  NotFoundError,
  WorkflowStatus,
  type ResolvedResources,
} from '../domain';
import { logger } from '../logger';
import {
  prepareTask,
  prepareTemplates,
  prepareWorkflowFields,
  Problems,
  TaskSetHash,
  templateContext,
  type PreparedTask,
  type PreparedTemplate,
} from './submission.prepare';
import type { SubmitResult, TaskSubmission, WorkflowBindingSubmission } from './submission.types';
import { WorkSlicer } from './work-slicer';

// The chunked binding of a workflow too large for one request:
//   beginWorkflowBinding → addWorkflowTasks × N → commitWorkflowBinding (or abortWorkflowBinding).
// Until the commit the workflow row carries a binding_token: every read hides it and its tasks stay
// REGISTERING with no run, so nothing of it is visible or runnable. Each chunk is one transaction (a bad
// chunk writes nothing); the commit resolves the edges left pending, checks for cycles with typed arrays,
// checks the workflow's identity and starts the first run, in one transaction. An aborted or expired
// binding is deleted in id windows. The server never holds more than one chunk's tasks in memory.

const DEFAULT_BINDING_TTL_MS = 3_600_000;

export interface BindingOptions {
  /** Who binds (recorded on the workflow and run; only they may add, commit or abort). */
  user: string | null;
  /** Largest chunk one addWorkflowTasks may carry (the submitWorkflow limit). */
  maxTasks: number;
  /** Expiry after the last chunk (config.bindingTtlSeconds); default 1 hour. */
  ttlMs?: number;
  /** Sizes of text and JSON (config.limits); default DEFAULT_INPUT_LIMITS. */
  limits?: InputLimits;
  /** The clock (tests move it). */
  now?: () => Date;
}

export interface BindingInfo {
  bindingId: string;
  expiresAt: Date;
  /** Tasks added so far. */
  taskCount: number;
  /** Chunks added so far. */
  chunkCount: number;
}

/** Problems listed in an error message before "… and N more". */
const MAX_LISTED = 50;

const clock = (options: Pick<BindingOptions, 'now'>) => (options.now ? options.now() : new Date());
const ttl = (options: Pick<BindingOptions, 'ttlMs'>) => options.ttlMs ?? DEFAULT_BINDING_TTL_MS;

/** Validates the workflow fields and templates, then creates the hidden workflow and its templates. */
export async function beginWorkflowBinding(
  db: Database,
  input: WorkflowBindingSubmission,
  options: BindingOptions,
): Promise<BindingInfo> {
  const problems = new Problems(options.limits);
  const fields = prepareWorkflowFields(input, problems);
  if (!Array.isArray(input.taskTemplates) || input.taskTemplates.length === 0)
    problems.add('taskTemplates must not be empty');
  const templates = prepareTemplates(input.taskTemplates ?? [], problems);
  problems.throwIfAny('Invalid workflow binding');
  templateContext(templates, input, fields.maxAttempts); // compiles every command template once

  const token = randomBytes(32).toString('hex');
  const now = clock(options);
  const expiresAt = new Date(now.getTime() + ttl(options));
  await db.transaction(async (transaction) => {
    const toolIds = await upsertTool(db, transaction, fields.tool, now);
    const versionIds = await upsertTemplates(db, transaction, toolIds.toolId, templates, now);
    const workflowId = await insertWorkflow(
      db,
      transaction,
      toolIds,
      {
        ...fields,
        // Unique until the commit sets the real digest, so open bindings never collide on the identity index.
        taskHash: token,
        taskCount: 0,
        createdBy: options.user,
        bindingToken: token,
        bindingExpiresAt: expiresAt,
      },
      now,
      { recordCreated: false },
    );
    await insertWorkflowTemplates(db, transaction, workflowId, templates, versionIds);
    await createBindingState(db, transaction, workflowId, new TaskSetHash().hex(), now);
  });
  return { bindingId: token, expiresAt, taskCount: 0, chunkCount: 0 };
}

/**
 * Adds one chunk of tasks in one transaction. Each task is validated as in submitWorkflow; a key already
 * added (in this chunk or an earlier one) is refused. Upstream keys may name tasks of this chunk, of an
 * earlier one (the edge is written now) or of a later one (the edge waits in binding_edge for the commit).
 */
export async function addWorkflowTasks(
  db: Database,
  bindingId: string,
  tasks: readonly TaskSubmission[],
  options: BindingOptions,
): Promise<BindingInfo> {
  const now = clock(options);
  const state = await openBinding(db, bindingId, now, options.user);
  if (!Array.isArray(tasks) || tasks.length === 0)
    throw new BadUserInputError('tasks must not be empty', ['tasks must not be empty']);
  if (tasks.length > options.maxTasks)
    throw new BadUserInputError(
      `A chunk of ${tasks.length} tasks exceeds the limit of ${options.maxTasks}: send smaller chunks`,
      [`a chunk may carry at most ${options.maxTasks} tasks`],
    );

  // Validation needs no lock: the templates of a binding never change.
  const templateRows = await loadBindingTemplates(db, undefined, state.workflowId);
  const templates: PreparedTemplate[] = templateRows.map((t) => ({ ...t }));
  const versionIds = new Map(templateRows.map((t) => [t.name, t.versionId]));
  const context = templateContext(
    templates,
    { defaultResources: state.defaultResources === null ? null : JSON.parse(state.defaultResources) },
    state.maxAttempts,
  );
  const problems = new Problems(options.limits);
  const prepared: PreparedTask[] = [];
  const chunkKeys = new Set<string>();
  // The validation of a big chunk gives the event loop turns (see WorkSlicer).
  const slicer = new WorkSlicer();
  for (const task of tasks) {
    if (slicer.due(1 + (task.upstream?.length ?? 0))) await slicer.turn();
    if (chunkKeys.has(task.key)) problems.add(`task "${task.key}": duplicate key`);
    chunkKeys.add(task.key);
    const one = prepareTask(task, context, problems);
    if (one) {
      if (one.upstream.includes(one.key)) problems.add(`task "${one.key}" lists itself as upstream`);
      prepared.push(one);
    }
  }
  problems.throwIfAny('Invalid chunk of tasks');
  const chunkHash = new TaskSetHash();
  for (const task of prepared) {
    chunkHash.add(task);
    if (slicer.due(1 + task.upstream.length)) await slicer.turn();
  }
  const resourceSets = new Map<string, ResolvedResources>();
  for (const task of prepared) resourceSets.set(task.resourcesHash, task.resources);

  const expiresAt = new Date(now.getTime() + ttl(options));
  let progress: BindingInfo;
  try {
    progress = await db.transaction(async (transaction) => {
      const locked = await findBinding(db, transaction, bindingId, now, true);
      if (!locked || !locked.open || locked.workflowId !== state.workflowId) throw bindingNotFound(bindingId);

      const resourceIds = await upsertResources(db, transaction, resourceSets, now);
      await insertTaskRows(db, transaction, locked.workflowId, prepared, versionIds, resourceIds, now);
      let ids = await taskIdsAbove(db, transaction, locked.workflowId, locked.lastTaskId);
      if (ids.size !== prepared.length)
        ids = await taskIdsByKey(db, transaction, locked.workflowId, [...chunkKeys]); // not expected; exact anyway

      // Upstreams outside this chunk: bound in an earlier chunk, or not yet.
      const outside = new Set<string>();
      for (const task of prepared) for (const up of task.upstream) if (!ids.has(up)) outside.add(up);
      const earlier = outside.size
        ? await taskIdsByKey(db, transaction, locked.workflowId, [...outside])
        : new Map<string, number>();

      const edges: [number, number][] = [];
      const staged: [string, number][] = [];
      let backEdges = 0;
      let firstId = locked.firstTaskId;
      let lastId = locked.lastTaskId;
      for (const task of prepared) {
        const down = ids.get(task.key)!;
        if (firstId === 0 || down < firstId) firstId = down;
        if (down > lastId) lastId = down;
        for (const key of task.upstream) {
          const up = ids.get(key) ?? earlier.get(key);
          if (up === undefined) staged.push([key, down]);
          else {
            edges.push([up, down]);
            if (up > down) backEdges += 1;
          }
        }
      }
      await insertEdges(db, transaction, locked.workflowId, edges);
      const chunkTemplates = new Map(
        prepared.map((task) => [ids.get(task.key)!, versionIds.get(task.template)!]),
      );
      await addTemplateEdgeCounts(db, transaction, locked.workflowId, edges, (id) => chunkTemplates.get(id));
      await insertStagedEdges(db, transaction, locked.workflowId, staged);

      const sum = TaskSetHash.fromHex(locked.taskHashSum);
      sum.merge(chunkHash);
      const totals = {
        taskHashSum: sum.hex(),
        taskCount: locked.taskCount + prepared.length,
        edgeCount: locked.edgeCount + edges.length + staged.length,
        backEdgeCount: locked.backEdgeCount + backEdges,
        firstTaskId: firstId,
        lastTaskId: lastId,
        chunkCount: locked.chunkCount + 1,
      };
      await updateBindingState(db, transaction, locked.workflowId, totals, expiresAt, now);
      return { bindingId, expiresAt, taskCount: totals.taskCount, chunkCount: totals.chunkCount };
    });
  } catch (error) {
    if (error instanceof UniqueConstraintError) {
      // A key of this chunk was added by an earlier one (the unique index on (workflow_id, task_key)).
      const taken = await taskIdsByKey(db, undefined, state.workflowId, [...chunkKeys]);
      if (taken.size > 0) {
        const duplicates = new Problems();
        for (const key of taken.keys())
          duplicates.add(`task "${key}": duplicate key (added by an earlier chunk)`);
        duplicates.throwIfAny('Invalid chunk of tasks');
      }
    }
    throw error;
  }
  return progress;
}

/**
 * Binds the whole DAG in one transaction: resolves the pending edges (unknown upstream keys are refused
 * and the binding stays open), refuses cycles, finds an identical existing workflow (this binding is then
 * dropped and that workflow returned with created: false), unhides the workflow and starts its first run.
 */
export async function commitWorkflowBinding(
  db: Database,
  bindingId: string,
  options: Pick<BindingOptions, 'user' | 'now'>,
): Promise<SubmitResult> {
  const now = clock(options);
  const state = await openBinding(db, bindingId, now, options.user);
  let outcome: SubmitResult | { duplicateOf: number };
  try {
    outcome = await db.transaction(async (transaction) => {
      const locked = await findBinding(db, transaction, bindingId, now, true);
      if (!locked || !locked.open || locked.workflowId !== state.workflowId) throw bindingNotFound(bindingId);
      if (locked.taskCount === 0)
        throw new BadUserInputError('The binding has no tasks: add some with addWorkflowTasks, or abort it', [
          'no tasks were added',
        ]);
      const workflowId = locked.workflowId;

      // Same tool + workflowArgs + task set (upstream keys included) as a bound workflow: that one is the answer.
      const existing = await findWorkflowByIdentity(
        db,
        transaction,
        locked.toolId,
        locked.workflowArgsHash,
        locked.taskHashSum,
        locked.createdBy,
      );
      if (existing !== null) {
        // A resubmission: tasks asking for other resources than before get them (as submitWorkflow does).
        const submitted = await submittedResourcesByKey(db, transaction, workflowId);
        await applySubmittedResources(db, transaction, existing, submitted);
        return { duplicateOf: existing };
      }

      const unresolved = await unresolvedStagedEdges(db, transaction, workflowId, MAX_LISTED + 1);
      if (unresolved.length > 0) {
        const problems = new Problems();
        for (const edge of unresolved.slice(0, MAX_LISTED))
          problems.add(`task "${edge.downstreamKey}": unknown upstream key "${edge.upstreamKey}"`);
        if (unresolved.length > MAX_LISTED) problems.add('… and more unknown upstream keys');
        problems.throwIfAny('Cannot commit the binding (add the missing tasks, or abort it)');
      }
      const staged = locked.edgeCount > 0 ? await countStagedEdges(db, transaction, workflowId) : 0;
      if (staged > 0) {
        await addStagedTemplateEdgeCounts(db, transaction, workflowId);
        await resolveStagedEdges(db, transaction, workflowId);
      }

      // Edges all running from a smaller task id to a larger one cannot close a cycle (the ids are a
      // topological order): only otherwise is the graph loaded, as typed arrays, and checked.
      if (staged > 0 || locked.backEdgeCount > 0) await assertAcyclic(db, transaction, locked);

      if (!(await finishBinding(db, transaction, workflowId, locked.taskHashSum, locked.taskCount, now)))
        throw bindingNotFound(bindingId);
      await recordCreated(db, transaction, EntityType.WORKFLOW, [workflowId], WorkflowStatus.REGISTERING, {
        workflowId,
        actor: locked.createdBy,
        at: now,
      });
      const workflowRunId = await startFirstRun(db, transaction, workflowId, options.user, now);
      return { workflowId, workflowRunId, created: true };
    });
  } catch (error) {
    // An identical workflow was committed concurrently (the identity index refused ours).
    if (!(error instanceof UniqueConstraintError)) throw error;
    const existing = await findWorkflowByIdentity(
      db,
      undefined,
      state.toolId,
      state.workflowArgsHash,
      state.taskHashSum,
      state.createdBy,
    );
    if (existing === null) throw error;
    outcome = { duplicateOf: existing };
  }
  if ('duplicateOf' in outcome) {
    await dropBinding(db, state.workflowId);
    const workflowRunId = await latestRunId(db, undefined, outcome.duplicateOf);
    return { workflowId: outcome.duplicateOf, workflowRunId: workflowRunId!, created: false };
  }
  return outcome;
}

/** Deletes everything of an open binding. */
export async function abortWorkflowBinding(
  db: Database,
  bindingId: string,
  options: Pick<BindingOptions, 'user' | 'now'>,
): Promise<boolean> {
  const now = clock(options);
  const state = await findBinding(db, undefined, bindingId, now);
  if (!state) throw bindingNotFound(bindingId);
  assertOwner(state, options.user);
  await dropBinding(db, state.workflowId);
  return true;
}

/**
 * Deletes the bindings whose expiry has passed (an hour after their last chunk by default); returns how
 * many. The server runs it periodically; it is safe to run concurrently from several replicas.
 */
export async function sweepExpiredBindings(db: Database, now: Date = new Date()): Promise<number> {
  let swept = 0;
  for (;;) {
    const ids = await expiredBindings(db, now, 100);
    if (ids.length === 0) return swept;
    for (const workflowId of ids) {
      const marked = await db.transaction((transaction) =>
        markBindingForDeletion(db, transaction, workflowId, now),
      );
      if (!marked) continue;
      await deleteBindingRows(db, workflowId);
      swept += 1;
      logger.info({ workflowId }, 'deleted an expired workflow binding');
    }
    if (ids.length < 100) return swept;
  }
}

async function dropBinding(db: Database, workflowId: number): Promise<void> {
  const marked = await db.transaction((transaction) => markBindingForDeletion(db, transaction, workflowId));
  if (marked) await deleteBindingRows(db, workflowId);
}

/** Refuses (FORBIDDEN) another user's open binding; NOT_FOUND for an unknown one. */
export async function assertOwnsBinding(db: Database, bindingId: string, user: string | null): Promise<void> {
  await openBinding(db, bindingId, new Date(), user);
}

async function openBinding(
  db: Database,
  bindingId: string,
  now: Date,
  user: string | null,
): Promise<BindingState> {
  if (typeof bindingId !== 'string' || !/^[0-9a-f]{64}$/.test(bindingId)) throw bindingNotFound(bindingId);
  const state = await findBinding(db, undefined, bindingId, now);
  if (!state || !state.open) throw bindingNotFound(bindingId);
  assertOwner(state, user);
  return state;
}

function assertOwner(state: BindingState, user: string | null): void {
  if (state.createdBy !== null && state.createdBy !== user)
    throw new ForbiddenError('Only the user who began a workflow binding may change it');
}

function bindingNotFound(bindingId: string): NotFoundError {
  const error = new NotFoundError('Workflow binding', bindingId);
  error.message = 'Workflow binding not found: it was committed, aborted or has expired';
  return error;
}

const MAX_CYCLE_SHOWN = 20;

async function assertAcyclic(db: Database, transaction: Transaction, state: BindingState): Promise<void> {
  const graph = await readIdGraph(db, transaction, state.workflowId, state);
  const cycle = findCycleInIdEdges(graph.ids.length, graph.upstream, graph.downstream);
  if (cycle === null) return;
  const shown =
    cycle.length > MAX_CYCLE_SHOWN
      ? [...cycle.slice(0, MAX_CYCLE_SHOWN - 1), cycle[cycle.length - 1]!]
      : cycle;
  const ids = shown.map((index) => graph.ids[index]!);
  const keys = await taskKeysOf(db, transaction, ids);
  const path = ids.map((id) => `"${keys.get(id) ?? id}"`);
  if (cycle.length > MAX_CYCLE_SHOWN)
    path.splice(MAX_CYCLE_SHOWN - 1, 0, `… ${cycle.length - MAX_CYCLE_SHOWN} more`);
  const problem = `the DAG has a cycle: ${path.join(' -> ')}`;
  throw new BadUserInputError(`Cannot commit the binding (abort it and bind again): ${problem}`, [problem]);
}
