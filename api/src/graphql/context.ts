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
