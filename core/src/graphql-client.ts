import { ErrorCode } from './errors';

// The one GraphQL-over-HTTP transport of Jobmon's clients (the SDK and CLI, the distributor, the worker):
// plain `fetch` (Node's undici keeps connections alive), JSON in and out, and failures sorted the way
// each caller needs: the server's errors with their codes and extensions, "unreachable" (no GraphQL
// answer at all), and "retryable" (the same request may succeed later).

/** GraphQL error codes after which the same request may succeed later (the server or its database is back). */
// SERVER_BUSY: refused before anything ran, while other large bodies were being read.
const RETRYABLE_CODES: ReadonlySet<string> = new Set([
  ErrorCode.SERVICE_UNAVAILABLE,
  ErrorCode.SERVER_BUSY,
  ErrorCode.INTERNAL_SERVER_ERROR,
]);

/** One GraphQL error of a response. */
export interface GraphQLErrorDetail {
  message: string;
  /** `extensions.code` (UNKNOWN when the server gave none). */
  code: string;
  /** `extensions.problems`: every problem of a refused submission, each naming its task or template. */
  problems?: string[];
  extensions: Record<string, unknown>;
}

/** A GraphQL request failed: the server answered with errors, or could not be reached. */
export class GraphQLRequestError extends Error {
  /** The server's errors, with their extensions. */
  readonly errors: readonly GraphQLErrorDetail[];
  /** `extensions.code` of each GraphQL error (BAD_USER_INPUT, NOT_FOUND, …). */
  readonly codes: readonly string[];
  readonly status: number | undefined;
  /** No GraphQL answer at all: the server is down, unreachable, or something else answered. */
  readonly unreachable: boolean;
  /** Whether sending the same request again later may succeed (a network error, a 5xx, a transient code). */
  readonly retryable: boolean;

  constructor(
    message: string,
    details: {
      errors?: readonly GraphQLErrorDetail[];
      status?: number;
      unreachable?: boolean;
      retryable?: boolean;
    } = {},
  ) {
    super(message);
    this.name = 'GraphQLRequestError';
    this.errors = details.errors ?? [];
    this.codes = this.errors.map((error) => error.code);
    this.status = details.status;
    this.unreachable = details.unreachable ?? false;
    this.retryable = details.retryable ?? false;
  }
}

/** The /graphql endpoint of a server given by its base URL or by the endpoint itself. */
export function graphqlEndpoint(serverUrl: string): string {
  const trimmed = serverUrl.replace(/\/+$/, '');
  return /\/graphql$/.test(trimmed) ? trimmed : `${trimmed}/graphql`;
}

export interface GraphQLClientOptions {
  /** The server's base URL (`http://host:4000`) or its /graphql endpoint. */
  serverUrl: string;
  /** Bearer token, when the server asks for one. */
  token?: string;
  /** Per-request timeout (ms), 60 s by default. */
  timeoutMs?: number;
}

/**
 * A typed document (GraphQL Code Generator's string mode: its DocumentTypeDecoration carries the result and
 * variables types) or a plain query string.
 */
export type GraphQLDocument<TResult, TVariables> =
  { __apiType?: (variables: TVariables) => TResult; toString(): string } | string;

const transient = (status: number) => status >= 500 || status === 429;

/**
 * How a Jobmon client sends GraphQL: over HTTP (`GraphQLClient`), or into the API of the same process
 * (the embedded distributor of `jobmon server`), with the same results and the same errors.
 */
export interface GraphQLTransport {
  request<TResult, TVariables>(
    document: GraphQLDocument<TResult, TVariables>,
    variables: TVariables | undefined,
    options?: { timeoutMs?: number },
  ): Promise<TResult>;
}

/** A GraphQL response's body, as the server answers it. */
export interface GraphQLResponseBody<TResult> {
  data?: TResult | null;
  errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
}

/**
 * The data of a GraphQL response (its body and HTTP status), or the GraphQLRequestError it stands for:
 * the server's errors with their codes, retryable when the status or a code is transient. `where` names
 * the server in messages.
 */
export function graphqlResult<TResult>(
  body: GraphQLResponseBody<TResult>,
  status: number,
  where: string,
): TResult {
  if (body.errors?.length) {
    const errors = body.errors.map((error): GraphQLErrorDetail => {
      const extensions = error.extensions ?? {};
      const problems = Array.isArray(extensions.problems) ? extensions.problems.map(String) : undefined;
      const code = typeof extensions.code === 'string' ? extensions.code : 'UNKNOWN';
      return { message: error.message, code, extensions, ...(problems ? { problems } : {}) };
    });
    throw new GraphQLRequestError(errors.map((error) => error.message).join('; '), {
      errors,
      status,
      retryable: transient(status) || errors.some((error) => RETRYABLE_CODES.has(error.code)),
    });
  }
  if (status < 200 || status > 299 || body.data == null)
    throw new GraphQLRequestError(`${where} answered HTTP ${status} without data`, {
      status,
      unreachable: true,
      retryable: transient(status),
    });
  return body.data;
}

export class GraphQLClient implements GraphQLTransport {
  readonly endpoint: string;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;

  constructor(options: GraphQLClientOptions) {
    this.endpoint = graphqlEndpoint(options.serverUrl);
    this.headers = { 'content-type': 'application/json', accept: 'application/json' };
    if (options.token) this.headers.authorization = `Bearer ${options.token}`;
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  /** Runs a query or mutation; throws GraphQLRequestError. The result type is the caller's (its document's). */
  async request<TResult, TVariables>(
    document: GraphQLDocument<TResult, TVariables>,
    variables: TVariables | undefined,
    options: { timeoutMs?: number } = {},
  ): Promise<TResult> {
    let response: Response;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        headers: this.headers,
        body: JSON.stringify({ query: document.toString(), variables: variables ?? {} }),
        signal: AbortSignal.timeout(options.timeoutMs ?? this.timeoutMs),
      });
    } catch (error) {
      // undici puts the reason in `cause` (an AggregateError when several addresses were tried).
      const cause = (error as { cause?: { code?: string; errors?: { code?: string }[] } }).cause;
      const reason =
        cause?.code ??
        cause?.errors?.[0]?.code ??
        (cause as Error | undefined)?.message ??
        (error as Error).message;
      throw new GraphQLRequestError(`cannot reach ${this.endpoint}: ${reason}`, {
        unreachable: true,
        retryable: true,
      });
    }
    let body: GraphQLResponseBody<TResult>;
    try {
      body = (await response.json()) as typeof body;
    } catch (error) {
      throw new GraphQLRequestError(
        `${this.endpoint} answered HTTP ${response.status} without JSON: ${(error as Error).message}`,
        { status: response.status, unreachable: true, retryable: transient(response.status) },
      );
    }
    return graphqlResult(body, response.status, this.endpoint);
  }
}
