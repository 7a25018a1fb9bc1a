import { GraphQLError, type DocumentNode, type GraphQLSchema, validate } from 'graphql';
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
  return new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: 400 }, ...extensions } });
}

export function queryLimitsPlugin(schema: GraphQLSchema, limits: { maxDepth: number; maxCost: number }): ApolloServerPlugin {
  // Depth depends on the document only; Apollo caches parsed documents, so the same object comes back.
  const depthChecked = new WeakMap<DocumentNode, GraphQLError | null>();
  const depthRule = depthLimit(limits.maxDepth);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request, operationName }) {
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
          const cost = getComplexity({
            schema,
            query: document,
            operationName: operationName ?? undefined,
            variables: request.variables ?? {},
            estimators: [pagedEstimator, simpleEstimator({ defaultComplexity: 1 })],
          });
          if (cost > limits.maxCost)
            throw tooComplex(`Query is too costly: ${cost} exceeds the limit of ${limits.maxCost}; ask for smaller pages`, {
              cost,
              maxCost: limits.maxCost,
            });
        },
      };
    },
  };
}
