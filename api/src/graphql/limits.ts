import { GraphQLError, type DocumentNode, type GraphQLSchema, validate, visit } from 'graphql';
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
