import { ErrorCode } from '@jobmon/core';
import { GraphQLError } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { jsonValueProblem, type InputLimits } from '../domain';

// Input no resolver should ever see, refused once for every operation before it runs (HTTP 400,
// BAD_USER_INPUT): an operation that cannot be selected (several without operationName), lone UTF-16
// surrogates in the variables (no UTF-8 column stores them) and JSON nested beyond the limit (a recursive
// walk of it would overflow the stack).

export const badInput = (message: string) =>
  new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } } });

/** How deep the input types nest (WorkflowSubmission → tasks → TaskInput → resources → extra, with room). */
const INPUT_NESTING = 8;

/** Why a request cannot run, or null. */
export function requestInputProblem(
  request: { operationFound: boolean; variables: unknown },
  limits: Pick<InputLimits, 'maxJsonDepth'>,
): string | null {
  if (!request.operationFound)
    return 'no operation to run: a document with several operations needs operationName naming one of them';
  // The input types' own nesting (input → tasks → task → attributes) comes on top of the JSON values'.
  // The document's own strings need no check: GraphQL's parser refuses lone surrogates in them.
  return jsonValueProblem(request.variables ?? null, limits.maxJsonDepth + INPUT_NESTING, 'the variables');
}

export function inputCheckPlugin<T extends object>(
  limits: Pick<InputLimits, 'maxJsonDepth'>,
): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request }) {
          const problem = requestInputProblem(
            { operationFound: operation !== undefined, variables: request.variables },
            limits,
          );
          if (problem) throw badInput(problem);
        },
      };
    },
  };
}
