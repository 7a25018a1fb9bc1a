import 'reflect-metadata'; // the pre-authorization below loads resolver classes (type-graphql decorators)
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import {
  getOperationAST,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { JobmonError, UnauthenticatedError, type Principal } from '../../domain';
import { logger } from '../../logger';
import { checkOperationAccess, preauthorize } from '../authorization';
import { createContext, type Context, type ServerServices } from '../context';
import { formatError } from '../errors';
import { createQueryLimitCheck, queryShapeError, validationTimeBudget } from '../limits';
import { badInput, requestInputProblem, requestItems, tooManyItems } from '../input-check';
import { SubscriptionCounts } from '../../observability/subscription-counts';
import {
  subscriptionRefusal,
  TOO_MANY_SOCKETS_CLOSE_CODE,
  UserSockets,
  type SubscriptionLimits,
} from './quota';

// graphql-ws on the HTTP server's port and path (/graphql): the same schema, the same depth and cost
// limits, the same error codes as GraphQL over HTTP. The caller is authenticated once per connection, from
// a token in the `connection_init` payload.

const GRAPHQL_PATHS = new Set(['/graphql', '/graphql/']);
/** Largest message a client may send (a subscribe payload is a query and its variables). */
const MAX_CLIENT_MESSAGE_BYTES = 1024 * 1024;
/** After asking clients to close on stop, sockets still open this much later are cut. */
const CLOSE_GRACE_MS = 1000;
/** How often the tokens of open connections are checked again (a revocation ends them). */
const TOKEN_RECHECK_MS = 5000;
/** graphql-ws closes a connection whose authentication failed with this code. */
const UNAUTHENTICATED_CLOSE_CODE = 4401;

export interface SubscriptionServer {
  /** Open graphql-ws connections. */
  readonly connectionCount: number;
  /** Active subscriptions by root field (the metrics' `jobmon_subscriptions`). */
  readonly activeSubscriptions: ReadonlyMap<string, number>;
  /** Ends every subscription and closes every socket (within about a second). */
  close(): Promise<void>;
}

type ConnectionState = {
  principal?: Principal | null;
};

/** The token of a `connection_init` payload: `{ token }` or `{ authorization: 'Bearer …' }`. */
export function tokenOf(payload: Readonly<Record<string, unknown>> | undefined): string | null {
  if (!payload) return null;
  if (typeof payload.token === 'string' && payload.token !== '') return payload.token;
  const header = payload.authorization ?? payload.Authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (match) return match[1]!;
  }
  return null;
}

/** A parse or validation error with the code Apollo gives it over HTTP. */
function withCode(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, code },
  });
}

/**
 * Errors as HTTP answers them: mapped by formatError, without the HTTP-only status extension. An error a
 * stream threw (a failed catch-up read, SUBSCRIBER_TOO_SLOW) reaches here wrapped without a path, where
 * formatError would not look inside: it is given the original.
 */
function formatted(error: GraphQLError): GraphQLFormattedError {
  const cause = !error.path && error.originalError ? error.originalError : error;
  const result = formatError(error.toJSON(), cause);
  if (!result.extensions || !('http' in result.extensions)) return result;
  const { http: _http, ...extensions } = result.extensions;
  return { ...result, extensions };
}

