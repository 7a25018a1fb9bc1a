import type { OfflineTokensModule } from '@jobmon/core';
import { Database, migrateUp } from '../db';
import { logger } from '../logger';
import { createApiToken, listApiTokens, revokeApiToken } from '../services/auth.service';

// `jobmon token create|list|revoke --database-url`: the operator's way to make the first admin token, on
// the server's host, before any token exists. The client's command line loads this module only inside
// those commands (see OfflineTokensModule in @jobmon/core).

async function withDatabase<T>(url: string, work: (db: Database) => Promise<T>): Promise<T> {
  // stdout carries the token alone: the API's log lines (they go to stdout) stay out of it; failures
  // reach the person as the command's error.
  logger.level = 'silent';
  const db = await Database.connect(url);
  try {
    await migrateUp(db);
    return await work(db);
  } finally {
    await db.close();
  }
}

export default {
  createToken: (databaseUrl, input) => withDatabase(databaseUrl, (db) => createApiToken(db, input)),
  listTokens: (databaseUrl, filter) =>
    withDatabase(databaseUrl, (db) =>
      listApiTokens(db, null, { user: filter.user, includeRevoked: filter.includeRevoked }),
    ),
  revokeToken: (databaseUrl, id) => withDatabase(databaseUrl, (db) => revokeApiToken(db, id, null)),
} satisfies OfflineTokensModule;
