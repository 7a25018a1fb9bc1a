import { createHash, randomBytes } from 'node:crypto';
import { Op, type Transaction } from 'sequelize';
import type { ApiTokenRecord } from '@jobmon/core';
import type { Database } from '../db';
import { logger } from '../logger';
import { serialBatchLoader } from './serial-batches';
import {
  assertMayCreateToken,
  assertMayRevokeToken,
  BadUserInputError,
  ForbiddenError,
  NotFoundError,
  Role,
  UnauthenticatedError,
  isRole,
  type Principal,
} from '../domain';

// API tokens: `jm_` + 32 random bytes (base64url). Only their SHA-256 is stored; a token is shown once.

const TOKEN_PREFIX = 'jm_';
/** Characters kept in clear so that a person can tell their tokens apart (`jm_` + 6). */
const SHOWN_PREFIX_LENGTH = 9;
const USER_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,254}$/;

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** An attempt's credential (`jmi_` + 32 random bytes): see claim.ts; found by its hash on task_instance. */
const ATTEMPT_TOKEN_PREFIX = 'jmi_';
export function generateAttemptToken(): string {
  return generateAttemptTokens(1)[0]!;
}

/**
 * `count` attempt credentials from one draw of random bytes. A claim's attempts drew theirs one by one:
 * ~11 µs per attempt with its nonce (a micro-benchmark), about 7% of the server's 0.15 ms of CPU per
 * finished task in the soak bench; one draw costs ~0.5 µs per attempt.
 */
export function generateAttemptTokens(count: number): string[] {
  const bytes = randomBytes(32 * count);
  return Array.from(
    { length: count },
    (_, i) => ATTEMPT_TOKEN_PREFIX + bytes.toString('base64url', 32 * i, 32 * (i + 1)),
  );
}

/**
 * `count` attempt nonces (32 hex digits) from one draw of random bytes: a claim's attempts. The evidence a
 * result belongs to its attempt (written into its exit or report file), not a credential.
 */
export function newNonces(count: number): string[] {
  const bytes = randomBytes(16 * count);
  return Array.from({ length: count }, (_, i) => bytes.toString('hex', 16 * i, 16 * (i + 1)));
}

/** A token as the database has it (the core's shape, which the CLI's offline commands share), its role typed. */
export interface ApiTokenInfo extends Omit<ApiTokenRecord, 'role'> {
  role: Role;
}

export interface CreateApiTokenInput {
  user: string;
  role?: Role;
  /** What the token is for ("laptop", "slurm distributor"). */
  name?: string | null;
  expiresAt?: Date | null;
}

/**
 * Creates a token (and its user, the first time the name is seen). Returns the token itself, which is
 * never stored: the caller shows it once. `by` is the caller (null: an operator on the database itself,
 * e.g. `jobmon token create`); people may make tokens for themselves only, and not distributor or admin
 * ones; admins make any.
 */
export async function createApiToken(
  db: Database,
  input: CreateApiTokenInput,
  by: Principal | null = null,
): Promise<{ token: string; info: ApiTokenInfo }> {
  const role = input.role ?? Role.USER;
  const problems: string[] = [];
  if (!USER_NAME.test(input.user))
    problems.push(`user "${input.user}": use letters, digits and . _ @ - (at most 255 characters)`);
  if (!isRole(role)) problems.push(`role "${String(role)}": must be one of user, distributor, admin`);
  if (input.name != null && input.name.length > 255) problems.push('name: at most 255 characters');
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now())
    problems.push('expiresAt: must be in the future');
  if (problems.length) throw new BadUserInputError(`Invalid token request: ${problems.join('; ')}`, problems);
  assertMayCreateToken(by, input.user, role);
  const token = generateToken();
  const info = await db.transaction(async (transaction) => {
    const { ApiUser, ApiToken } = db.models;
    // A token made with a token dies with it: it records its parent (revoking that one revokes it) and
    // ends no later than it.
    const parent = by ? await ApiToken.findByPk(by.tokenId, { transaction }) : null;
    let user = await ApiUser.findOne({ where: { name: input.user }, transaction });
    user ??= await ApiUser.create({ name: input.user }, { transaction });
    const row = await ApiToken.create(
      {
        userId: user.id,
        name: input.name ?? null,
        role,
        tokenHash: hashToken(token),
        tokenPrefix: token.slice(0, SHOWN_PREFIX_LENGTH),
        expiresAt: earliest(input.expiresAt ?? null, parent?.expiresAt ?? null),
        parentTokenId: parent?.id ?? null,
      },
      { transaction },
    );
    return toInfo(row, user.name);
  });
  logger.info(
    { tokenId: info.id, user: info.user, role: info.role, by: by?.user ?? '(database)' },
    'API token created',
  );
  return { token, info };
}

/** The earlier of two ends (null: never). */
function earliest(a: Date | null, b: Date | null): Date | null {
  if (!a || !b) return a ?? b;
  return a.getTime() <= b.getTime() ? a : b;
}

