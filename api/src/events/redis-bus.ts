import crypto from 'node:crypto';
import type { Redis } from 'ioredis';
import { logger } from '../logger';
import { LocalHandlers, parseBusMessage, type BusHandler, type BusMessage, type EventBus } from './bus';

// The bus of several API replicas sharing one database: Redis pub/sub on one channel. A message reaches
// this process's handlers directly and the other processes through Redis (each ignores its own echo).
// Redis being down only delays other replicas until their next poll of the audit log.

const CONNECT_TIMEOUT_MS = 5000;
/** At most one "publish failed" log line per this interval while Redis is unreachable. */
const ERROR_LOG_INTERVAL_MS = 10_000;

export class RedisEventBus implements EventBus {
  private readonly local = new LocalHandlers();
  /** Tells this process's messages apart from the others' on the shared channel. */
  private readonly origin = crypto.randomUUID();
  private lastErrorLoggedAt = 0;

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    readonly channel: string,
  ) {}

  /** Connects both clients and subscribes; fails when Redis does not answer in a few seconds. */
  static async connect(url: string, channel: string): Promise<RedisEventBus> {
    const options = {
      lazyConnect: true,
      connectTimeout: CONNECT_TIMEOUT_MS,
      // A wake-up that cannot go out now is worthless later: fail fast instead of queueing.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
    };
    // Required here, not at load: only a server given a Redis URL needs the client (~45 modules).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Redis: RedisClient } = require('ioredis') as typeof import('ioredis');
    const publisher = new RedisClient(url, { ...options, connectionName: 'jobmon-events-pub' });
    const subscriber = new RedisClient(url, { ...options, connectionName: 'jobmon-events-sub' });
    const bus = new RedisEventBus(publisher, subscriber, channel);
    for (const client of [publisher, subscriber])
      client.on('error', (error: unknown) => bus.logError(error, 'Redis event bus connection error'));
    try {
      await Promise.all([publisher.connect(), subscriber.connect()]);
      await subscriber.subscribe(channel);
    } catch (error) {
      publisher.disconnect();
      subscriber.disconnect();
      throw new Error(`Cannot use Redis at ${redactUrl(url)} for the event bus: ${(error as Error).message}`);
    }
    subscriber.on('message', (from: string, text: string) => {
      if (from === channel) bus.received(text);
    });
    return bus;
  }

  publish(message: BusMessage): void {
    this.local.deliver(message, (error) => logger.error({ err: error }, 'event bus handler failed'));
    this.publisher
      .publish(this.channel, JSON.stringify({ ...message, origin: this.origin }))
      .catch((error: unknown) => this.logError(error, 'publishing on the Redis event bus failed'));
  }

  onMessage(handler: BusHandler): () => void {
    return this.local.add(handler);
  }

  async close(): Promise<void> {
    this.local.clear();
    await Promise.all(
      [this.subscriber, this.publisher].map((client) =>
        client.status === 'ready'
          ? client.quit().then(
              () => undefined,
              () => client.disconnect(),
            )
          : client.disconnect(),
      ),
    );
  }

  private received(text: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return;
    }
    if ((parsed as { origin?: unknown }).origin === this.origin) return;
    const message = parseBusMessage(parsed);
    if (message)
      this.local.deliver(message, (error) => logger.error({ err: error }, 'event bus handler failed'));
  }

  private logError(error: unknown, message: string): void {
    const now = Date.now();
    if (now - this.lastErrorLoggedAt < ERROR_LOG_INTERVAL_MS) return;
    this.lastErrorLoggedAt = now;
    logger.warn({ err: error }, message);
  }
}

function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
