import type { ServerBackendName } from './backends';

// What the `jobmon` command line asks of the server package (@jobmon/api), which it loads only inside the
// commands that need it (`jobmon server`, `jobmon token … --database-url`): the client depends on nothing of
// the server, and these types keep the two sides in step.

export interface ServerCommandOptions {
  port?: number;
  databaseUrl?: string;
  /** The embedded distributor's backend, or false for none (a separate jobmon-distributor runs the work). */
  backend?: ServerBackendName | false;
  /** Commands at once (local), or jobs kept in Slurm at once (slurm). */
  slots?: number;
  /** Commands' output files (slurm: also the array files; jobs must see it: one machine shares it). */
  logDir?: string;
  /** slurm: the partitions served, in order (default all of them). */
  partitions?: readonly string[];
  /**
   * Require tokens (default: JOBMON_AUTH, else off — the single-user start). With tokens on, the embedded
   * distributor gets a distributor token of its own, minted at each start.
   */
  auth?: boolean;
  /**
   * With tokens on, the user whose work the embedded distributor runs (default: the operating-system user
   * running the server). Its commands run as this process's user: other users' tasks wait for a
   * distributor of their own.
   */
  owner?: string;
}

/** `@jobmon/api/server-command`: the API and an embedded distributor in one process. */
export interface ServerCommandModule {
  runServer(options?: ServerCommandOptions): Promise<{ stop(): Promise<void> }>;
}

/** An API token as the database has it (the token itself is never stored). */
export interface ApiTokenRecord {
  id: number;
  user: string;
  role: ApiTokenRole;
  name: string | null;
  prefix: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export type ApiTokenRole = 'user' | 'distributor' | 'admin';

/**
 * `@jobmon/api/offline-tokens`: token administration straight on the server's database (the operator's way
 * to make the first admin token, before any token exists). Each call connects, migrates and disconnects.
 */
export interface OfflineTokensModule {
  createToken(
    databaseUrl: string,
    input: { user: string; role: ApiTokenRole; name: string | null; expiresAt: Date | null },
  ): Promise<{ token: string; info: ApiTokenRecord }>;
  listTokens(
    databaseUrl: string,
    filter: { user: string | null; includeRevoked: boolean },
  ): Promise<ApiTokenRecord[]>;
  revokeToken(databaseUrl: string, id: number): Promise<ApiTokenRecord>;
}
