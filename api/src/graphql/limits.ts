import { ErrorCode } from '@jobmon/core';
import {
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  isInterfaceType,
  isInputObjectType,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
  type TypeNode,
  type ValidationRule,
  type ValueNode,
  type VariableDefinitionNode,
} from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from './context';
import { DEFAULT_PAGE_SIZE } from './pagination';

// Refuses abusive queries before any resolver runs: too deep, or too costly once list sizes are
// multiplied in. Both answer QUERY_TOO_COMPLEX with the measured figure and the limit. Every measure walks
// the fragment graph once per fragment (memoised): a document whose fragments double at every level is
// measured in time linear in its text, never in its expansion.

/**
 * Estimated length of a list field that has no `first` argument (a field with `first` costs the page size
 * asked for). The real length is charged again while the answer is built (response-budget.ts): these only
 * let the static check refuse the obviously explosive before anything runs. Task fan-in and fan-out are
 * usually small; a Task's attempts are bounded by its retries; a DAG drawn task by task is priced in
 * `dagListEstimate`.
 */
export const LIST_SIZE_ESTIMATES: Readonly<Record<string, number>> = {
  'Task.upstream': 10,
  'Task.downstream': 10,
  'Task.instances': 5,
};
/** Any other list without `first` (tools, runs, templates, tokens, id lists). */
export const DEFAULT_LIST_SIZE_ESTIMATE = 10;
/**
 * Nodes and edges of a DAG drawn task by task (`collapse: TASKS`, `expand`): the web UI draws up to a few
 * hundred; the real size (the workflow's task and edge counts) is charged before it is built.
 */
export const DAG_TASKS_ESTIMATE = 1000;
/** Nodes and edges of a DAG collapsed by template. */
export const DAG_TEMPLATES_ESTIMATE = 50;

function tooComplex(message: string, extensions: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, http: { status: 400 }, ...extensions },
  });
}

/** Selections visited by the measures of this module, for tests that the walks are linear. */
let selectionVisits = 0;
export function limitsSelectionVisits(): number {
  return selectionVisits;
}

/**
 * A validation rule that refuses (QUERY_TOO_COMPLEX) a document whose validation has run longer than
 * `budgetMs`, checked every 64 nodes: the shape limits make that unexpected, this bounds it whatever
 * a rule's cost turns out to be. Listed after the others, it sees the time they spent on each node.
 */
export function validationTimeBudget(budgetMs: number): ValidationRule {
  return () => {
    const started = performance.now();
    let nodes = 0;
    return {
      enter() {
        nodes += 1;
        if (nodes % 64 === 0 && performance.now() - started > budgetMs)
          throw tooComplex(`Query took longer than ${budgetMs} ms to validate`, {
            validationBudgetMs: budgetMs,
          });
      },
    };
  };
}

/**
 * Validates a document under the time budget before Apollo does (Apollo answers an exception thrown out
 * of its validation with 500): QUERY_TOO_COMPLEX past the budget, otherwise null (Apollo then reports
 * any validation error itself, from its cache for a document seen before). Verdicts are remembered per
 * query text, as the shape's are.
 */
export function createValidationBudgetCheck(
  schema: GraphQLSchema,
  budgetMs: number,
): (query: string) => GraphQLError | null {
  const rules = [...specifiedRules, validationTimeBudget(budgetMs)];
  const verdicts = new Map<string, GraphQLError | null>();
  return (query) => {
    const known = verdicts.get(query);
    if (known !== undefined) return known;
    let verdict: GraphQLError | null = null;
    try {
      validate(schema, parse(query, { maxTokens: MAX_QUERY_TOKENS, noLocation: true }), rules);
    } catch (error) {
      // A syntax error is the transport's to answer; only the budget's refusal is ours.
      if (!(error instanceof GraphQLError) || error.extensions.code !== 'QUERY_TOO_COMPLEX') return null;
      verdict = error;
    }
    if (query.length <= SHAPE_CACHE_MAX_CHARS) {
      if (verdicts.size >= SHAPE_CACHE_ENTRIES) verdicts.clear();
      verdicts.set(query, verdict);
    }
    return verdict;
  };
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  return fragments;
}

/**
 * A memoised fold over a selection set, fragments included: `combine` sees each selection's value in
 * order; a fragment spread's value is computed once per fragment (a cycle, refused by validation anyway,
 * counts `cycle`).
 */
