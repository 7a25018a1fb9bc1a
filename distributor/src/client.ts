import { ErrorCode } from '@jobmon/core';
import type { TypedDocumentString } from './generated/graphql';

/** GraphQL error codes after which the same request may succeed later (the server or its database is back). */
// SERVER_BUSY: refused before anything ran, while other large bodies were being read.
const RETRYABLE_CODES = new Set<string>([
  ErrorCode.SERVICE_UNAVAILABLE,
  ErrorCode.SERVER_BUSY,
  ErrorCode.INTERNAL_SERVER_ERROR,
]);

/** The request failed: a network error, a timeout, a 5xx, or an error the server called transient. */
export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    /** Whether sending the same request again later may succeed. */
    readonly retryable: boolean,
    /** `extensions.code` of each GraphQL error, when the server answered with errors. */
    readonly codes: readonly string[] = [],
    readonly status?: number,
  ) {
    super(message);
    this.name = 'GraphQLRequestError';
  }
}

export interface GraphQLClientOptions {
  /** The server's base URL (`http://host:4000`) or its /graphql endpoint. */
  serverUrl: string;
  /** Bearer token, when the server asks for one. */
  token?: string;
  /** Per-request timeout (ms). */
  timeoutMs?: number;
}

/** The /graphql endpoint of a server given by its base URL or by the endpoint itself. */
export function graphqlEndpoint(serverUrl: string): string {
  const trimmed = serverUrl.replace(/\/+$/, '');
  return /\/graphql$/.test(trimmed) ? trimmed : `${trimmed}/graphql`;
}

/**
 * A small GraphQL-over-HTTP client for the generated typed documents: plain `fetch` (Node's undici keeps
 * connections alive), JSON in and out, and errors sorted into retryable (the server is away or failing)
 * and not (the request itself is wrong).
 */
export class GraphQLClient {
  readonly endpoint: string;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;

  constructor(options: GraphQLClientOptions) {
    this.endpoint = graphqlEndpoint(options.serverUrl);
    this.headers = { 'content-type': 'application/json', accept: 'application/json' };
    if (options.token) this.headers.authorization = `Bearer ${options.token}`;
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  async request<TResult, TVariables>(
    document: TypedDocumentString<TResult, TVariables>,
    variables: TVariables,
    options: { timeoutMs?: number } = {},
  ): Promise<TResult> {
    let response: Response;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        headers: this.headers,
        body: JSON.stringify({ query: document.toString(), variables }),
        signal: AbortSignal.timeout(options.timeoutMs ?? this.timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      const detail = cause?.code ?? (error as Error).message;
      throw new GraphQLRequestError(`cannot reach ${this.endpoint}: ${detail}`, true);
    }
    let body: { data?: TResult | null; errors?: { message: string; extensions?: { code?: string } }[] };
    try {
      body = (await response.json()) as typeof body;
    } catch (error) {
      throw new GraphQLRequestError(
        `${this.endpoint} answered HTTP ${response.status} without JSON: ${(error as Error).message}`,
        response.status >= 500 || response.status === 429,
        [],
        response.status,
      );
    }
    if (body.errors?.length) {
      const codes = body.errors.map((error) => error.extensions?.code ?? 'UNKNOWN');
      const retryable =
        response.status >= 500 || response.status === 429 || codes.some((code) => RETRYABLE_CODES.has(code));
      throw new GraphQLRequestError(
        body.errors.map((error) => error.message).join('; '),
        retryable,
        codes,
        response.status,
      );
    }
    if (!response.ok || body.data == null)
      throw new GraphQLRequestError(
        `${this.endpoint} answered HTTP ${response.status} without data`,
        response.status >= 500 || response.status === 429,
        [],
        response.status,
      );
    return body.data;
  }
}

/** Exponential backoff with jitter: 100 ms doubling up to `maxMs`. */
export function backoffMs(attempt: number, maxMs = 5_000): number {
  const base = Math.min(maxMs, 100 * 2 ** Math.min(attempt, 16));
  return Math.round(base / 2 + Math.random() * (base / 2));
}
