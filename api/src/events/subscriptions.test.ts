import { Transaction } from 'sequelize';
import WebSocket from 'ws';
import { changeStatuses } from '../db/status-change';
import { collectTaskCounts, flushTaskCounts } from '../db/task-counts';
import { EntityType, type TaskStatus, type WorkflowStatus } from '../domain';
import { submitWorkflow } from '../services/submission.service';
import { testDialects } from '../testing/databases';
import { independent, submission } from '../testing/fixtures';
import { startTestServer, type TestServer } from '../testing/server';
import {
  connectClient,
  eventually,
  SubscriptionRecorder,
  wsUrlOf,
  type FormattedError,
} from '../testing/subscriptions';

// Subscriptions end to end: real graphql-ws clients over real sockets against a server on a free port, on
// SQLite and MySQL. Events come from the audit log, in id order, with `since` resuming without gap or
// duplicate; the assertions compare what clients received with what the table holds.

interface AuditEventPayload {
  id: string;
  at: string;
  entityType: string;
  entityId: string;
  workflowId: string | null;
  fromStatus: string | null;
  toStatus: string;
  reason: string | null;
  actor: string | null;
}

interface AuditRow {
  id: number;
  entity_id: number;
  workflow_id: number | null;
  from_status: string | null;
  to_status: string;
  reason: string | null;
  actor: string | null;
}

const AUDIT_FIELDS = 'id at entityType entityId workflowId fromStatus toStatus reason actor';
const TASK_EVENTS = `subscription ($workflowId: ID!, $since: ID) {
  taskStatusChanged(workflowId: $workflowId, since: $since) { ${AUDIT_FIELDS} }
}`;
const WORKFLOW_EVENTS = `subscription ($workflowId: ID, $since: ID) {
  workflowStatusChanged(workflowId: $workflowId, since: $since) { ${AUDIT_FIELDS} }
}`;
const PROGRESS = `subscription ($workflowId: ID!) {
  workflowProgress(workflowId: $workflowId) {
    workflowId status final at statusCounts { total QUEUED INSTANTIATING RUNNING DONE }
  }
}`;
const WORK_QUEUED = `subscription ($distributorId: ID!) { workQueued(distributorId: $distributorId) { at reason } }`;

