import {
  GraphQLError,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { authorizeRootField, JobmonError, type OperationType, type Principal } from '../domain';
import type { Context } from './context';
import { preauthorizeMutation } from './preauthorize';

// Every operation's root fields are checked against the access table (domain/access.ts) before any
// resolver runs, over HTTP (the plugin below) and graphql-ws (ws-server.ts) alike.

const HTTP_STATUS: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403 };

/** A domain auth error as a GraphQLError carrying its code and HTTP status (Apollo answers with it). */
export function asGraphQLError(error: JobmonError): GraphQLError {
  return new GraphQLError(error.message, {
    extensions: { code: error.code, http: { status: HTTP_STATUS[error.code] ?? 400 } },
  });
}

function selectedOperation(document: DocumentNode, operationName: string | null) {
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  return operationName
    ? operations.find((operation) => operation.name?.value === operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
}

/** The root field names an operation selects, through fragments and inline fragments. */
export function rootFields(
  document: DocumentNode,
  operationName: string | null,
): { operation: OperationType; fields: string[] } | null {
  const operation = selectedOperation(document, operationName);
  if (!operation) return null;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const fields = new Set<string>();
  const seen = new Set<string>();
  const walk = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) fields.add(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment.selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  return { operation: operation.operation as OperationType, fields: [...fields] };
}

/** Throws an UNAUTHENTICATED (401) or FORBIDDEN (403) GraphQLError when the caller may not run it. */
export function checkOperationAccess(
  document: DocumentNode,
  operationName: string | null,
  principal: Principal | null,
  authRequired: boolean,
): void {
  if (!authRequired) return;
  const selected = rootFields(document, operationName);
  // No such operation: GraphQL execution refuses it with its own error.
  if (!selected) return;
  try {
    for (const field of selected.fields)
      authorizeRootField(principal, authRequired, selected.operation, field);
  } catch (error) {
    if (error instanceof JobmonError) throw asGraphQLError(error);
    throw error;
  }
}

/** preauthorizeMutation with its refusals as GraphQLErrors carrying their code and HTTP status. */
export async function preauthorize(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  context: Context,
): Promise<void> {
  try {
    await preauthorizeMutation(schema, document, operation, variables, context);
  } catch (error) {
    if (error instanceof JobmonError) throw asGraphQLError(error);
    throw error;
  }
}

export function authorizationPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operationName, contextValue, operation, schema, request }) {
          checkOperationAccess(
            document,
            operationName ?? null,
            contextValue.principal,
            contextValue.authRequired,
          );
          if (operation) await preauthorize(schema, document, operation, request.variables, contextValue);
        },
      };
    },
  };
}
