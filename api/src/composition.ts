import type { Config } from './config';
import type { Database } from './db';
import type { Principal } from './domain';
import { EventHub } from './events';
import type { ServerServices } from './graphql/context';
import { TokenVerifier } from './services/auth.service';
import { InstanceHeartbeats } from './services/distributors/instance-heartbeats';

// The composition root of an API process: its token verifier and event hub are made once here and reach
// resolvers on the GraphQL context (ServerServices) and services as arguments, never through module-level
// lookups keyed by the database.

export interface ComposedServices {
  services: ServerServices;
  /** The principal of a bearer token (null: none sent, or open mode); throws UnauthenticatedError. */
  authenticate(token: string | null): Promise<Principal | null>;
  /** Stops the event hub and its wiring. */
  stop(): Promise<void>;
}

export async function composeServices(db: Database, config: Config): Promise<ComposedServices> {
  // Bearer tokens, unless in open mode: a token's user is the caller (audit actor, owner of what it makes).
  const tokens = new TokenVerifier(db);
  // Subscriptions: this process follows the audit log; replicas wake each other through Redis when set.
  const events = await EventHub.start(db, {
    redisUrl: config.redisUrl,
    redisChannel: config.redisChannel,
    subscriptionBufferSize: config.subscriptionBufferSize,
    pollIntervalMs: config.eventPollMs,
  });
  // This process's commits of audit rows wake its tailer (and, through the bus, other replicas') at once.
  const unlistenCommits = db.auditCommits.listen(() => events.auditCommitted());
  return {
    services: { db, config, events, tokens, instanceHeartbeats: new InstanceHeartbeats(db) },
    authenticate: async (token) => (config.auth && token !== null ? tokens.verify(token) : null),
    async stop() {
      unlistenCommits();
      await events.stop();
    },
  };
}