interface ProgressPayload {
  workflowId: string;
  status: WorkflowStatus;
  final: boolean;
  at: string;
  statusCounts: { total: number; QUEUED: number; INSTANTIATING: number; RUNNING: number; DONE: number };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ids = (events: readonly AuditEventPayload[]) => events.map((event) => Number(event.id));

describe.each(testDialects())('subscriptions [%s]', (dialect) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(dialect);
  });

  afterAll(async () => {
    await server?.stop();
  });

  async function submit(count: number): Promise<{ workflowId: number; taskIds: number[] }> {
    const { workflowId } = await submitWorkflow(server.db, submission(independent(count)), {
      user: null,
      maxTasks: 100_000,
    });
    const tasks = await server.db.select<{ id: number }>(
      'SELECT id FROM task WHERE workflow_id = ? ORDER BY id',
      [workflowId],
    );
    return { workflowId, taskIds: tasks.map((task) => Number(task.id)) };
  }

  async function move(
    workflowId: number,
    taskIds: readonly number[],
    from: TaskStatus,
    to: TaskStatus,
    reason: string | null = null,
  ): Promise<void> {
    await server.db.transaction((transaction) =>
      changeStatuses(server.db, transaction, EntityType.TASK, taskIds, from, to, {
        workflowId,
        reason,
        actor: 'test',
      }),
    );
  }

  async function headId(): Promise<number> {
    const [row] = await server.db.select<{ id: number | null }>('SELECT MAX(id) AS id FROM audit_event');
    return Number(row?.id ?? 0);
  }

  async function auditRows(
    entityType: EntityType,
    workflowId: number | null,
    after: number,
  ): Promise<AuditRow[]> {
    const rows = await server.db.select<AuditRow>(
      `SELECT id, entity_id, workflow_id, from_status, to_status, reason, actor FROM audit_event
        WHERE entity_type = ? AND id > ?${workflowId === null ? '' : ' AND workflow_id = ?'} ORDER BY id`,
      workflowId === null ? [entityType, after] : [entityType, after, workflowId],
    );
    return rows.map((row) => ({ ...row, id: Number(row.id), entity_id: Number(row.entity_id) }));
  }

  /** The highest audit id `transaction` sees (its own uncommitted rows included). */
  async function ownHeadId(transaction: Transaction): Promise<number> {
    const [row] = await server.db.select<{ id: number }>(
      'SELECT MAX(id) AS id FROM audit_event',
      [],
      transaction,
    );
    return Number(row!.id);
  }

  it('delivers the task changes of one workflow as they commit, with every AuditEvent field', async () => {
    const watched = await submit(3);
    const other = await submit(2);
    const client = connectClient(server.url);
    const live = server.events.audit.liveCount;
    const recorder = new SubscriptionRecorder<AuditEventPayload>(
      client,
      TASK_EVENTS,
      { workflowId: String(watched.workflowId) },
      'taskStatusChanged',
    );
    try {
      await eventually(() => server.events.audit.liveCount > live, 'the subscription to go live');
      const before = await headId();
      await move(watched.workflowId, watched.taskIds.slice(0, 2), 'QUEUED', 'INSTANTIATING', 'claimed');
      await move(other.workflowId, other.taskIds, 'QUEUED', 'INSTANTIATING');
      await move(watched.workflowId, watched.taskIds.slice(2), 'QUEUED', 'INSTANTIATING', 'claimed later');
      const expected = await auditRows(EntityType.TASK, watched.workflowId, before);
      expect(expected).toHaveLength(3);
      await recorder.until((r) => r.values.length >= 3, 'three task events');
      expect(recorder.errors).toEqual([]);
      expect(recorder.values).toEqual(
        expected.map((row) => ({
          id: String(row.id),
          at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          entityType: 'TASK',
          entityId: String(row.entity_id),
          workflowId: String(watched.workflowId),
          fromStatus: 'QUEUED',
          toStatus: 'INSTANTIATING',
          reason: row.reason,
          actor: 'test',
        })),
      );
    } finally {
      recorder.stop();
      await client.dispose();
    }
  });

  it('with since, replays every later event from the log and then live ones, without gap or duplicate, while thousands of transitions are written', async () => {
    const watched = await submit(600);
    const noise = await submit(150);
    const baseline = await headId();
    const steps: [TaskStatus, TaskStatus][] = [
      ['QUEUED', 'INSTANTIATING'],
      ['INSTANTIATING', 'LAUNCHED'],
      ['LAUNCHED', 'RUNNING'],
      ['RUNNING', 'DONE'],
    ];
    let written = 0;
    // Subscribers join when the writers have got this far: waits on the writers' progress, not on a clock
    // (a loaded machine writes slower, never wrongly).
    const milestones: { count: number; reached: () => void }[] = [];
    const writtenAtLeast = (count: number) =>
      new Promise<void>((reached) => {
        if (written >= count) reached();
        else milestones.push({ count, reached });
      });
    // A failed assertion stops the writers before the next test: they would write into its audit log.
    let stopped = false;
    // Four concurrent writers, each moving its share of tasks through every step in transactions of 1–3
    // tasks, with a change of another workflow now and then (on MySQL commits overtake each other).
    const writer = async (share: number[], noiseIds: number[]) => {
      for (const [from, to] of steps) {
        for (let i = 0; i < share.length && !stopped;) {
          const size = 1 + ((i + share[0]!) % 3);
          const part = share.slice(i, i + size);
          await move(watched.workflowId, part, from, to);
          written += part.length;
          for (const milestone of milestones.filter((m) => written >= m.count)) milestone.reached();
          i += size;
          if (i % 10 === 0 && noiseIds.length > 0) {
            const noiseTask = noiseIds.shift()!;
            await move(noise.workflowId, [noiseTask], 'QUEUED', 'INSTANTIATING');
          }
        }
      }
    };
    const shares = [0, 1, 2, 3].map((k) => watched.taskIds.filter((_, i) => i % 4 === k));
    const noiseShares = [0, 1, 2, 3].map((k) => noise.taskIds.filter((_, i) => i % 4 === k));
    const client = connectClient(server.url);
    const recorders: { since: number; recorder: SubscriptionRecorder<AuditEventPayload> }[] = [];
    const subscribe = (since: number) =>
      recorders.push({
        since,
        recorder: new SubscriptionRecorder<AuditEventPayload>(
          client,
          TASK_EVENTS,
          { workflowId: String(watched.workflowId), since: String(since) },
          'taskStatusChanged',
        ),
      });
    let writing: Promise<unknown> = Promise.resolve();
    try {
      subscribe(baseline);
      writing = Promise.all(shares.map((share, k) => writer(share, noiseShares[k]!)));
      // Subscribers joining in the middle: from the start (a long replay) and from the current head.
      await Promise.race([writtenAtLeast(600), writing]);
      subscribe(baseline);
      subscribe(await headId());
      await Promise.race([writtenAtLeast(1500), writing]);
      subscribe(baseline);
      subscribe(await headId());
      await writing;
      const total = watched.taskIds.length * steps.length;
      expect(written).toBe(total);

      const lastId = (await auditRows(EntityType.TASK, watched.workflowId, baseline)).at(-1)!.id;
      for (const { since, recorder } of recorders) {
        await recorder.until(
          (r) => r.values.length > 0 && Number(r.values.at(-1)!.id) >= lastId,
          `events through ${lastId} since ${since}`,
          180_000,
        );
        const expected = (await auditRows(EntityType.TASK, watched.workflowId, since)).map((row) => row.id);
        expect(recorder.errors).toEqual([]);
        expect(ids(recorder.values)).toEqual(expected);
      }
      expect(recorders[0]!.recorder.values).toHaveLength(total);
    } finally {
      stopped = true;
      await writing.catch(() => undefined);
      for (const { recorder } of recorders) recorder.stop();
      await client.dispose();
    }
  }, 240_000);

  it('workflowStatusChanged follows one workflow, or every workflow when workflowId is omitted', async () => {
    const baseline = await headId();
    const client = connectClient(server.url);
    const everyWorkflow = new SubscriptionRecorder<AuditEventPayload>(
      client,
      WORKFLOW_EVENTS,
      { since: String(baseline) },
      'workflowStatusChanged',
    );
    const first = await submit(1);
    const second = await submit(1);
    const oneWorkflow = new SubscriptionRecorder<AuditEventPayload>(
      client,
      WORKFLOW_EVENTS,
      { workflowId: String(first.workflowId), since: String(baseline) },
      'workflowStatusChanged',
    );
    try {
      await server.db.transaction((transaction) =>
        changeStatuses(server.db, transaction, EntityType.WORKFLOW, [first.workflowId], 'QUEUED', 'RUNNING', {
          workflowId: first.workflowId,
        }),
      );
      const all = await auditRows(EntityType.WORKFLOW, null, baseline);
      const ofFirst = all.filter((row) => Number(row.workflow_id) === first.workflowId);
      expect(new Set(all.map((row) => Number(row.workflow_id)))).toEqual(
        new Set([first.workflowId, second.workflowId]),
      );
      await everyWorkflow.until((r) => r.values.length >= all.length, 'the events of both workflows');
      await oneWorkflow.until((r) => r.values.length >= ofFirst.length, 'the events of the first workflow');
      expect(ids(everyWorkflow.values)).toEqual(all.map((row) => row.id));
      expect(ids(oneWorkflow.values)).toEqual(ofFirst.map((row) => row.id));
      expect(oneWorkflow.values.at(-1)).toMatchObject({ entityType: 'WORKFLOW', toStatus: 'RUNNING' });
    } finally {
      everyWorkflow.stop();
      oneWorkflow.stop();
      await client.dispose();
    }
  });

  it('workflowProgress: the current counts at once, shared snapshots as tasks change, and a final one', async () => {
    const { workflowId, taskIds } = await submit(4);
    const client = connectClient(server.url);
    const recorders = Array.from(
      { length: 20 },
      () =>
        new SubscriptionRecorder<ProgressPayload>(
          client,
          PROGRESS,
          { workflowId: String(workflowId) },
          'workflowProgress',
        ),
    );
    try {
      for (const recorder of recorders) await recorder.until((r) => r.values.length >= 1, 'a first snapshot');
      for (const recorder of recorders)
        expect(recorder.values[0]).toMatchObject({
          workflowId: String(workflowId),
          final: false,
          statusCounts: { total: 4, QUEUED: 4, DONE: 0 },
        });
      const readsBefore = server.events.progress.readCount;
      await move(workflowId, taskIds, 'QUEUED', 'INSTANTIATING');
      await move(workflowId, taskIds, 'INSTANTIATING', 'RUNNING');
      await move(workflowId, taskIds.slice(0, 2), 'RUNNING', 'DONE');
      await move(workflowId, taskIds.slice(2), 'RUNNING', 'DONE');
      const workflowMoves: [WorkflowStatus, WorkflowStatus][] = [
        ['QUEUED', 'RUNNING'],
        ['RUNNING', 'DONE'],
      ];
      for (const [from, to] of workflowMoves)
        await server.db.transaction((transaction) =>
          changeStatuses(server.db, transaction, EntityType.WORKFLOW, [workflowId], from, to, { workflowId }),
        );
      for (const recorder of recorders) {
        await recorder.until((r) => r.values.at(-1)?.final === true, 'the final snapshot');
        expect(recorder.values.at(-1)).toMatchObject({
          status: 'DONE',
          final: true,
          statusCounts: { total: 4, QUEUED: 0, RUNNING: 0, DONE: 4 },
        });
        expect(recorder.errors).toEqual([]);
        // Snapshots only ever move forward: counts of DONE never go back.
        const done = recorder.values.map((value) => value.statusCounts.DONE);
        expect([...done].sort((a, b) => a - b)).toEqual(done);
      }
      // One read serves all 20 subscribers: reads follow the changes (6 transactions), not the subscribers.
      const reads = server.events.progress.readCount - readsBefore;
      expect(reads).toBeGreaterThanOrEqual(1);
      expect(reads).toBeLessThanOrEqual(7);
      for (const recorder of recorders) expect(recorder.values.length).toBeLessThanOrEqual(reads + 1);
    } finally {
      for (const recorder of recorders) recorder.stop();
      await client.dispose();
    }
  });

  it('workQueued wakes distributors when tasks are queued and when the server signals, per distributor', async () => {
    const client = connectClient(server.url);
    const subscribers = server.events.workQueued.subscriberCount;
    const first = new SubscriptionRecorder<{ at: string; reason: string }>(
      client,
      WORK_QUEUED,
      { distributorId: '1' },
      'workQueued',
    );
    const second = new SubscriptionRecorder<{ at: string; reason: string }>(
      client,
      WORK_QUEUED,
      { distributorId: '2' },
      'workQueued',
    );
    try {
      await eventually(
        () => server.events.workQueued.subscriberCount === subscribers + 2,
        'both distributors to subscribe',
      );
      await submit(50);
      for (const recorder of [first, second]) {
        await recorder.until((r) => r.values.length >= 1, 'a wake-up for the queued tasks');
        expect(recorder.values[0]!.reason).toBe('TASKS_QUEUED');
        expect(Number.isNaN(Date.parse(recorder.values[0]!.at))).toBe(false);
      }
      // Signals addressed to one distributor reach that one only; the server may pass a numeric id.
      server.events.signalWorkQueued({ distributorId: 2 });
      await second.until(
        (r) => r.values.some((v) => v.reason === 'SIGNALLED'),
        'the signal for distributor 2',
      );
      server.events.signalWorkQueued({ distributorId: '1' });
      await first.until(
        (r) => r.values.some((v) => v.reason === 'SIGNALLED'),
        'the signal for distributor 1',
      );
      expect(first.values.filter((v) => v.reason === 'SIGNALLED')).toHaveLength(1);
      expect(second.values.filter((v) => v.reason === 'SIGNALLED')).toHaveLength(1);
      // A signal given in a transaction goes out once it commits.
      await server.db.transaction(async (transaction) => {
        server.events.signalWorkQueued({ transaction });
      });
      await first.until(
        (r) => r.values.filter((v) => v.reason === 'SIGNALLED').length === 2,
        'a second signal',
      );
      expect(first.errors).toEqual([]);
    } finally {
      first.stop();
      second.stop();
      await client.dispose();
    }
  });

  it('answers bad subscriptions with the same error codes as HTTP', async () => {
    const client = connectClient(server.url);
    const attempts = [
      new SubscriptionRecorder(client, TASK_EVENTS, { workflowId: '987654' }, 'taskStatusChanged'),
      new SubscriptionRecorder(client, TASK_EVENTS, { workflowId: '1', since: '-4' }, 'taskStatusChanged'),
      new SubscriptionRecorder(client, PROGRESS, { workflowId: 'x' }, 'workflowProgress'),
      new SubscriptionRecorder(client, 'subscription { nope }', {}, 'nope'),
    ];
    try {
      for (const attempt of attempts) await attempt.until((r) => r.completed, 'the subscription to end');
      const codes = attempts.map((attempt) => attempt.errors.map((error) => error.extensions?.code));
      expect(codes).toEqual([
        ['NOT_FOUND'],
        ['BAD_USER_INPUT'],
        ['BAD_USER_INPUT'],
        ['GRAPHQL_VALIDATION_FAILED'],
      ]);
      // Over HTTP a subscription is answered with where to find it, not an internal error.
      const overHttp = await server.graphql(WORK_QUEUED, { distributorId: '1' });
      expect(overHttp.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(overHttp.errors?.[0]?.message).toMatch(/graphql-ws/);
    } finally {
      await client.dispose();
    }
  });

  if (dialect === 'mysql') {
    // MySQL allocates audit ids at INSERT: a later id can commit first, and an id can be lost to a rollback.

    it('holds back a later commit until an earlier audit id commits, then delivers both in id order', async () => {
      const { workflowId, taskIds } = await submit(2);
      const baseline = await headId();
      const client = connectClient(server.url);
      const recorder = new SubscriptionRecorder<AuditEventPayload>(
        client,
        TASK_EVENTS,
        { workflowId: String(workflowId), since: String(baseline) },
        'taskStatusChanged',
      );
      // Held open by hand, as Database.transaction runs one: task counts are written just before COMMIT.
      const early = await server.db.sequelize.transaction({
        isolationLevel: Transaction.ISOLATION_LEVELS.READ_COMMITTED,
      });
      collectTaskCounts(early);
      let committed = false;
      try {
        await changeStatuses(server.db, early, EntityType.TASK, [taskIds[0]!], 'QUEUED', 'INSTANTIATING', {
          workflowId,
        });
        const earlyId = await ownHeadId(early);
        await move(workflowId, [taskIds[1]!], 'QUEUED', 'INSTANTIATING');
        const lateId = await headId();
        expect(lateId).toBeGreaterThan(earlyId);
        // The tailer now sees the later row and waits on the hole left by the open transaction.
        await eventually(
          () => server.events.tailer.waitingForId === baseline + 1,
          'the tailer to wait on the hole',
        );
        expect(recorder.values).toEqual([]);
        await flushTaskCounts(server.db, early);
        await early.commit();
        committed = true;
        await recorder.until((r) => r.values.length >= 2, 'both events');
        expect(recorder.values.map((event) => [Number(event.id), Number(event.entityId)])).toEqual([
          [earlyId, taskIds[0]],
          [lateId, taskIds[1]],
        ]);
      } finally {
        // A failure before the commit would leave its locks held, and the server's stop waiting on them.
        if (!committed) await early.rollback();
        recorder.stop();
        await client.dispose();
      }
    });

    it('moves past an audit id lost to a rollback', async () => {
      const { workflowId, taskIds } = await submit(2);
      const baseline = await headId();
      const client = connectClient(server.url);
      const recorder = new SubscriptionRecorder<AuditEventPayload>(
        client,
        TASK_EVENTS,
        { workflowId: String(workflowId), since: String(baseline) },
        'taskStatusChanged',
      );
      const doomed = await server.db.sequelize.transaction({
        isolationLevel: Transaction.ISOLATION_LEVELS.READ_COMMITTED,
      });
      collectTaskCounts(doomed);
      let rolledBack = false;
      try {
        await changeStatuses(server.db, doomed, EntityType.TASK, [taskIds[0]!], 'QUEUED', 'INSTANTIATING', {
          workflowId,
        });
        await move(workflowId, [taskIds[1]!], 'QUEUED', 'INSTANTIATING');
        const lateId = await headId();
        await eventually(
          () => server.events.tailer.waitingForId === baseline + 1,
          'the tailer to wait on the hole',
        );
        await doomed.rollback();
        rolledBack = true;
        await recorder.until((r) => r.values.length >= 1, 'the committed event');
        await eventually(() => server.events.tailer.cursor >= lateId, 'the tailer to move past the hole');
        expect(ids(recorder.values)).toEqual([lateId]);
        expect((await auditRows(EntityType.TASK, workflowId, baseline)).map((row) => row.id)).toEqual([
          lateId,
        ]);
      } finally {
        if (!rolledBack) await doomed.rollback();
        recorder.stop();
        await client.dispose();
      }
    });
  }
});