function foldSelections<T>(
  fragments: Map<string, FragmentDefinitionNode>,
  field: (
    node: FieldNode,
    parent: GraphQLNamedType | undefined,
    inner: (set: SelectionSetNode, type: GraphQLNamedType | undefined) => T,
  ) => T,
  combine: (values: T[]) => T,
  empty: T,
  schema?: GraphQLSchema,
  /** What else a fragment's value depends on, besides the fragment (part of the memo key). */
  context: () => string = () => '',
): (set: SelectionSetNode, parent: GraphQLNamedType | undefined) => T {
  const memo = new Map<string, T>();
  const inProgress = new Set<string>();
  const walk = (set: SelectionSetNode, parent: GraphQLNamedType | undefined): T =>
    combine(set.selections.map((selection) => visitSelection(selection, parent)));
  const visitSelection = (selection: SelectionNode, parent: GraphQLNamedType | undefined): T => {
    selectionVisits += 1;
    if (selection.kind === Kind.FIELD) return field(selection, parent, walk);
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition ? schema?.getType(selection.typeCondition.name.value) : parent;
      return walk(selection.selectionSet, type);
    }
    const name = selection.name.value;
    const key = `${name}\u0000${context()}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    if (!fragment || inProgress.has(name)) return empty;
    inProgress.add(name);
    const value = walk(fragment.selectionSet, schema?.getType(fragment.typeCondition.name.value));
    inProgress.delete(name);
    memo.set(key, value);
    return value;
  };
  return walk;
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
const max = (values: number[]) => values.reduce((best, value) => Math.max(best, value), 0);

/**
 * Nesting depth of the deepest field of any operation: a root field is at depth 0 (as graphql-depth-limit
 * counted it); introspection fields (`__schema`, `__type`) are not followed.
 */
export function documentDepth(document: DocumentNode): number {
  const depthOf = foldSelections<number>(
    fragmentsOf(document),
    (node, _parent, inner) =>
      node.selectionSet && !node.name.value.startsWith('__') ? 1 + inner(node.selectionSet, undefined) : 0,
    max,
    0,
  );
  return max(
    document.definitions.map((definition) =>
      definition.kind === Kind.OPERATION_DEFINITION ? depthOf(definition.selectionSet, undefined) : 0,
    ),
  );
}

/** Fields of a document with every fragment expanded where it is spread, each operation and fragment once. */
export function expandedFieldCount(document: DocumentNode): number {
  const count = foldSelections<number>(
    fragmentsOf(document),
    (node, _parent, inner) => 1 + (node.selectionSet ? inner(node.selectionSet, undefined) : 0),
    sum,
    0,
  );
  return sum(
    document.definitions.map((definition) =>
      definition.kind === Kind.OPERATION_DEFINITION || definition.kind === Kind.FRAGMENT_DEFINITION
        ? count(definition.selectionSet, undefined)
        : 0,
    ),
  );
}

function literal(node: ValueNode | undefined, variables: Record<string, unknown>): unknown {
  if (!node) return undefined;
  switch (node.kind) {
    case Kind.VARIABLE:
      return variables[node.name.value];
    case Kind.INT:
      return Number(node.value);
    case Kind.BOOLEAN:
      return node.value;
    case Kind.ENUM:
    case Kind.STRING:
      return node.value;
    default:
      return undefined;
  }
}

/** False when @skip(if: true) or @include(if: false) leaves the selection out. */
function included(node: FieldNode, variables: Record<string, unknown>): boolean {
  for (const directive of node.directives ?? []) {
    const condition = literal(
      directive.arguments?.find((argument) => argument.name.value === 'if')?.value,
      variables,
    );
    if (directive.name.value === 'skip' && condition === true) return false;
    if (directive.name.value === 'include' && condition === false) return false;
  }
  return true;
}

/**
 * What an operation's answer costs: every field 1, plus its children times the length of the list it
 * returns: the page size asked for (`first`, DEFAULT_PAGE_SIZE without it) or the list's estimate
 * (LIST_SIZE_ESTIMATES; `dag` by its collapse mode). Variables must already be coerced.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): number {
  const argument = (node: FieldNode, name: string) =>
    literal(node.arguments?.find((arg) => arg.name.value === name)?.value, variables);
  // Dag.nodes and Dag.edges are sized by the arguments of the `dag` field above them.
  let dagEstimate = DAG_TEMPLATES_ESTIMATE;
  const costOf = foldSelections<number>(
    fragmentsOf(document),
    (node, parent, inner) => {
      if (!included(node, variables)) return 0;
      const definition =
        parent && (isObjectType(parent) || isInterfaceType(parent))
          ? parent.getFields()[node.name.value]
          : undefined;
      if (!definition || !node.selectionSet) return 1;
      const type = getNamedType(definition.type);
      const key = `${parent!.name}.${node.name.value}`;
      let length = 1;
      if (definition.args.some((arg) => arg.name === 'first')) {
        const first = argument(node, 'first');
        length = typeof first === 'number' ? first : DEFAULT_PAGE_SIZE;
      } else if (isListType(getNullableType(definition.type)) && !parent!.name.endsWith('Connection'))
        // A connection's edges and nodes are the page its field's `first` already priced.
        length =
          parent!.name === 'Dag' ? dagEstimate : (LIST_SIZE_ESTIMATES[key] ?? DEFAULT_LIST_SIZE_ESTIMATE);
      if (key === 'Workflow.dag') {
        const collapse = argument(node, 'collapse') ?? 'AUTO';
        const above = argument(node, 'collapseAbove');
        const expand = argument(node, 'expand');
        const saved = dagEstimate;
        dagEstimate =
          collapse === 'TASKS' || (Array.isArray(expand) && expand.length > 0)
            ? DAG_TASKS_ESTIMATE
            : collapse === 'TEMPLATES'
              ? DAG_TEMPLATES_ESTIMATE
              : Math.min(DAG_TASKS_ESTIMATE, typeof above === 'number' ? above : 500);
        const cost = 1 + inner(node.selectionSet, type);
        dagEstimate = saved;
        return cost;
      }
      return 1 + Math.max(1, length) * Math.max(1, inner(node.selectionSet, type));
    },
    sum,
    0,
    schema,
    () => String(dagEstimate),
  );
  const root =
    operation.operation === 'query'
      ? schema.getQueryType()
      : operation.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  return costOf(operation.selectionSet, root ?? undefined);
}

function operationOf(document: DocumentNode, name: string | null): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  return name ? operations.find((operation) => operation.name?.value === name) : operations[0];
}

/**
 * The variables a document's cost can depend on: those given to any argument (page sizes, dag modes) and
 * to a directive (@include/@skip decide which fields count), that is every variable of a scalar or enum
 * type or a list of them. Input objects (a submission, a chunk of tasks) never price a field: they are
 * left out, so that a large one is neither serialised into the cost key nor coerced a second time here.
 */
function costVariables(schema: GraphQLSchema, document: DocumentNode): VariableDefinitionNode[] {
  const byName = new Map<string, VariableDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.OPERATION_DEFINITION)
      for (const variable of definition.variableDefinitions ?? []) {
        const type = schema.getType(namedTypeOf(variable.type));
        if (!isInputObjectType(type)) byName.set(variable.variable.name.value, variable);
      }
  return [...byName.keys()].sort().map((name) => byName.get(name)!);
}

function namedTypeOf(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedTypeOf(type.type);
}

/** Costs remembered per document, keyed by operation and the values of its cost variables. */
const MAX_COSTS_PER_DOCUMENT = 256;

/**
 * Checks an operation against the limits, throwing a QUERY_TOO_COMPLEX (or BAD_USER_INPUT) GraphQLError:
 * the one check behind both transports, HTTP (the plugin below) and graphql-ws subscriptions.
 */
export function createQueryLimitCheck(
  schema: GraphQLSchema,
  limits: { maxDepth: number; maxCost: number },
): (document: DocumentNode, variables: Record<string, unknown>, operationName: string | null) => void {
  // Depth depends on the document only; Apollo caches parsed documents, so the same object comes back.
  const depthChecked = new WeakMap<DocumentNode, GraphQLError | null>();
  // The cost walk runs once per document and set of variable values, not once per request.
  const costs = new WeakMap<
    DocumentNode,
    { variables: VariableDefinitionNode[]; byKey: Map<string, number> }
  >();
  return (document, variables, operationName) => {
    let depthError = depthChecked.get(document);
    if (depthError === undefined) {
      const depth = documentDepth(document);
      depthError =
        depth > limits.maxDepth
          ? tooComplex(`Query is too deep: depth ${depth} exceeds the limit of ${limits.maxDepth}`, {
              depth,
              maxDepth: limits.maxDepth,
            })
          : null;
      depthChecked.set(document, depthError);
    }
    if (depthError) throw depthError;
    let known = costs.get(document);
    if (!known)
      costs.set(document, (known = { variables: costVariables(schema, document), byKey: new Map() }));
    const key = `${operationName ?? ''}\u0000${known.variables.map((variable) => JSON.stringify(variables[variable.variable.name.value] ?? null)).join(',')}`;
    let cost = known.byKey.get(key);
    if (cost === undefined) {
      const operation = operationOf(document, operationName);
      // No such operation: execution answers that with its own error.
      if (!operation) return;
      const coerced = getVariableValues(
        schema,
        (operation.variableDefinitions ?? []).filter(
          (variable) => !isInputObjectType(schema.getType(namedTypeOf(variable.type))),
        ),
        variables,
        { maxErrors: 1 },
      );
      // Variables that do not fit the operation (a missing required field, a string for an Int) are
      // the client's mistake; thrown from this hook as they are, Apollo would answer 500.
      if (coerced.errors)
        throw new GraphQLError(coerced.errors[0]!.message, {
          nodes: coerced.errors[0]!.nodes,
          extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } },
        });
      cost = operationCost(schema, document, operation, coerced.coerced);
      if (known.byKey.size >= MAX_COSTS_PER_DOCUMENT) known.byKey.clear();
      known.byKey.set(key, cost);
    }
    if (cost > limits.maxCost)
      throw tooComplex(
        `Query is too costly: ${cost} exceeds the limit of ${limits.maxCost}; ask for smaller pages`,
        {
          cost,
          maxCost: limits.maxCost,
        },
      );
  };
}

export function queryLimitsPlugin(
  schema: GraphQLSchema,
  limits: { maxDepth: number; maxCost: number },
): ApolloServerPlugin<Context> {
  const check = createQueryLimitCheck(schema, limits);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request, operationName }) {
          check(document, request.variables ?? {}, operationName ?? null);
        },
        // An answer over the response budget is refused as a whole, not sent with holes in it.
        // (A mutation's answer keeps its data, with the refusal as a field error: its write has happened.)
        async willSendResponse({ contextValue, response, operation }) {
          const refusal = contextValue.responseBudget.exceeded;
          if (!refusal || operation?.operation === 'mutation' || response.body.kind !== 'single') return;
          const { http: _http, ...extensions } = refusal.extensions;
          response.body.singleResult = { errors: [{ message: refusal.message, extensions }] };
          response.http.status = 400;
        },
      };
    },
  };
}

/**
 * Largest document, in lexical tokens, either transport accepts. GraphQL's validation runs before the depth
 * and cost checks and costs about 30 µs per field: a 1 MiB document of aliases held the event loop for over
 * a second. The largest operation file of the repository has 416 tokens.
 */
export const MAX_QUERY_TOKENS = 2000;
/**
 * How many fields of a document may share one response path (`workflow.tasks.edges.node`), fragments
 * included. Validation compares such fields pairwise (OverlappingFieldsCanBeMerged), merging same-named
 * parents first: 300 copies of `tools { id }`, under 4 KB, took 230 ms of validation, and 6 × 6 × 6 nested
 * copies of `workflow { tasks { edges { node } } }` 140 ms.
 */
export const MAX_FIELDS_PER_RESPONSE_PATH = 16;
/** Fields of a document once its fragments are expanded where they are spread (and once on their own). */
export const MAX_EXPANDED_FIELDS = 5000;
/** Verdicts remembered for documents up to this size (the same few queries come again and again). */
const SHAPE_CACHE_MAX_CHARS = 16 * 1024;
const SHAPE_CACHE_ENTRIES = 512;
// A bounded memo of a pure function of the query text (the same for every server in the process).
const shapeVerdicts = new Map<string, GraphQLError | null>();

/**
 * Refuses a document too large to validate cheaply (QUERY_TOO_COMPLEX), from its text, before GraphQL's
 * validation runs: over MAX_QUERY_TOKENS tokens, more than MAX_FIELDS_PER_RESPONSE_PATH fields at one
 * response path, or more than MAX_EXPANDED_FIELDS fields with fragments expanded. A syntax error is not reported here (null): the transport's own
 * parse answers it with its usual code.
 */
export function queryShapeError(query: string): GraphQLError | null {
  const cacheable = query.length <= SHAPE_CACHE_MAX_CHARS;
  const known = cacheable ? shapeVerdicts.get(query) : undefined;
  if (known !== undefined) return known;
  const verdict = measureShape(query);
  if (cacheable) {
    if (shapeVerdicts.size >= SHAPE_CACHE_ENTRIES) shapeVerdicts.clear();
    shapeVerdicts.set(query, verdict);
  }
  return verdict;
}

function measureShape(query: string): GraphQLError | null {
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: MAX_QUERY_TOKENS, noLocation: true });
  } catch (error) {
    if (error instanceof GraphQLError && /contains more tha[nt] \d+ tokens/.test(error.message))
      return tooComplex(`Query is too large: more than ${MAX_QUERY_TOKENS} tokens`, {
        maxTokens: MAX_QUERY_TOKENS,
      });
    return null;
  }
  // Counted over the fragment graph first (once per fragment): the walk below expands fragments where
  // they are spread, which a document of fragments that double at every level would make exponential.
  const expandedFields = expandedFieldCount(document);
  if (expandedFields > MAX_EXPANDED_FIELDS)
    return tooComplex(`Query has more than ${MAX_EXPANDED_FIELDS} fields with its fragments expanded`, {
      expandedFields,
      maxExpandedFields: MAX_EXPANDED_FIELDS,
    });
  const fragments = new Map<string, SelectionSetNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition.selectionSet);
  // Every field as validation meets it: fragments expanded where spread (once per selection set, as
  // validation collects them; a cycle, refused by validation anyway, is not followed). Response paths are
  // numbered (parent number + response name) so that deep documents cost no long strings.
  const pathIds = new Map<string, number>();
  const fieldsPerPath: number[] = [];
  let expanded = 0;
  let crowded: string | null = null;
  const walk = (set: SelectionSetNode, path: number, spreading: Set<string>, spreadHere: Set<string>) => {
    for (const selection of set.selections) {
      if (crowded !== null) return;
      selectionVisits += 1;
      if (selection.kind === Kind.FIELD) {
        const name = selection.alias?.value ?? selection.name.value;
        const key = `${path}\u0000${name}`;
        let id = pathIds.get(key);
        if (id === undefined) pathIds.set(key, (id = fieldsPerPath.push(0) - 1));
        fieldsPerPath[id] = fieldsPerPath[id]! + 1;
        expanded += 1;
        if (fieldsPerPath[id]! > MAX_FIELDS_PER_RESPONSE_PATH)
          crowded = `selects "${name}" more than ${MAX_FIELDS_PER_RESPONSE_PATH} times at one path`;
        else if (expanded > MAX_EXPANDED_FIELDS)
          crowded = `has more than ${MAX_EXPANDED_FIELDS} fields with its fragments expanded`;
        else if (selection.selectionSet) walk(selection.selectionSet, id, spreading, new Set());
      } else if (selection.kind === Kind.INLINE_FRAGMENT)
        walk(selection.selectionSet, path, spreading, spreadHere);
      else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || spreadHere.has(name) || spreading.has(name)) continue;
        spreadHere.add(name);
        spreading.add(name);
        walk(fragment, path, spreading, spreadHere);
        spreading.delete(name);
      }
    }
  };
  // Each operation and each fragment definition is a root of its own (validation checks both).
  document.definitions.forEach((definition, index) => {
    if (definition.kind === Kind.OPERATION_DEFINITION || definition.kind === Kind.FRAGMENT_DEFINITION)
      walk(definition.selectionSet, -1 - index, new Set(), new Set());
  });
  if (crowded === null) return null;
  return tooComplex(`Query ${crowded}`, {
    maxFieldsPerResponsePath: MAX_FIELDS_PER_RESPONSE_PATH,
    maxExpandedFields: MAX_EXPANDED_FIELDS,
  });
}
