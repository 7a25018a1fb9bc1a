import type { Config } from '../config';
import type { Database } from '../db';
import type { Principal } from '../domain';
import type { EventHub } from '../events';
import type { TokenVerifier } from '../services/auth.service';
import type { InstanceHeartbeats } from '../services/distributors/instance-heartbeats';
import { createLoaders, type Loaders } from './loaders';
import { ResponseBudget } from './response-budget';

/** What one server shares with every request, built once by its composition root (server.ts). */
export interface ServerServices {
  db: Database;
  config: Config;
  /** The audit log's tailer and the subscription feeds of this process. */
  events: EventHub;
  /** This process's token verifier: a revocation made through this server clears it at once. */
  tokens: TokenVerifier;
  /** Workers' heartbeats, written in batches. */
  instanceHeartbeats: InstanceHeartbeats;
}

/** What every resolver gets: the server's services, per-request loaders, the caller and the limits. */
export interface Context extends ServerServices {
  loaders: Loaders;
  /** The caller's token, or null: open mode, or no token sent (then only public fields answer). */
  principal: Principal | null;
  /** False in open mode (JOBMON_AUTH=off): every operation is allowed without a token. */
  authRequired: boolean;
  /** The caller's user name for audit rows and ownership (null in open mode). */
  user: string | null;
  /** What the answer's unpaged lists may still cost (config.maxResponseSize). */
  responseBudget: ResponseBudget;
}

export function createContext(services: ServerServices, principal: Principal | null): Context {
  const { db, config } = services;
  return {
    ...services,
    principal,
    authRequired: config.auth,
    user: principal?.user ?? null,
    loaders: createLoaders(db),
    responseBudget: new ResponseBudget(config.maxResponseSize),
  };
}