describe.each(testDialects())('subscriptions under limits and load [%s]', (dialect) => {
  let server: TestServer;
  const bufferSize = 20;

  beforeAll(async () => {
    server = await startTestServer(dialect, {
      subscriptionBufferSize: bufferSize,
      maxQueryDepth: 2,
      maxQueryCost: 12,
    });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('refuses subscriptions over the depth and cost limits with QUERY_TOO_COMPLEX', async () => {
    const client = connectClient(server.url);
    const tooDeep = new SubscriptionRecorder(
      client,
      'subscription { workflowProgress(workflowId: "1") { statusCounts { byStatus { status count } } } }',
      {},
      'workflowProgress',
    );
    const tooCostly = new SubscriptionRecorder(
      client,
      `subscription { workflowProgress(workflowId: "1") { workflowId status final at statusCounts {
        total REGISTERING QUEUED INSTANTIATING LAUNCHED RUNNING DONE ERROR_RECOVERABLE ADJUSTING_RESOURCES ERROR_FATAL
      } } }`,
      {},
      'workflowProgress',
    );
    try {
      for (const attempt of [tooDeep, tooCostly]) {
        await attempt.until((r) => r.completed, 'the refusal');
        expect(attempt.errors.map((error) => error.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
        expect(attempt.errors[0]!.extensions).not.toHaveProperty('http');
        expect(attempt.errors[0]!.message).toMatch(/too (deep|costly)/);
      }
    } finally {
      await client.dispose();
    }
  });

  it('ends a subscriber that stops reading with SUBSCRIBER_TOO_SLOW, without holding up the others; it resumes with since', async () => {
    const submitted = async (count: number) => {
      const { workflowId } = await submitWorkflow(server.db, submission(independent(count)), {
        user: null,
        maxTasks: 10_000,
      });
      const rows = await server.db.select<{ id: number }>(
        'SELECT id FROM task WHERE workflow_id = ? ORDER BY id',
        [workflowId],
      );
      return { workflowId, taskIds: rows.map((row) => Number(row.id)) };
    };
    const busy = await submitted(300);
    const quiet = await submitted(5);
    const [head] = await server.db.select<{ id: number }>('SELECT MAX(id) AS id FROM audit_event');
    const baseline = Number(head!.id);

    // The slow client speaks graphql-ws by hand so that it can stop reading its socket.
    const slow = new WebSocket(wsUrlOf(server.url), 'graphql-transport-ws');
    const messages: { type: string; id?: string; payload?: unknown }[] = [];
    slow.on('message', (data: Buffer) =>
      messages.push(JSON.parse(data.toString()) as (typeof messages)[number]),
    );
    await new Promise((resolve) => slow.once('open', resolve));
    slow.send(JSON.stringify({ type: 'connection_init', payload: { token: 'ignored in open mode' } }));
    await eventually(() => messages.some((m) => m.type === 'connection_ack'), 'the connection ack');

    const client = connectClient(server.url);
    let live = server.events.audit.liveCount;
    const bystander = new SubscriptionRecorder<AuditEventPayload>(
      client,
      TASK_EVENTS,
      { workflowId: String(quiet.workflowId), since: String(baseline) },
      'taskStatusChanged',
    );
    await eventually(() => server.events.audit.liveCount === live + 1, 'the other subscriber to go live');
    live += 1;
    slow.send(
      JSON.stringify({
        id: 'slow',
        type: 'subscribe',
        payload: {
          query:
            'subscription ($w: ID!, $s: ID) { taskStatusChanged(workflowId: $w, since: $s) { id reason } }',
          variables: { w: String(busy.workflowId), s: String(baseline) },
        },
      }),
    );
    await eventually(() => server.events.audit.liveCount === live + 1, 'the slow subscriber to go live');
    slow.pause();
    try {
      // Tens of megabytes of events (long reasons) for the slow client: more than the sockets buffer.
      const reason = 'r'.repeat(32 * 1024);
      const steps: [TaskStatus, TaskStatus][] = [
        ['QUEUED', 'INSTANTIATING'],
        ['INSTANTIATING', 'LAUNCHED'],
        ['LAUNCHED', 'RUNNING'],
        ['RUNNING', 'DONE'],
      ];
      // Written until the server ends the slow subscriber (the steps bound it): writing on would only
      // make the test slower on a loaded machine.
      const slowIsLive = () => server.events.audit.liveCount > live;
      writing: for (const [from, to] of steps)
        for (let i = 0; i < busy.taskIds.length; i += 10) {
          if (!slowIsLive()) break writing;
          await server.db.transaction((transaction) =>
            changeStatuses(server.db, transaction, EntityType.TASK, busy.taskIds.slice(i, i + 10), from, to, {
              workflowId: busy.workflowId,
              reason,
            }),
          );
        }
      await eventually(() => !slowIsLive(), 'the slow subscriber to be ended');

      // Meanwhile the other subscriber is served as usual, the slow socket still not read.
      await server.db.transaction((transaction) =>
        changeStatuses(server.db, transaction, EntityType.TASK, quiet.taskIds, 'QUEUED', 'INSTANTIATING', {
          workflowId: quiet.workflowId,
        }),
      );
      await bystander.until((r) => r.values.length === quiet.taskIds.length, "the other workflow's events");
      expect(bystander.errors).toEqual([]);

      // The slow client reads again: the events it was sent, then the error naming the last one.
      slow.resume();
      await eventually(() => messages.some((m) => m.type === 'error'), 'the error message', 60_000);
      const received = messages
        .filter((m) => m.type === 'next')
        .map((m) =>
          Number((m.payload as { data: { taskStatusChanged: { id: string } } }).data.taskStatusChanged.id),
        );
      const error = messages.find((m) => m.type === 'error')!;
      const [slowError] = error.payload as FormattedError[];
      expect(slowError!.extensions).toMatchObject({ code: 'SUBSCRIBER_TOO_SLOW', bufferSize });
      const lastDeliveredId = Number(slowError!.extensions!.lastDeliveredId);
      expect(lastDeliveredId).toBe(received.at(-1) ?? baseline);

      const expected = (
        await server.db.select<{ id: number }>(
          'SELECT id FROM audit_event WHERE workflow_id = ? AND entity_type = ? AND id > ? ORDER BY id',
          [busy.workflowId, 'TASK', baseline],
        )
      ).map((row) => Number(row.id));
      expect(received).toEqual(expected.slice(0, received.length));
      expect(received.length).toBeLessThan(expected.length);

      // Resuming from the id the error named delivers the rest: nothing lost, nothing twice.
      const resumed = new SubscriptionRecorder<AuditEventPayload>(
        client,
        TASK_EVENTS,
        { workflowId: String(busy.workflowId), since: String(lastDeliveredId) },
        'taskStatusChanged',
      );
      await resumed.until(
        (r) => r.values.length === expected.length - received.length,
        'the rest of the events',
      );
      expect([...received, ...ids(resumed.values)]).toEqual(expected);
      resumed.stop();
    } finally {
      bystander.stop();
      slow.terminate();
      await client.dispose();
    }
  }, 180_000);

  it('stops cleanly with subscriptions and an unresponsive socket open', async () => {
    const own = await startTestServer(dialect);
    const client = connectClient(own.url);
    const recorders = [
      new SubscriptionRecorder(client, WORKFLOW_EVENTS, {}, 'workflowStatusChanged'),
      new SubscriptionRecorder(client, WORK_QUEUED, { distributorId: '7' }, 'workQueued'),
    ];
    const stalled = new WebSocket(wsUrlOf(own.url), 'graphql-transport-ws');
    await new Promise((resolve) => stalled.once('open', resolve));
    stalled.send(JSON.stringify({ type: 'connection_init' }));
    await eventually(
      () => own.subscriptions.connectionCount === 2 && own.events.subscriberCount === 2,
      'connections',
    );
    stalled.pause();
    const closed = new Promise<number>((resolve) => stalled.once('close', (code: number) => resolve(code)));
    await own.stop();
    for (const recorder of recorders)
      await recorder.until((r) => r.completed || r.failure !== null, 'the end');
    stalled.resume();
    expect(await closed).toBeGreaterThan(0);
    expect(own.subscriptions.connectionCount).toBe(0);
    await client.dispose();
    await sleep(0);
  });
});
