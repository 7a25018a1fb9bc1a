import { Redis } from 'ioredis';

// Tests of the Redis event bus run against the Redis at JOBMON_TEST_REDIS_URL (default 127.0.0.1:6379).
// Without one they are skipped locally; with CI=true they fail instead (as the MySQL variants do).

export const REDIS_TEST_URL = process.env.JOBMON_TEST_REDIS_URL || 'redis://127.0.0.1:6379';

/** Set by global-setup: '1' when Redis answered. */
export function redisAvailable(): boolean {
  return process.env.JOBMON_TEST_REDIS_AVAILABLE === '1';
}

/** Answers a PING within a few seconds, or throws. */
export async function probeRedis(url = REDIS_TEST_URL): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } finally {
    client.disconnect();
  }
}

/** `describe` when Redis is there; skipped without it, except in CI where its absence fails the run. */
export function describeWithRedis(title: string, suite: () => void): void {
  if (redisAvailable()) return describe(title, suite);
  if (process.env.CI === 'true')
    throw new Error(`Redis is required in CI but ${REDIS_TEST_URL} did not answer`);
  describe.skip(title, suite);
}
