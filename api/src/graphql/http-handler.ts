import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLError } from 'graphql';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import { Transform } from 'node:stream';
import bytes from 'bytes';
import getRawBody from 'raw-body';
import { BODY_BUDGET_EXCEEDED, BODY_TOO_SLOW, payloadErrorResponse } from '../http-errors';
import { UnauthenticatedError } from '../domain';
import type { Config } from '../config';
import type { Context } from './context';
import { queryShapeError } from './limits';

/** Bodies up to this size are read whatever the budget (and not counted): ordinary queries are never busy. */
const ALWAYS_ADMITTED_BODY_BYTES = 64 * 1024;

/** How bodies are read: the limit, the shared budget of large bodies, each client's share, the slowest rate. */
export interface BodyLimits {
  /** Largest body (413 above it). */
  limit: number;
  /** Bytes of large bodies read at once by the whole process (503 SERVER_BUSY above it). */
  budget: number;
  /** Bytes of large bodies one client (user, or address without a token) may have in that budget. */
  perClient: number;
  /** A body still arriving after `graceMs` slower than this on average is cut (408 REQUEST_TIMEOUT). */
  minBytesPerSecond: number;
  graceMs: number;
}

/** The body limits of a configuration; the budget is never below one body at the limit. */
export function bodyLimitsOf(config: Config): BodyLimits {
  const limit = bytes.parse(config.bodyLimit) ?? 0;
  const parsed = (value: string | null) => (value === null ? null : bytes.parse(value));
  const budget = Math.max(limit, ALWAYS_ADMITTED_BODY_BYTES, parsed(config.bodyBudget) ?? 2 * limit);
  return {
    limit,
    budget,
    perClient: Math.max(
      ALWAYS_ADMITTED_BODY_BYTES,
      Math.min(budget, parsed(config.bodyBudgetPerClient) ?? limit),
    ),
    minBytesPerSecond: config.minUploadBytesPerSecond,
    graceMs: config.uploadGraceMs,
  };
}

/** The shared state of the large-body budget: bytes in flight, in all and per client. */
interface BodyBudget {
  inFlight: number;
  byClient: Map<string, number>;
}

/**
 * Whether a large body of `size` bytes more fits, for `client` holding `held` of the `inFlight` bytes.
 * The per-client share keeps one client (a slow one, above all) from taking the whole budget.
 */
export function bodyFits(
  size: number,
  state: { inFlight: number; held: number },
  limits: Pick<BodyLimits, 'budget' | 'perClient'>,
): boolean {
  return state.inFlight + size <= limits.budget && state.held + size <= limits.perClient;
}

/** Whether a body still being read after `elapsedMs` with `received` bytes is too slow to go on with. */
export function uploadTooSlow(
  received: number,
  elapsedMs: number,
  limits: Pick<BodyLimits, 'minBytesPerSecond' | 'graceMs'>,
): boolean {
  return elapsedMs > limits.graceMs && received < (limits.minBytesPerSecond * elapsedMs) / 1000;
}

/**
 * Reads a request body within the limit, `client`'s share of the budget and the budget of large bodies
 * read at once (each costs its size several times over as a string and then parsed). A declared
 * Content-Length over the limit is refused before anything is read (413); a body that would overrun the
 * budget or the client's share is refused with 503 and Retry-After; a body without Content-Length is
 * counted as it arrives. A body that trickles in slower than the minimum rate is cut (408): a slow
 * client may not hold its share for ever.
 */
async function readBody(
  req: IncomingMessage,
  client: string,
  limits: BodyLimits,
  budget: BodyBudget,
): Promise<string> {
  const { limit } = limits;
  const header = req.headers['content-length'];
  const declared = header !== undefined && /^\d+$/.test(header) ? Number(header) : null;
  if (declared !== null && declared > limit)
    throw Object.assign(new Error('request entity too large'), {
      type: 'entity.too.large',
      status: 413,
      limit,
    });
  const overBudget = () => Object.assign(new Error('body budget exceeded'), { type: BODY_BUDGET_EXCEEDED });
  /** Bytes of this body charged to the budget. */
  let charged = 0;
  const fits = (size: number) =>
    bodyFits(size - charged, { inFlight: budget.inFlight, held: budget.byClient.get(client) ?? 0 }, limits);
  const charge = (size: number) => {
    budget.inFlight += size - charged;
    budget.byClient.set(client, (budget.byClient.get(client) ?? 0) + size - charged);
    charged = size;
  };
  let seen = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      // Past the limit, raw-body refuses it (413) with the chunk that crossed it.
      if (declared === null && seen > ALWAYS_ADMITTED_BODY_BYTES && seen <= limit) {
        if (!fits(seen)) return done(overBudget());
        charge(seen);
      }
      done(null, chunk);
    },
  });
  // An aborted request ends the counter too (with an error), so that the read below never hangs.
  const onClose = () => {
    if (!req.complete)
      counter.destroy(Object.assign(new Error('request aborted'), { type: 'request.aborted' }));
  };
  const started = performance.now();
  const watch = setInterval(
    () => {
      if (!uploadTooSlow(seen, performance.now() - started, limits)) return;
      req.unpipe(counter);
      req.pause();
      counter.destroy(
        Object.assign(new Error('request body too slow'), {
          type: BODY_TOO_SLOW,
          minBytesPerSecond: limits.minBytesPerSecond,
        }),
      );
    },
    Math.max(10, Math.min(1000, limits.graceMs / 2)),
  );
  try {
    if (declared !== null && declared > ALWAYS_ADMITTED_BODY_BYTES) {
      if (!fits(declared)) throw overBudget();
      charge(declared);
    }
    req.once('close', onClose);
    req.pipe(counter);
    return await getRawBody(counter, { limit, length: declared ?? undefined, encoding: 'utf8' });
  } finally {
    clearInterval(watch);
    req.off('close', onClose);
    budget.inFlight -= charged;
    const held = (budget.byClient.get(client) ?? 0) - charged;
    if (held > 0) budget.byClient.set(client, held);
    else budget.byClient.delete(client);
  }
}

