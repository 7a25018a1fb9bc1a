import { loadConfig, type Config } from '../config';
import type { Dialect } from '../db';
import { startServer, type JobmonServer } from '../server';
import { openTestDatabase } from './databases';

export interface TestServer extends JobmonServer {
  config: Config;
  /** POSTs a GraphQL operation; returns the parsed body (data and errors) and the HTTP status. */
  graphql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    /** A bearer token to send (servers started with `{ auth: true }` need one). */
    options?: { token?: string },
  ): Promise<{
    status: number;
    data?: T;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  }>;
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
  return {
    ...server,
    config,
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
}