export function attachSubscriptionServer(
  httpServer: http.Server,
  options: {
    schema: GraphQLSchema;
    services: ServerServices;
    /** The principal of a token (null: none sent, or open mode); throws UnauthenticatedError. */
    authenticate: (token: string | null) => Promise<Principal | null>;
  },
): SubscriptionServer {
  const { schema, services, authenticate } = options;
  const { config } = services;
  const subscriptionCounts = new SubscriptionCounts();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_MESSAGE_BYTES });
  const checkLimits = createQueryLimitCheck(schema, {
    maxDepth: config.maxQueryDepth,
    maxCost: config.maxQueryCost,
  });
  const validationBudget = validationTimeBudget(config.validationBudgetMs);
  const quota: SubscriptionLimits = {
    perSocket: config.maxSubscriptionsPerSocket,
    perUser: config.maxSubscriptionsPerUser,
    socketsPerUser: config.maxSocketsPerUser,
  };
  /** Each user's connections (graphql-ws contexts, whose `subscriptions` are the operations in flight). */
  const userSockets = new UserSockets<{ readonly subscriptions: Readonly<Record<string, unknown>> }>();

  const onUpgrade = (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (request.url ?? '').split('?', 1)[0]!;
    if (!GRAPHQL_PATHS.has(path)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (client) => wss.emit('connection', client, request));
  };
  httpServer.on('upgrade', onUpgrade);

  // A connection is authenticated once, but lives for hours: its token is checked again every
  // TOKEN_RECHECK_MS, and a revoked or expired one ends the connection (4401) and its subscriptions.
  const authenticated = new Map<WebSocket, string>();
  let rechecking = false;
  const recheck = setInterval(() => {
    if (rechecking || authenticated.size === 0) return;
    rechecking = true;
    void Promise.all(
      [...authenticated].map(async ([socket, token]) => {
        try {
          await authenticate(token);
        } catch (error) {
          // A database outage is not a revocation: only a refused token ends the connection.
          if (!(error instanceof UnauthenticatedError)) return;
          authenticated.delete(socket);
          socket.close(UNAUTHENTICATED_CLOSE_CODE, error.message.slice(0, 120));
        }
      }),
    ).finally(() => (rechecking = false));
  }, TOKEN_RECHECK_MS);
  recheck.unref();

  const server = useServer<Record<string, unknown>, ConnectionState>(
    {
      schema,
      // As over HTTP: internal error messages stay in the server log unless debugging.
      isProd: process.env.JOBMON_DEBUG !== '1',
      onConnect: async (ctx) => {
        try {
          const principal = await authenticate(tokenOf(ctx.connectionParams));
          // With authentication on, a connection needs a token: every subscription does.
          if (config.auth && !principal) {
            ctx.extra.socket.close(
              UNAUTHENTICATED_CLOSE_CODE,
              'Authentication required: send a bearer token',
            );
            return false;
          }
          ctx.extra.principal = principal;
          if (principal) {
            if (!userSockets.add(principal.user, ctx, quota.socketsPerUser)) {
              ctx.extra.socket.close(
                TOO_MANY_SOCKETS_CLOSE_CODE,
                `Too many connections for this user (limit ${quota.socketsPerUser})`,
              );
              return false;
            }
            ctx.extra.socket.once('close', () => userSockets.remove(principal.user, ctx));
          }
          const token = tokenOf(ctx.connectionParams);
          if (principal && token) {
            const socket = ctx.extra.socket;
            authenticated.set(socket, token);
            socket.once('close', () => authenticated.delete(socket));
          }
          return true;
        } catch (error) {
          const message = error instanceof JobmonError ? error.message : 'Authentication failed';
          if (!(error instanceof JobmonError))
            logger.error({ err: error }, 'authenticating a connection failed');
          ctx.extra.socket.close(UNAUTHENTICATED_CLOSE_CODE, message.slice(0, 120));
          return false;
        }
      },
      onSubscribe: async (ctx, _id, payload): Promise<ExecutionArgs | readonly GraphQLError[]> => {
        // Counted before anything is parsed; `subscriptions` already holds this one.
        const user = ctx.extra.principal?.user ?? null;
        let ofUser: number | null = null;
        if (user !== null) {
          ofUser = 0;
          for (const socket of userSockets.of(user)) ofUser += Object.keys(socket.subscriptions).length;
        }
        const refusal = subscriptionRefusal(
          { onSocket: Object.keys(ctx.subscriptions).length, ofUser },
          quota,
        );
        if (refusal) return [refusal];
        const shapeError = queryShapeError(payload.query);
        if (shapeError) return [shapeError];
        let document: DocumentNode;
        try {
          document = parse(payload.query);
        } catch (error) {
          if (error instanceof GraphQLError) return [withCode(error, 'GRAPHQL_PARSE_FAILED')];
          throw error;
        }
        let errors: readonly GraphQLError[];
        try {
          errors = validate(schema, document, [...specifiedRules, validationBudget]);
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        if (errors.length > 0) return errors.map((error) => withCode(error, 'GRAPHQL_VALIDATION_FAILED'));
        const variables = payload.variables ?? {};
        // A mutation sent over the socket carries no more items than one over HTTP.
        const sent = getOperationAST(document, payload.operationName);
        const items = sent ? requestItems(sent, variables) : 0;
        if (items > config.maxItemsPerRequest) return [tooManyItems(items, config.maxItemsPerRequest)];
        const inputProblem = requestInputProblem(
          { operationFound: getOperationAST(document, payload.operationName) !== null, variables },
          config.limits,
        );
        if (inputProblem) return [badInput(inputProblem)];
        try {
          checkLimits(document, variables, payload.operationName ?? null);
          checkOperationAccess(
            document,
            payload.operationName ?? null,
            ctx.extra.principal ?? null,
            config.auth,
          );
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        const contextValue = createContext(services, ctx.extra.principal ?? null);
        const operation = getOperationAST(document, payload.operationName);
        try {
          if (operation) await preauthorize(schema, document, operation, variables, contextValue);
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        return {
          schema,
          document,
          variableValues: variables,
          operationName: payload.operationName,
          contextValue,
        };
      },
      onNext: (_ctx, _id, _payload, args, result) => {
        // The context lives as long as the subscription: each event's answer has a budget of its own.
        (args.contextValue as Context).responseBudget.reset();
        return result.errors ? { ...result, errors: result.errors.map(formatted) } : undefined;
      },
      onError: (_ctx, _id, _payload, errors) => errors.map(formatted),
      onOperation: (ctx, id, _payload, args, result) =>
        void subscriptionCounts.started(ctx, id, args, result),
      onComplete: (ctx, id) => subscriptionCounts.ended(ctx, id),
    },
    wss,
  );

  return {
    get connectionCount() {
      return wss.clients.size;
    },
    get activeSubscriptions() {
      return subscriptionCounts.counts;
    },
    async close() {
      clearInterval(recheck);
      httpServer.off('upgrade', onUpgrade);
      // dispose() asks every client to close (1001, going away) and resolves once all sockets are gone; a
      // client that does not answer is cut after a grace period so that stopping never hangs.
      const disposed = server.dispose();
      const cut = setTimeout(() => {
        for (const client of wss.clients) client.terminate();
      }, CLOSE_GRACE_MS);
      try {
        await disposed;
      } finally {
        clearTimeout(cut);
      }
    },
  };
}
