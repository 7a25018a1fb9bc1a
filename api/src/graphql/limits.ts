import {
  GraphQLError,
  Kind,
  parse,
  type DocumentNode,
  type GraphQLSchema,
  type SelectionSetNode,
  validate,
  visit,
} from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import depthLimit from 'graphql-depth-limit';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import { DEFAULT_PAGE_SIZE } from './pagination';

// Refuses abusive queries before any resolver runs: too deep, or too costly once list sizes are
// multiplied in. Both answer QUERY_TOO_COMPLEX with the measured figure and the limit.

/** Fields with a `first` argument cost their children times the page size asked for. */
const pagedEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  if (!field.args.some((arg) => arg.name === 'first')) return undefined;
  const first = typeof args.first === 'number' ? args.first : DEFAULT_PAGE_SIZE;
  return 1 + Math.max(1, first) * Math.max(1, childComplexity);
};

function tooComplex(message: string, extensions: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: 400 }, ...extensions },
  });
}

/**
 * The variables a document's cost can depend on: those given to a `first` argument (the page sizes the
 * estimator multiplies by) and to a directive (@include/@skip decide which fields count). Any other
 * variable (an id, a filter) leaves the cost as it is.
 */
function costVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  let directiveDepth = 0;
  visit(document, {
    Directive: { enter: () => void (directiveDepth += 1), leave: () => void (directiveDepth -= 1) },
    Argument(node) {
      if (directiveDepth > 0 || node.name.value === 'first')
        visit(node.value, { Variable: (variable) => void names.add(variable.name.value) });
    },
  });
  return [...names].sort();
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
  const depthRule = depthLimit(limits.maxDepth);
  // The cost walk (type info, argument coercion) costs more than the rest of a small query's request:
  // it runs once per document and set of page sizes, not once per request.
  const costs = new WeakMap<DocumentNode, { variables: string[]; byKey: Map<string, number> }>();
  const estimators = [pagedEstimator, simpleEstimator({ defaultComplexity: 1 })];
  return (document, variables, operationName) => {
    let depthError = depthChecked.get(document);
    if (depthError === undefined) {
      const errors = validate(schema, document, [depthRule]);
      depthError = errors.length
        ? tooComplex(`Query is too deep: ${errors[0]!.message} (limit ${limits.maxDepth})`, {
            maxDepth: limits.maxDepth,
          })
        : null;
      depthChecked.set(document, depthError);
    }
    if (depthError) throw depthError;
    let known = costs.get(document);
    if (!known) costs.set(document, (known = { variables: costVariables(document), byKey: new Map() }));
    const key = `${operationName ?? ''}\u0000${known.variables.map((name) => JSON.stringify(variables[name] ?? null)).join(',')}`;
    let cost = known.byKey.get(key);
    if (cost === undefined) {
      try {
        cost = getComplexity({
          schema,
          query: document,
          operationName: operationName ?? undefined,
          variables,
          estimators,
        });
        if (known.byKey.size >= MAX_COSTS_PER_DOCUMENT) known.byKey.clear();
        known.byKey.set(key, cost);
      } catch (error) {
        // Variables that do not fit the operation (a missing required field, a string for an Int) are
        // the client's mistake; thrown from this hook as they are, Apollo would answer 500.
        if (error instanceof GraphQLError)
          throw new GraphQLError(error.message, {
            nodes: error.nodes,
            extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
          });
        throw error;
      }
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
): ApolloServerPlugin {
  const check = createQueryLimitCheck(schema, limits);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request, operationName }) {
          check(document, request.variables ?? {}, operationName ?? null);
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
