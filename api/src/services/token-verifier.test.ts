import type { Database } from '../db';
import {
  generateAttemptToken,
  generateAttemptTokens,
  hashToken,
  newNonces,
  TokenVerifier,
  TOKEN_CACHE_MS,
} from './auth.service';

// The verifier's cache, without a database: attempt credentials are read by a select a stand-in counts
// (one row per credential read). Workers heartbeat with their own credentials, so more tokens can be in
// use than fit.

function standIn() {
  const reads: string[] = [];
  const selects: string[][] = [];
  const db = {
    async select(_sql: string, params: unknown[]) {
      selects.push(params.map(String));
      return params.map((hash) => {
        reads.push(String(hash));
        return { id: reads.length, owner: 'alice', disabled_at: null, report_token_hash: hash };
      });
    },
  } as unknown as Database;
  return { db, reads, selects };
}

describe('TokenVerifier cache', () => {
  it('reads a token once while it is trusted, and again after TOKEN_CACHE_MS', async () => {
    const { db, reads } = standIn();
    let now = 1_000_000;
    const verifier = new TokenVerifier(db, () => now);
    const token = generateAttemptToken();
    await verifier.verify(token);
    await verifier.verify(token);
    expect(reads).toHaveLength(1);
    now += TOKEN_CACHE_MS + 1;
    await verifier.verify(token);
    expect(reads).toHaveLength(2);
  });

  it('when full, forgets the least recently used token only (clearing them all re-read every token)', async () => {
    const { db, reads } = standIn();
    const verifier = new TokenVerifier(db, () => 1_000_000, 2);
    const [a, b, c] = [generateAttemptToken(), generateAttemptToken(), generateAttemptToken()];
    await verifier.verify(a);
    await verifier.verify(b);
    await verifier.verify(a); // a used last: b is now the least recently used
    expect(reads).toHaveLength(2);
    await verifier.verify(c); // full: b goes
    expect(reads).toHaveLength(3);
    await verifier.verify(a);
    await verifier.verify(c);
    expect(reads).toHaveLength(3);
    await verifier.verify(b);
    expect(reads).toHaveLength(4);
  });
});

describe('TokenVerifier attempt credentials read together', () => {
  it('reads the credentials of requests that arrive together in one select, each its own attempt', async () => {
    const { db, selects } = standIn();
    const verifier = new TokenVerifier(db, () => 1_000_000);
    const tokens = [generateAttemptToken(), generateAttemptToken(), generateAttemptToken()];
    const principals = await Promise.all(tokens.map((token) => verifier.verify(token)));
    expect(selects).toHaveLength(1);
    expect(selects[0]).toHaveLength(3);
    expect(new Set(principals.map((principal) => principal.attemptId)).size).toBe(3);
  });

  it('refuses a credential the select does not find, and accepts the others read with it', async () => {
    const known = generateAttemptToken();
    const db = {
      async select(_sql: string, params: unknown[]) {
        return params
          .filter((hash) => hash === hashToken(known))
          .map((hash) => ({ id: 7, owner: 'alice', disabled_at: null, report_token_hash: hash }));
      },
    } as unknown as Database;
    const verifier = new TokenVerifier(db, () => 1_000_000);
    const [unknown, found] = await Promise.allSettled([
      verifier.verify(generateAttemptToken()),
      verifier.verify(known),
    ]);
    expect(unknown).toMatchObject({
      status: 'rejected',
      reason: { message: expect.stringMatching(/unknown or revoked/) },
    });
    expect(found).toMatchObject({ status: 'fulfilled', value: { attemptId: 7 } });
  });
});

describe('the credentials and nonces of a claim, drawn at once', () => {
  it('gives each attempt its own: 32 random bytes each, none shared', () => {
    const tokens = generateAttemptTokens(1000);
    expect(tokens).toHaveLength(1000);
    for (const token of tokens) expect(token).toMatch(/^jmi_[A-Za-z0-9_-]{43}$/);
    expect(new Set(tokens).size).toBe(1000);
    expect(generateAttemptToken()).toMatch(/^jmi_[A-Za-z0-9_-]{43}$/);
    const nonces = newNonces(1000);
    expect(nonces).toHaveLength(1000);
    for (const nonce of nonces) expect(nonce).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(nonces).size).toBe(1000);
  });
});
