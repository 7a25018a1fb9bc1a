import type { Config } from '../config';
import type { Database } from '../db';
import type { Principal } from '../domain';
import { createLoaders, type Loaders } from './loaders';
import { ResponseBudget } from './response-budget';

/** What every resolver gets: the database, per-request loaders, the caller and the limits. */
export interface Context {
  db: Database;
  loaders: Loaders;
  config: Config;
  /** The caller's token, or null: open mode, or no token sent (then only public fields answer). */
  principal: Principal | null;
  /** False in open mode (JOBMON_AUTH=off): every operation is allowed without a token. */
  authRequired: boolean;
  /** The caller's user name for audit rows and ownership (null in open mode). */
  user: string | null;
  /** What the answer's unpaged lists may still cost (config.maxResponseSize). */
  responseBudget: ResponseBudget;
}

export function createContext(db: Database, config: Config, principal: Principal | null): Context {
  return {
    db,
    config,
    principal,
    authRequired: config.auth,
    user: principal?.user ?? null,
    loaders: createLoaders(db),
    responseBudget: new ResponseBudget(config.maxResponseSize),
  };
}
