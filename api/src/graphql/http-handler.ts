import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import { pipeline, Transform, type Readable } from 'node:stream';
import bytes from 'bytes';
import getRawBody from 'raw-body';
import { BODY_BUDGET_EXCEEDED, payloadErrorResponse } from '../http-errors';
import { UnauthenticatedError } from '../domain';
import type { Context } from './context';
import { queryShapeError } from './limits';

/** Bodies up to this size are read whatever the budget (and not counted): ordinary queries are never busy. */
const ALWAYS_ADMITTED_BODY_BYTES = 64 * 1024;

/**
 * Reads a request body within `limit` bytes and the process-wide `budget` of bytes of larger bodies being
 * read at once (one body at the limit, 256 MiB by default: each costs its size several times over as a
 * string and then parsed). A declared Content-Length over the limit is refused before anything is read
 * (413); a body that would overrun the budget is refused with 503 and Retry-After. A body without
 * Content-Length is counted as it arrives.
 */
async function readBody(
  req: IncomingMessage,
  limit: number,
  budget: { inFlight: number; max: number },
): Promise<string> {
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
  const fits = (size: number) => budget.inFlight - charged + size <= budget.max;
  const charge = (size: number) => {
    budget.inFlight += size - charged;
    charged = size;
  };
  try {
    let source: Readable = req;
    if (declared !== null) {
      if (declared > ALWAYS_ADMITTED_BODY_BYTES) {
        if (!fits(declared)) throw overBudget();
        charge(declared);
      }
    } else {
      let seen = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          seen += chunk.length;
          // Past the limit, raw-body refuses it (413) with the chunk that crossed it.
          if (seen > ALWAYS_ADMITTED_BODY_BYTES && seen <= limit) {
            if (!fits(seen)) return done(overBudget());
            charge(seen);
          }
          done(null, chunk);
        },
      });
      // An aborted request ends the counter too (with an error), so that the read below never hangs.
      source = pipeline(req, counter, () => undefined);
    }
    return await getRawBody(source, { limit, length: declared ?? undefined, encoding: 'utf8' });
  } finally {
    budget.inFlight -= charged;
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
  bodyLimit: string,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const limitBytes = bytes.parse(bodyLimit) ?? 0;
  const budget = { inFlight: 0, max: Math.max(limitBytes, ALWAYS_ADMITTED_BODY_BYTES) };
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
        text = await readBody(req, limitBytes, budget);
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
    const shapeError = typeof query === 'string' ? queryShapeError(query) : null;
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
