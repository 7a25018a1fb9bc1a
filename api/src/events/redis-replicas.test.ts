import crypto from 'node:crypto';
import { Database, migrateUp } from '../db';
import { killApiChild, startApiChild, stopApiChild, type ApiChild } from '../testing/api-process';
import { createTestDatabase, mysqlAvailable, testDialects, type TestDatabase } from '../testing/databases';
import { submission, task } from '../testing/fixtures';
import { describeWithRedis, REDIS_TEST_URL } from '../testing/redis';
import { connectClient, eventually, SubscriptionRecorder } from '../testing/subscriptions';
import type { BusMessage } from './bus';
import { RedisEventBus } from './redis-bus';

// The Redis event bus: unit behaviour between two buses, then two real API processes sharing one MariaDB
// database, each subscriber seeing what was changed through the other process. Their fallback poll is set
// to ten minutes, so only a wake-up through Redis can deliver in time.

const uniqueChannel = () => `jobmon:test:${process.pid}:${crypto.randomBytes(4).toString('hex')}`;

async function submitThrough(url: string): Promise<number> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation ($input: WorkflowSubmission!) { submitWorkflow(input: $input) { workflow { id } } }',
      variables: {
        input: submission([task('a'), task('b', ['a'])]),
      },
    }),
  });
  const body = (await response.json()) as { data?: { submitWorkflow: { workflow: { id: string } } } };
  if (!body.data) throw new Error(`submitWorkflow failed: ${JSON.stringify(body)}`);
  return Number(body.data.submitWorkflow.workflow.id);
}

describeWithRedis('event bus over Redis', () => {
  it('delivers a message to every process, each exactly once (its own echo ignored)', async () => {
    const channel = uniqueChannel();
    const first = await RedisEventBus.connect(REDIS_TEST_URL, channel);
    const second = await RedisEventBus.connect(REDIS_TEST_URL, channel);
    const toFirst: BusMessage[] = [];
    const toSecond: BusMessage[] = [];
    first.onMessage((message) => toFirst.push(message));
    second.onMessage((message) => toSecond.push(message));
    try {
      first.publish({ type: 'work-queued', distributorId: '3' });
      await eventually(() => toSecond.length === 1, 'the message on the other bus');
      // Redis keeps one channel's order: once `first` has this later message, its own echo came and went.
      second.publish({ type: 'audit-committed' });
      await eventually(() => toFirst.length === 2 && toSecond.length === 2, 'the second message everywhere');
      const expected: BusMessage[] = [
        { type: 'work-queued', distributorId: '3' },
        { type: 'audit-committed' },
      ];
      expect(toFirst).toEqual(expected);
      expect(toSecond).toEqual(expected);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('refuses to start on a Redis that does not answer', async () => {
    await expect(RedisEventBus.connect('redis://127.0.0.1:1', uniqueChannel())).rejects.toThrow(
      /Cannot use Redis at redis:\/\/127\.0\.0\.1:1/,
    );
  });

  const needsMysql = testDialects().includes('mysql') && mysqlAvailable() ? it : it.skip;

  needsMysql(
    'two API processes on one MySQL database: subscribers of each see changes made through the other',
    async () => {
      const target: TestDatabase = await createTestDatabase('mysql');
      const env = {
        JOBMON_DATABASE_URL: target.url,
        JOBMON_REDIS_URL: REDIS_TEST_URL,
        JOBMON_REDIS_CHANNEL: uniqueChannel(),
        JOBMON_EVENT_POLL_MS: '600000',
        // Open mode: this test is about the event bus, not tokens.
        JOBMON_AUTH: 'off',
      };
      let db: Database | undefined;
      const processes: ApiChild[] = [];
      try {
        db = await Database.connect(target.url);
        await migrateUp(db);
        // Both started, or neither left running (the one that started is killed in finally).
        const started = await Promise.allSettled([startApiChild(env), startApiChild(env)]);
        for (const result of started) if (result.status === 'fulfilled') processes.push(result.value);
        const failed = started.find((result) => result.status === 'rejected');
        if (failed) throw failed.reason;
        await bothReplicasSeeEachOther(db, processes as [ApiChild, ApiChild]);
      } finally {
        await Promise.all(processes.map((api) => killApiChild(api)));
        await db?.close();
        await target.drop();
      }
    },
    180_000,
  );
});

/** Subscribers of each API process see what was changed through the other; both stop cleanly. */
async function bothReplicasSeeEachOther(db: Database, processes: [ApiChild, ApiChild]): Promise<void> {
  const [a, b] = processes;
  const clients = [connectClient(a.url), connectClient(b.url)];
  const query = 'subscription { workflowStatusChanged(since: "0") { id } }';
  const workflowEventsOn = (client: (typeof clients)[number]) =>
    new SubscriptionRecorder<{ id: string }>(client, query, {}, 'workflowStatusChanged');
  const onA = workflowEventsOn(clients[0]!);
  const onB = workflowEventsOn(clients[1]!);
  const wakeups = new SubscriptionRecorder<{ reason: string }>(
    clients[0]!,
    'subscription { workQueued(distributorId: "1") { at reason } }',
    {},
    'workQueued',
  );
  const workflowEvents = async () =>
    (
      await db.select<{ id: number }>('SELECT id FROM audit_event WHERE entity_type = ? ORDER BY id', [
        'WORKFLOW',
      ])
    ).map((row) => String(row.id));
  const received = (recorder: SubscriptionRecorder<{ id: string }>) => recorder.values.map((e) => e.id);
  try {
    // workQueued replays nothing: A must hold that subscription before B queues anything.
    await eventually(async () => {
      const metrics = await (await fetch(`${a.url}/metrics`)).text();
      return /^jobmon_subscriptions\{field="workQueued"\} [1-9]/m.test(metrics);
    }, "A's workQueued subscription");
    // Through B; A has committed nothing, so only B's wake-up through Redis makes A read the log.
    await submitThrough(b.url);
    const afterFirst = await workflowEvents();
    expect(afterFirst.length).toBeGreaterThan(0);
    await onA.until((r) => r.values.length >= afterFirst.length, "B's changes on A");
    expect(received(onA)).toEqual(afterFirst);
    await wakeups.until((r) => r.values.length >= 1, "a distributor wake-up on A for B's queued tasks");

    // And the other way round.
    await submitThrough(a.url);
    const afterSecond = await workflowEvents();
    await onB.until((r) => r.values.length >= afterSecond.length, "A's changes on B");
    expect(received(onB)).toEqual(afterSecond);
    await onA.until((r) => r.values.length >= afterSecond.length, "A's own changes on A");
    expect(received(onA)).toEqual(afterSecond);

    // SIGTERM with subscribers connected: both stop cleanly and the streams end.
    expect(await Promise.all(processes.map((api) => stopApiChild(api)))).toEqual([0, 0]);
    for (const recorder of [onA, onB, wakeups])
      await recorder.until((r) => r.completed || r.failure !== null, 'the stream to end');
  } finally {
    await Promise.all(clients.map((client) => client.dispose()));
  }
}