/**
 * GraphQL over HTTP on node:http, straight into Apollo's `executeHTTPGraphQLRequest`: the same contract as
 * the express integration (Apollo does the protocol: methods, CSRF prevention, status codes), without the
 * router and body-parser layers that cost a simple query about a fifth of its time.
 */
export function graphqlHttpHandler(
  apollo: ApolloServer<Context>,
  /** The request's context; it throws UnauthenticatedError for a refused token (answered 401 here). */
  context: (req: IncomingMessage) => Promise<Context>,
  bodyLimits: BodyLimits,
  /** QUERY_TOO_COMPLEX for a document whose validation passes its time budget (limits.ts). */
  validationBudgetError: (query: string) => GraphQLError | null = () => null,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const budget: BodyBudget = { inFlight: 0, byClient: new Map() };
  return async (req, res) => {
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers))
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);

    // Authenticated first: a refused token answers the same for every operation, and costs no body read.
    let contextValue: Context;
    try {
      contextValue = await context(req);
    } catch (error) {
      if (error instanceof UnauthenticatedError) {
        // The body is not read: the connection closes after the answer.
        if (req.method === 'POST') res.setHeader('connection', 'close');
        return send(res, {
          status: 401,
          headers: { 'www-authenticate': 'Bearer' },
          body: { errors: [{ message: error.message, extensions: { code: error.code } }] },
        });
      }
      throw error;
    }

    let body: unknown = undefined;
    if (req.method === 'POST') {
      let text: string;
      try {
        // A client is its user, or its address without a token (the open mode: one user anyway).
        const client = contextValue.principal?.user ?? `address:${req.socket.remoteAddress ?? ''}`;
        text = await readBody(req, client, bodyLimits, budget);
      } catch (error) {
        // The rest of a refused body is not read: the connection closes after the answer.
        res.setHeader('connection', 'close');
        return send(res, payloadErrorResponse(error));
      }
      // As body-parser: only a JSON content type is parsed; Apollo refuses the rest with a clear message.
      if (/^application\/(.+\+)?json/i.test(headers.get('content-type') ?? '') && text.length > 0) {
        try {
          body = JSON.parse(text) as unknown;
        } catch (error) {
          return send(
            res,
            payloadErrorResponse(Object.assign(error as Error, { type: 'entity.parse.failed' })),
          );
        }
      }
    }
    // A document too big to validate cheaply is refused before Apollo parses and validates it.
    const search = req.url?.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
    const query =
      req.method === 'POST'
        ? (body as { query?: unknown } | undefined)?.query
        : new URLSearchParams(search).get('query');
    const shapeError =
      typeof query === 'string' ? (queryShapeError(query) ?? validationBudgetError(query)) : null;
    if (shapeError) {
      const { http: _http, ...extensions } = shapeError.extensions;
      return send(res, { status: 400, body: { errors: [{ message: shapeError.message, extensions }] } });
    }
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: (req.method ?? 'GET').toUpperCase(),
        headers,
        search,
        body,
      },
      context: async () => contextValue,
    });
    res.statusCode = response.status ?? 200;
    for (const [name, value] of response.headers) res.setHeader(name, value);
    // No field carries cache hints: answers are never cached.
    res.setHeader('cache-control', 'no-store');
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };
}

function send(
  res: ServerResponse,
  response: { status: number; body: unknown; headers?: Record<string, string> },
): void {
  res.statusCode = response.status;
  for (const [name, value] of Object.entries(response.headers ?? {})) res.setHeader(name, value);
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(response.body));
}
