import { ErrorCode } from '@jobmon/core';
import type { ApolloServerPlugin, BaseContext, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { REPORT_KIND_OF_FIELD, type JobmonMetrics } from './metrics';

// Counts and times GraphQL operations over HTTP, and the distributor protocol's claims and reports by their
// root mutation fields (the time of the field's resolver: its transaction, not the HTTP overhead).

const CLAIM_FIELD = 'claimTaskInstances';

/** The first error code of an answer, or OK. */
export function outcomeCode(errors: readonly GraphQLFormattedError[] | undefined): string {
  if (!errors || errors.length === 0) return 'OK';
  const code = errors[0]!.extensions?.code;
  return typeof code === 'string' ? code : ErrorCode.INTERNAL_SERVER_ERROR;
}

function answerErrors<T extends BaseContext>(
  requestContext: GraphQLRequestContextWillSendResponse<T>,
): readonly GraphQLFormattedError[] | undefined {
  const body = requestContext.response.body;
  return body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
}

/** How many instances a claim or a finished report (with `claimLimit`) handed out. */
function claimedCount(field: string, result: unknown): number {
  if (field === CLAIM_FIELD) return Array.isArray(result) ? result.length : 0;
  const claimed = (result as { claimed?: unknown } | null | undefined)?.claimed;
  return Array.isArray(claimed) ? claimed.length : 0;
}

export function metricsPlugin<T extends object>(metrics: JobmonMetrics): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async executionDidStart(requestContext) {
          if (requestContext.operation.operation !== 'mutation') return;
          return {
            willResolveField({ info }) {
              if (info.path.prev !== undefined) return;
              const field = info.fieldName;
              const kind = REPORT_KIND_OF_FIELD[field];
              if (field !== CLAIM_FIELD && kind === undefined) return;
              const fieldStarted = process.hrtime.bigint();
              return (error, result) => {
                const seconds = Number(process.hrtime.bigint() - fieldStarted) / 1e9;
                if (field === CLAIM_FIELD) metrics.claimDuration.observe(seconds);
                else metrics.reportDuration.observe({ kind }, seconds);
                if (!error) {
                  const claimed = claimedCount(field, result);
                  if (claimed > 0) metrics.claimedTaskInstances.inc(claimed);
                }
              };
            },
          };
        },
        async willSendResponse(requestContext) {
          const type = requestContext.operation?.operation ?? 'unknown';
          metrics.graphqlOperations.inc({ type, code: outcomeCode(answerErrors(requestContext)) });
          metrics.graphqlDuration.observe({ type }, Number(process.hrtime.bigint() - started) / 1e9);
        },
      };
    },
  };
}
