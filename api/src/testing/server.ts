import { loadConfig, type Config } from '../config';
import type { Database, Dialect } from '../db';
import type { Role } from '../domain';
import { createApiToken } from '../services/auth.service';
import { startServer, type JobmonServer } from '../server';
import { openTestDatabase } from './databases';

/** A GraphQL response as a test reads it: the parsed body and the HTTP status. */
export interface TestResponse<T> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export interface TestServer extends JobmonServer {
  config: Config;
  /** POSTs a GraphQL operation; returns the parsed body (data and errors) and the HTTP status. */
  graphql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    /** A bearer token to send (servers started with `{ auth: true }` need one). */
    options?: { token?: string },
  ): Promise<TestResponse<T>>;
  /** `graphql` with `token` as the bearer: `server.as(tokens.alice, query, variables)`. */
  as<T = Record<string, unknown>>(
    token: string | undefined,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<TestResponse<T>>;
}

/**
 * API tokens made on `db`, by the names a test uses for them:
 * `createTestTokens(db, { alice: ['alice', Role.USER] })` gives `{ alice: '<token>' }`.
 */
export async function createTestTokens<Name extends string>(
  db: Database,
  users: Record<Name, readonly [user: string, role: Role]>,
): Promise<Record<Name, string>> {
  const tokens = {} as Record<Name, string>;
  for (const name of Object.keys(users) as Name[]) {
    const [user, role] = users[name];
    tokens[name] = (await createApiToken(db, { user, role })).token;
  }
  return tokens;
}

/**
 * A test server with tokens on (`{ auth: true }`) and the tokens `users` names, made on its database:
 * `({ server, tokens } = await startTestServerWithTokens(dialect, { alice: ['alice', Role.USER] }))`.
 */
export async function startTestServerWithTokens<Name extends string>(
  dialect: Dialect,
  users: Record<Name, readonly [user: string, role: Role]>,
): Promise<{ server: TestServer; tokens: Record<Name, string> }> {
  const server = await startTestServer(dialect, { auth: true });
  try {
    return { server, tokens: await createTestTokens(server.db, users) };
  } catch (error) {
    // The caller never gets the server to stop.
    await server.stop();
    throw error;
  }
}

/** A real API server on a free port over a fresh test database of `dialect`. */
export async function startTestServer(
  dialect: Dialect,
  overrides: Partial<Config> = {},
  options: { countQueries?: boolean } = {},
): Promise<TestServer> {
  const opened = await openTestDatabase(dialect, options);
  // Open mode unless a test asks for tokens (`{ auth: true }`).
  const config = { ...loadConfig({}), databaseUrl: opened.url, port: 0, auth: false, ...overrides };
  let server: JobmonServer;
  try {
    server = await startServer(config, { db: opened.db, migrate: false });
  } catch (error) {
    await opened.cleanup();
    throw error;
  }
  const testServer: TestServer = {
    ...server,
    config,
    as: (token, query, variables) => testServer.graphql(query, variables, { token }),
    async graphql(query, variables, options) {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(options?.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: never; errors?: never };
      return { status: response.status, ...body };
    },
    async stop() {
      await server.stop();
      await opened.cleanup();
    },
  };
  return testServer;
}
