/**
 * The error codes of the API (GraphQL `extensions.code`, and the HTTP errors' bodies), read by every client,
 * and the domain errors that carry them. Codes must never be renamed.
 */
import type { EntityType } from './status';

export const ErrorCode = {
  // The domain's refusals (the errors below).
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  ILLEGAL_TRANSITION: 'ILLEGAL_TRANSITION',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  INTERNAL: 'INTERNAL',
  // The server's own: a failure (retried by clients), its database unreachable, too busy, a request
  // refused before GraphQL runs, a subscription ended.
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  SERVER_BUSY: 'SERVER_BUSY',
  REQUEST_TIMEOUT: 'REQUEST_TIMEOUT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  BAD_REQUEST: 'BAD_REQUEST',
  TOO_MANY_SUBSCRIPTIONS: 'TOO_MANY_SUBSCRIPTIONS',
  SUBSCRIBER_TOO_SLOW: 'SUBSCRIBER_TOO_SLOW',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The codes of the domain errors below. */
export type DomainErrorCode = Extract<
  ErrorCode,
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'ILLEGAL_TRANSITION'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'QUERY_TOO_COMPLEX'
  | 'INTERNAL'
>;

export abstract class JobmonError extends Error {
  abstract readonly code: DomainErrorCode;
  /** Structured, client-safe context (ends up in GraphQL `extensions`). */
  details?: Record<string, unknown>;

  protected constructor(message: string, details?: Record<string, unknown>, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    // Keeps `instanceof` working even if a consumer compiles down to ES5,
    // where extending built-ins loses the subclass prototype.
    Object.setPrototypeOf(this, new.target.prototype);
    if (details !== undefined) this.details = details;
  }
}

export class BadUserInputError extends JobmonError {
  override readonly name = 'BadUserInputError';
  readonly code = ErrorCode.BAD_USER_INPUT;
  /** Every validation problem found, so the user can fix them all in one go. */
  readonly problems: readonly string[];

  constructor(message: string, problems: readonly string[] = []) {
    super(message, { problems });
    this.problems = problems;
  }

  /**
   * Read by graphql-js when it wraps this error: Apollo answers HTTP 400 for a request refused as bad input
   * (a client, or a distributor, must not take it for a passing server failure and send it again).
   */
  get extensions(): Record<string, unknown> {
    return { code: this.code, http: { status: 400 } };
  }
}

export class NotFoundError extends JobmonError {
  override readonly name = 'NotFoundError';
  readonly code = ErrorCode.NOT_FOUND;

  constructor(
    readonly entity: string,
    readonly id: string | number,
  ) {
    super(`${entity} ${id} not found`, { entity, id });
  }
}

export class IllegalTransitionError extends JobmonError {
  override readonly name = 'IllegalTransitionError';
  readonly code = ErrorCode.ILLEGAL_TRANSITION;

  // from/to are plain strings: the refused value may not be a known status at all.
  constructor(
    readonly entityType: EntityType,
    readonly from: string,
    readonly to: string,
    readonly entityId?: number | string,
    /** What to tell a person instead of the state machine's words (e.g. "workflow 2 is already DONE"). */
    message?: string,
  ) {
    super(
      message ??
        `Illegal ${entityType} transition ${from} -> ${to}` +
          (entityId === undefined ? '' : ` for ${entityType} ${entityId}`),
      entityId === undefined ? { entityType, from, to } : { entityType, entityId, from, to },
    );
  }
}

export class UnauthenticatedError extends JobmonError {
  override readonly name = 'UnauthenticatedError';
  readonly code = ErrorCode.UNAUTHENTICATED;

  constructor(message = 'Authentication required') {
    super(message);
  }
}

export class ForbiddenError extends JobmonError {
  override readonly name = 'ForbiddenError';
  readonly code = ErrorCode.FORBIDDEN;

  constructor(message = 'Forbidden') {
    super(message);
  }
}

export class QueryTooComplexError extends JobmonError {
  override readonly name = 'QueryTooComplexError';
  readonly code = ErrorCode.QUERY_TOO_COMPLEX;

  /** `details` may carry e.g. `{ complexity, limit }` so clients can trim the query. */
  constructor(message = 'Query is too complex', details?: Record<string, unknown>) {
    super(message, details);
  }
}

/** Unexpected failure; the message is safe to show, the `cause` is for logs only. */
export class InternalError extends JobmonError {
  override readonly name = 'InternalError';
  readonly code = ErrorCode.INTERNAL;

  constructor(message = 'Internal server error', cause?: unknown) {
    super(message, undefined, cause);
  }
}

/**
 * A compare-and-set on the from-status found another status: someone else changed the entity first.
 * Same code as an illegal transition, since the change asked for is not legal from where the entity is.
 */
export class StaleStatusError extends IllegalTransitionError {
  override readonly name = 'StaleStatusError' as 'IllegalTransitionError';

  constructor(
    entityType: EntityType,
    expected: string,
    readonly found: string | null,
    to: string,
    entityId: number | string,
  ) {
    super(entityType, expected, to, entityId);
    this.message =
      found === null
        ? `${entityType} ${entityId} not found: cannot move it to ${to}`
        : `${entityType} ${entityId} is ${found}, not ${expected}: cannot move it to ${to}`;
    this.details = { ...this.details, found };
    Object.setPrototypeOf(this, StaleStatusError.prototype);
  }
}