function toInfo(
  row: {
    id: number;
    role: string;
    name: string | null;
    tokenPrefix: string;
    createdAt: Date;
    expiresAt: Date | null;
    lastUsedAt?: Date | null;
    revokedAt?: Date | null;
  },
  user: string,
): ApiTokenInfo {
  return {
    id: row.id,
    user,
    role: row.role as Role,
    name: row.name,
    prefix: row.tokenPrefix,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    lastUsedAt: row.lastUsedAt ?? null,
    revokedAt: row.revokedAt ?? null,
  };
}

/** Tokens, newest first: all of them for admins and operators (`by` null), a person's own otherwise. */
export async function listApiTokens(
  db: Database,
  by: Principal | null,
  options: { user?: string | null; includeRevoked?: boolean } = {},
): Promise<ApiTokenInfo[]> {
  const { ApiUser, ApiToken } = db.models;
  const onlyUser = by && by.role !== Role.ADMIN ? by.user : (options.user ?? null);
  const users = await ApiUser.findAll(onlyUser ? { where: { name: onlyUser } } : {});
  if (users.length === 0) return [];
  const names = new Map(users.map((user) => [user.id, user.name]));
  const rows = await ApiToken.findAll({
    where: {
      userId: [...names.keys()],
      ...(options.includeRevoked ? {} : { revokedAt: null }),
    },
    order: [['id', 'DESC']],
  });
  return rows.map((row) => toInfo(row, names.get(row.userId)!));
}

/** Refuses (FORBIDDEN) when `by` may not revoke token `id`; an unknown id is left to the revocation. */
export async function assertMayRevoke(db: Database, id: number, by: Principal | null): Promise<void> {
  const row = await db.models.ApiToken.findByPk(id);
  const user = row ? await db.models.ApiUser.findByPk(row.userId) : null;
  if (row) assertMayRevokeToken(by, { id, owner: user?.name ?? '' });
}

/**
 * Revokes a token at once (every process forgets it within TOKEN_CACHE_MS; `verifier`, this process's, at
 * once). A person revokes their own.
 */
export async function revokeApiToken(
  db: Database,
  id: number,
  by: Principal | null,
  verifier: TokenVerifier | null = null,
): Promise<ApiTokenInfo> {
  return db
    .transaction(async (transaction) => {
      const { ApiUser, ApiToken } = db.models;
      const row = await ApiToken.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE });
      if (!row) throw new NotFoundError('ApiToken', id);
      const user = await ApiUser.findByPk(row.userId, { transaction });
      const owner = user?.name ?? '';
      assertMayRevokeToken(by, { id, owner });
      if (!row.revokedAt) {
        row.revokedAt = new Date();
        await row.save({ transaction });
      }
      await revokeDescendants(db, transaction, [row.id], row.revokedAt);
      return toInfo(row, owner);
    })
    .finally(() => {
      // This process stops trusting it at once; other replicas within TOKEN_CACHE_MS.
      verifier?.clear();
    });
}

/** Revokes every token made with these ones, and with those, and so on. */
async function revokeDescendants(
  db: Database,
  transaction: Transaction,
  parentIds: number[],
  at: Date,
): Promise<void> {
  const { ApiToken } = db.models;
  for (let parents = parentIds; parents.length > 0;) {
    const children = await ApiToken.findAll({
      attributes: ['id'],
      where: { parentTokenId: parents },
      transaction,
    });
    parents = children.map((child) => child.id);
    if (parents.length)
      await ApiToken.update(
        { revokedAt: at },
        { where: { id: parents, revokedAt: { [Op.is]: null } }, transaction },
      );
  }
}

export interface ApiUserInfo {
  name: string;
  disabledAt: Date | null;
}

/**
 * Disables a user (every token of theirs is refused at once: by `verifier`, this process's, at once; on
 * other replicas within TOKEN_CACHE_MS) or enables them again. Only admins (`by` null: an operator on the
 * database).
 */
export async function setUserDisabled(
  db: Database,
  name: string,
  disabled: boolean,
  by: Principal | null,
  verifier: TokenVerifier | null = null,
): Promise<ApiUserInfo> {
  if (by && by.role !== Role.ADMIN) throw new ForbiddenError('Only an admin may disable or enable a user');
  try {
    const user = await db.models.ApiUser.findOne({ where: { name } });
    if (!user) throw new NotFoundError('ApiUser', name);
    if (disabled !== (user.disabledAt != null)) {
      user.disabledAt = disabled ? new Date() : null;
      await user.save();
    }
    logger.warn(
      { user: name, disabled, by: by?.user ?? '(database)' },
      disabled ? 'user disabled' : 'user enabled',
    );
    return { name: user.name, disabledAt: user.disabledAt ?? null };
  } finally {
    verifier?.clear();
  }
}

/** How long a verified token is trusted without reading the database again (revocation delay). */
export const TOKEN_CACHE_MS = 10_000;
/** last_used_at is written at most this often per token (not on every request). */
const LAST_USED_WRITE_MS = 60_000;
/**
 * Tokens remembered at most: above the attempts one server may have running, whose workers each
 * heartbeat with their own credential (about 200 bytes an entry).
 */
export const MAX_CACHED_TOKENS = 100_000;

