import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import readline from 'node:readline';
import { Database, migrateUp } from '../db';
import { createTestDatabase, mysqlAvailable, testDialects, type TestDatabase } from '../testing/databases';
import { describeWithRedis, REDIS_TEST_URL } from '../testing/redis';
import { connectClient, eventually, SubscriptionRecorder } from '../testing/subscriptions';
import type { BusMessage } from './bus';
import { RedisEventBus } from './redis-bus';

// The Redis event bus: unit behaviour between two buses, then two real API processes sharing one MariaDB
// database, each subscriber seeing what was changed through the other process. Their fallback poll is set
// to ten minutes, so only a wake-up through Redis can deliver in time.

const uniqueChannel = () => `jobmon:test:${process.pid}:${crypto.randomBytes(4).toString('hex')}`;

interface ApiProcess {
  url: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

/** Starts `jobmon-server` (api/src/main.ts, compiled on the fly) and waits until it listens. */
async function startApiProcess(env: Record<string, string>): Promise<ApiProcess> {
  const apiDir = path.resolve(__dirname, '..', '..');
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    ...env,
    TS_NODE_SWC: 'true',
    TS_NODE_PROJECT: path.join(apiDir, 'tsconfig.json'),
    JOBMON_LOG_LEVEL: 'info',
    // Open mode: this test is about the event bus, not tokens.
    JOBMON_AUTH: 'off',
    PORT: '0',
  };
  delete childEnv.JEST_WORKER_ID;
  const child = spawn(process.execPath, ['-r', 'ts-node/register', path.join(apiDir, 'src', 'main.ts')], {
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const output: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    const timer = setTimeout(
      () => reject(new Error(`API process did not start: ${output.join('\n')}`)),
      90_000,
    );
    lines.on('line', (line) => {
      output.push(line);
      if (!line.includes('jobmon API listening')) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { url: string }).url.replace(/\/graphql$/, ''));
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`API process exited with ${code}: ${output.join('\n')}`));
    });
  });
  return { url, child, exited };
}

async function submitThrough(url: string, tool: string): Promise<number> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation ($input: WorkflowSubmission!) { submitWorkflow(input: $input) { workflow { id } } }',
      variables: {
        input: {
          tool,
          workflowArgs: 'replicas',
          taskTemplates: [{ name: 'hello', commandTemplate: 'echo {who}' }],
          tasks: [
            { key: 'a', template: 'hello', args: { who: 'a' } },
            { key: 'b', template: 'hello', args: { who: 'b' }, upstream: ['a'] },
          ],
        },
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
      const db = await Database.connect(target.url);
      await migrateUp(db);
      const env = {
        JOBMON_DATABASE_URL: target.url,
        JOBMON_REDIS_URL: REDIS_TEST_URL,
        JOBMON_REDIS_CHANNEL: uniqueChannel(),
        JOBMON_EVENT_POLL_MS: '600000',
      };
      const processes = await Promise.all([startApiProcess(env), startApiProcess(env)]);
      const [a, b] = processes as [ApiProcess, ApiProcess];
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
        // Through B; A has committed nothing, so only B's wake-up through Redis makes A read the log.
        await submitThrough(b.url, `replicas-${crypto.randomUUID()}`);
        const afterFirst = await workflowEvents();
        expect(afterFirst.length).toBeGreaterThan(0);
        await onA.until((r) => r.values.length >= afterFirst.length, "B's changes on A");
        expect(received(onA)).toEqual(afterFirst);
        await wakeups.until((r) => r.values.length >= 1, "a distributor wake-up on A for B's queued tasks");

        // And the other way round.
        await submitThrough(a.url, `replicas-${crypto.randomUUID()}`);
        const afterSecond = await workflowEvents();
        await onB.until((r) => r.values.length >= afterSecond.length, "A's changes on B");
        expect(received(onB)).toEqual(afterSecond);
        await onA.until((r) => r.values.length >= afterSecond.length, "A's own changes on A");
        expect(received(onA)).toEqual(afterSecond);

        // SIGTERM with subscribers connected: both stop cleanly and the streams end.
        for (const api of processes) api.child.kill('SIGTERM');
        expect(await Promise.all(processes.map((api) => api.exited))).toEqual([0, 0]);
        for (const recorder of [onA, onB, wakeups])
          await recorder.until((r) => r.completed || r.failure !== null, 'the stream to end');
      } finally {
        for (const api of processes) if (api.child.exitCode === null) api.child.kill('SIGKILL');
        await Promise.all(clients.map((client) => client.dispose()));
        await db.close();
        await target.drop();
      }
    },
    180_000,
  );
});
