import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import { ErrorCode } from '@jobmon/core';

/** graphql-ws close code of a connection whose token was refused (or missing with authentication on). */
export const UNAUTHENTICATED_CLOSE_CODE = 4401;

/**
 * The error code of an operation's failure: `extensions.code` of its GraphQL errors. A refused token is
 * answered with HTTP 401 before GraphQL runs, as `application/json`, which Apollo reports as a
 * ServerError: its body carries the same errors.
 */
function errorCodes(error: unknown): string[] {
  if (CombinedGraphQLErrors.is(error))
    return error.errors.map((e) => String(e.extensions?.code ?? '')).filter(Boolean);
  if (ServerError.is(error)) {
    const codes: string[] = error.statusCode === 401 ? [ErrorCode.UNAUTHENTICATED] : [];
    try {
      const body = JSON.parse(error.bodyText) as { errors?: { extensions?: { code?: unknown } }[] };
      for (const e of body.errors ?? [])
        if (typeof e.extensions?.code === 'string') codes.push(e.extensions.code);
    } catch {
      // Not JSON (a proxy's error page): the status says it all.
    }
    return codes;
  }
  return [];
}

export function isUnauthenticated(error: unknown): boolean {
  return errorCodes(error).includes(ErrorCode.UNAUTHENTICATED);
}

export function isForbidden(error: unknown): boolean {
  return errorCodes(error).includes(ErrorCode.FORBIDDEN);
}
