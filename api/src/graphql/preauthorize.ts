import {
  getArgumentValues,
  getVariableValues,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { assertMayCreateToken, BadUserInputError, isRole, Role } from '../domain';
import { assertMayRevoke } from '../services/auth.service';
import { assertOwnsBinding } from '../services/binding.service';
import {
  assertMayRegisterAs,
  assertOwnsDistributor,
  assertOwnsInstances,
} from '../services/distributors/ownership';
import type { Context } from './context';
import { parseId } from './pagination';
import { PROTOCOL_INPUT_CHECKS } from './resolvers/distributor.resolver';
import { assertControls, assertControlsTasks } from './resolvers/workflow-control.resolver';

// A request may carry several mutation fields; GraphQL runs them one after another. Their ownership
// checks (whose workflow, distributor, instance, binding or token) are therefore all made here, before the
// first one runs: a request refused for one of its fields writes nothing for the others either. The
// resolvers check again (for a single field this is where the check is made).

type Args = Record<string, unknown>;
type PreAuthorizer = (args: Args, ctx: Context) => Promise<void>;

const ids = (values: unknown, what: string) =>
  ((values as string[] | null) ?? []).map((id) => parseId(id, what));
const reportIds = (reports: unknown) =>
  ((reports as { id: string }[] | null) ?? []).map((report) => parseId(report.id, 'task instance'));
const distributor = async (ctx: Context, id: unknown) => {
  if (id != null) await assertOwnsDistributor(ctx.db, ctx.principal, parseId(String(id), 'distributor'));
};

/** The ownership check of every mutation field whose permission depends on data (role-only ones: none). */
const PRE_AUTHORIZERS: Readonly<Record<string, PreAuthorizer>> = {
  resumeWorkflow: (args, ctx) => assertControls(ctx, [parseId(String(args.id), 'workflow')]),
  resetWorkflow: (args, ctx) => assertControls(ctx, [parseId(String(args.id), 'workflow')]),
  stopWorkflow: (args, ctx) => assertControls(ctx, [parseId(String(args.id), 'workflow')]),
  setMaxConcurrentlyRunning: (args, ctx) =>
    assertControls(ctx, [parseId(String(args.workflowId), 'workflow')]),
  setTaskStatus: (args, ctx) => assertControlsTasks(ctx, ids(args.taskIds, 'task')),
  updateTaskResources: (args, ctx) => assertControlsTasks(ctx, ids(args.taskIds, 'task')),
  updateTemplateTaskResources: (args, ctx) =>
    assertControls(ctx, [parseId(String(args.workflowId), 'workflow')]),
  setWorkflowAttributes: (args, ctx) => assertControls(ctx, [parseId(String(args.workflowId), 'workflow')]),
  setTaskAttributes: (args, ctx) => assertControlsTasks(ctx, ids(args.taskIds, 'task')),
  addWorkflowTasks: (args, ctx) => assertOwnsBinding(ctx.db, String(args.bindingId), ctx.user),
  commitWorkflowBinding: (args, ctx) => assertOwnsBinding(ctx.db, String(args.bindingId), ctx.user),
  abortWorkflowBinding: (args, ctx) => assertOwnsBinding(ctx.db, String(args.bindingId), ctx.user),
  registerDistributor: (args, ctx) =>
    assertMayRegisterAs(ctx.db, ctx.principal, String((args.input as { name: string }).name)),
  claimTaskInstances: (args, ctx) => distributor(ctx, args.distributorId),
  reportTaskInstancesLaunched: async (args, ctx) => {
    await distributor(ctx, args.distributorId);
    await assertOwnsInstances(ctx.db, ctx.principal, reportIds(args.launches));
  },
  reportTaskInstancesRunning: (args, ctx) =>
    assertOwnsInstances(ctx.db, ctx.principal, reportIds(args.reports)),
  reportTaskInstancesFinished: async (args, ctx) => {
    await distributor(ctx, args.distributorId);
    await assertOwnsInstances(ctx.db, ctx.principal, reportIds(args.reports));
  },
  heartbeatDistributor: async (args, ctx) => {
    await distributor(ctx, args.distributorId);
    await assertOwnsInstances(ctx.db, ctx.principal, ids(args.activeInstanceIds, 'task instance'));
  },
  heartbeatTaskInstances: (args, ctx) =>
    assertOwnsInstances(ctx.db, ctx.principal, ids(args.ids, 'task instance')),
  createApiToken: async (args, ctx) => {
    const role = String(args.role ?? Role.USER);
    const user = (args.user as string | null | undefined) ?? ctx.principal?.user;
    if (user && isRole(role)) assertMayCreateToken(ctx.principal, user, role);
  },
  revokeApiToken: (args, ctx) => assertMayRevoke(ctx.db, parseId(String(args.id), 'token'), ctx.principal),
};

/** The root field nodes an operation selects, through fragments (aliases: each node once). */
function rootFieldNodes(document: DocumentNode, operation: OperationDefinitionNode): FieldNode[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const nodes: FieldNode[] = [];
  const seen = new Set<string>();
  const walk = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) nodes.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment.selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  return nodes;
}

/**
 * Throws the first refusal (FORBIDDEN, NOT_FOUND, BAD_USER_INPUT) of any field of a mutation with several
 * fields, before any runs. Only the distributor protocol's fields may share a request (reports, a claim,
 * heartbeats: their input checks are pure and made here for all of them); any other mutation field comes
 * alone, because its input checks are made inside its service, after the fields before it have written.
 * Open mode and admins skip the ownership checks: nothing of theirs is refused on ownership.
 */
export async function preauthorizeMutation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  ctx: Context,
): Promise<void> {
  if (operation.operation !== 'mutation') return;
  const nodes = rootFieldNodes(document, operation).filter((node) => node.name.value !== '__typename');
  if (nodes.length < 2) return;
  const alone = nodes.find((node) => !PROTOCOL_INPUT_CHECKS[node.name.value]);
  if (alone)
    throw new BadUserInputError(
      `${alone.name.value} must be the only mutation field of its request (only the distributor protocol's reports, claims and heartbeats may share one): a refusal of one field would leave the others written`,
    );
  const mutationType = schema.getMutationType();
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {});
  // Invalid variables: execution refuses the request before any field runs.
  if (!mutationType || coerced.errors) return;
  const argsOf = (node: FieldNode) => {
    const field = mutationType.getFields()[node.name.value];
    return field ? (getArgumentValues(field, node, coerced.coerced) as Args) : null;
  };
  for (const node of nodes) {
    const args = argsOf(node);
    if (args) PROTOCOL_INPUT_CHECKS[node.name.value]?.(args, ctx);
  }
  if (!ctx.principal || ctx.principal.role === Role.ADMIN) return;
  for (const node of nodes) {
    const check = PRE_AUTHORIZERS[node.name.value];
    const field = mutationType.getFields()[node.name.value];
    if (!check || !field) continue;
    await check(getArgumentValues(field, node, coerced.coerced) as Args, ctx);
  }
}
