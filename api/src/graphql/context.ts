import type { Config } from '../config';
import type { Database } from '../db';
import { createLoaders, type Loaders } from './loaders';

/** What every resolver gets: the database, per-request loaders, the caller and the limits. */
export interface Context {
  db: Database;
  loaders: Loaders;
  config: Config;
  /** The authenticated user name, or null in open mode. */
  user: string | null;
}

export function createContext(db: Database, config: Config, user: string | null): Context {
  return { db, config, user, loaders: createLoaders(db) };
}

/**
 * The user a bearer token stands for (from a graphql-ws `connection_init` payload; later the HTTP
 * Authorization header too). Open mode, the only mode so far, accepts everyone and returns null; the
 * security work replaces this body (throwing UnauthenticatedError for a bad token).
 */
export async function userFromToken(_token: string | null, _config: Config): Promise<string | null> {
  return null;
}
