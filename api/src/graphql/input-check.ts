import { ErrorCode, submissionItems } from '@jobmon/core';
import { GraphQLError, Kind, type OperationDefinitionNode, type TypeNode } from 'graphql';
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

/** The input types that carry tasks, and where their tasks are in a value of them. */
const TASK_CARRIERS: Readonly<Record<string, (value: unknown) => unknown>> = {
  WorkflowSubmission: (value) => (value as { tasks?: unknown } | null)?.tasks,
  TaskInput: (value) => value,
};

const namedTypeOf = (type: TypeNode): string =>
  type.kind === Kind.NAMED_TYPE ? type.name.value : namedTypeOf(type.type);

/**
 * Items (tasks + upstream keys, `submissionItems`) of the tasks an operation's variables carry, counted on
 * the variables as they arrived (before GraphQL coerces them, which costs far more than this count).
 * Values of the wrong shape count what they hold: coercion refuses them afterwards. Literal tasks in the
 * document need no count: a document has at most MAX_QUERY_TOKENS tokens.
 */
export function requestItems(
  operation: Pick<OperationDefinitionNode, 'variableDefinitions'>,
  variables: Readonly<Record<string, unknown>> | undefined,
): number {
  let items = 0;
  for (const definition of operation.variableDefinitions ?? []) {
    const tasksOf = TASK_CARRIERS[namedTypeOf(definition.type)];
    if (!tasksOf) continue;
    const tasks = tasksOf(variables?.[definition.variable.name.value]);
    if (!Array.isArray(tasks)) continue;
    for (const task of tasks) {
      const upstream = (task as { upstream?: unknown } | null)?.upstream;
      items += submissionItems({ upstream: Array.isArray(upstream) ? upstream : null });
    }
  }
  return items;
}

/** Refused with BAD_USER_INPUT (HTTP 400): more items than one request may carry. */
export function tooManyItems(items: number, maxItemsPerRequest: number): GraphQLError {
  return new GraphQLError(
    `the request carries ${items} items (tasks + upstream keys), more than the ${maxItemsPerRequest} one request may carry: ` +
      'send the DAG in chunks (beginWorkflowBinding, addWorkflowTasks, commitWorkflowBinding) of at most ' +
      'serverLimits.maxItemsPerRequest items each',
    {
      extensions: {
        code: ErrorCode.BAD_USER_INPUT,
        http: { status: 400 },
        items,
        maxItemsPerRequest,
      },
    },
  );
}

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
  /** Items (tasks + upstream keys) one request may carry (config.maxItemsPerRequest). */
  maxItemsPerRequest: number = Number.MAX_SAFE_INTEGER,
): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request }) {
          // First, and before any walk of the variables: the count reads only the task arrays.
          if (operation) {
            const items = requestItems(operation, request.variables);
            if (items > maxItemsPerRequest) throw tooManyItems(items, maxItemsPerRequest);
          }
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