/** Attempt credentials read in one select at most (bound parameters). */
const MAX_ATTEMPT_READ = 500;

interface AttemptRow {
  id: number;
  owner: string | null;
  disabled_at: unknown;
}

interface CachedToken {
  principal: Principal | null;
  expiresAt: Date | null;
  checkedAt: number;
}

/**
 * Turns bearer tokens into principals. Verified (and refused) tokens are remembered for a few seconds,
 * so that a distributor's stream of reports costs no token read each. One per server (its composition
 * root makes it); revocations made through that server clear it at once.
 */
export class TokenVerifier {
  private readonly cache = new Map<string, CachedToken>();
  private readonly lastUsedWritten = new Map<number, number>();

  constructor(
    private readonly db: Database,
    private readonly now: () => number = Date.now,
    private readonly maxCachedTokens = MAX_CACHED_TOKENS,
  ) {}

  /** The principal of a token; throws UNAUTHENTICATED for an unknown, revoked or expired one. */
  async verify(token: string): Promise<Principal> {
    const hash = hashToken(token);
    const now = this.now();
    let entry = this.cache.get(hash);
    if (!entry || now - entry.checkedAt > TOKEN_CACHE_MS) {
      entry = await this.read(hash, now, token.startsWith(ATTEMPT_TOKEN_PREFIX));
      // When full, the least recently used token goes (the Map keeps use order: a hit moves to the end).
      // Clearing them all instead made every token read again once more were in use than fit.
      if (!this.cache.has(hash) && this.cache.size >= this.maxCachedTokens)
        this.cache.delete(this.cache.keys().next().value!);
    }
    this.cache.delete(hash);
    this.cache.set(hash, entry);
    if (!entry.principal) throw new UnauthenticatedError('Invalid token: unknown or revoked');
    if (entry.expiresAt && entry.expiresAt.getTime() <= now)
      throw new UnauthenticatedError('Invalid token: expired');
    if (entry.principal.attemptId === undefined) this.touch(entry.principal.tokenId, now);
    return entry.principal;
  }

  /** Forgets every cached token (a revocation in this process applies at once). */
  clear(): void {
    this.cache.clear();
  }

  private async read(hash: string, now: number, attempt: boolean): Promise<CachedToken> {
    if (attempt) return this.readAttempt(hash, now);
    const { ApiUser, ApiToken } = this.db.models;
    const row = await ApiToken.findOne({ where: { tokenHash: hash, revokedAt: { [Op.is]: null } } });
    const user = row ? await ApiUser.findByPk(row.userId) : null;
    if (!row || !user || user.disabledAt || !isRole(row.role))
      return { principal: null, expiresAt: null, checkedAt: now };
    return {
      principal: { user: user.name, role: row.role, tokenId: row.id },
      expiresAt: row.expiresAt,
      checkedAt: now,
    };
  }

  /**
   * An attempt's credential: its principal may report on that one attempt only. It acts as the attempt's
   * distributor's owner (the audit actor), and dies with that owner's access (a disabled user).
   */
  private async readAttempt(hash: string, now: number): Promise<CachedToken> {
    const row = await this.attempts.load(hash);
    if (!row || row.disabled_at != null) return { principal: null, expiresAt: null, checkedAt: now };
    return {
      principal: {
        user: row.owner ?? '(attempt)',
        role: Role.DISTRIBUTOR,
        tokenId: 0,
        attemptId: Number(row.id),
      },
      expiresAt: null,
      checkedAt: now,
    };
  }

  /**
   * Attempt credentials are read together: each worker heartbeats with its own, every 30 s, longer than
   * a token is trusted, so each of its requests reads it again; those that arrive while one read is under
   * way share the next (one select for many requests, the same rows as one each).
   */
  private readonly attempts = serialBatchLoader<string, AttemptRow | undefined>(async (hashes) => {
    const rows = await this.db.select<AttemptRow & { report_token_hash: string }>(
      `SELECT ti.id, d.owner, u.disabled_at, ti.report_token_hash FROM task_instance ti
         LEFT JOIN distributor d ON d.id = ti.distributor_id
         LEFT JOIN api_user u ON u.name = d.owner
        WHERE ti.report_token_hash IN (${hashes.map(() => '?').join(', ')})`,
      [...hashes],
    );
    const byHash = new Map(rows.map((row) => [row.report_token_hash, row]));
    return hashes.map((hash) => byHash.get(hash));
  }, MAX_ATTEMPT_READ);

  private touch(tokenId: number, now: number): void {
    const written = this.lastUsedWritten.get(tokenId);
    if (written !== undefined && now - written < LAST_USED_WRITE_MS) return;
    this.lastUsedWritten.set(tokenId, now);
    // Best effort, outside any request's transaction: a lost write only makes last_used_at older.
    this.db.models.ApiToken.update({ lastUsedAt: new Date(now) }, { where: { id: tokenId } }).catch(
      () => undefined,
    );
  }
}

/** `Authorization: Bearer <token>` → the token; anything else → null. */
export function bearerToken(header: string | undefined | null): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header.trim());
  return match ? match[1]! : null;
}
