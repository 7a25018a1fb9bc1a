import { getSchema } from './schema';
import { ROOT_FIELD_ACCESS, Role } from '../domain';
import { createApiToken } from '../services/auth.service';
import { testDialects } from '../testing/databases';
import { submission, task } from '../testing/fixtures';
import { startTestServer, startTestServerWithTokens, type TestServer } from '../testing/server';
import { connectClient, eventually, SubscriptionRecorder } from '../testing/subscriptions';

// Authentication and ownership, with tokens on: every refusal (UNAUTHENTICATED, FORBIDDEN) over HTTP and
// graphql-ws, that a refusal writes nothing, and that owners, admins and distributors can do their part.

const SUBMIT = `mutation ($input: WorkflowSubmission!) {
  submitWorkflow(input: $input) { workflow { id createdBy status } }
}`;
const WORKFLOW = `query ($id: ID!) {
  workflow(id: $id) { id status createdBy maxConcurrentlyRunning tasks(first: 10) { nodes { id status } } }
}`;
const STOP = `mutation ($id: ID!) { stopWorkflow(id: $id, reason: "test") { id status } }`;
const RESUME = `mutation ($id: ID!) { resumeWorkflow(id: $id) { id status } }`;
const RESET = `mutation ($id: ID!) { resetWorkflow(id: $id) { id status } }`;
const SET_ATTRIBUTES = `mutation ($id: ID!) { setWorkflowAttributes(workflowId: $id, attributes: { a: 1 }) { id } }`;
const SET_TASK_ATTRIBUTES = `mutation ($ids: [ID!]!) { setTaskAttributes(taskIds: $ids, attributes: { a: 1 }) { id } }`;
const LIMIT = `mutation ($id: ID!) { setMaxConcurrentlyRunning(workflowId: $id, limit: 3) { id maxConcurrentlyRunning } }`;
const OVERRIDE = `mutation ($ids: [ID!]!) { setTaskStatus(taskIds: $ids, status: DONE) { id status } }`;
const REGISTER = `mutation ($name: String!) {
  registerDistributor(input: { name: $name, backend: "dummy" }) { id }
}`;
const CLAIM = `mutation ($id: ID!) { claimTaskInstances(distributorId: $id, limit: 5) { id taskId } }`;
const RUNNING = `mutation ($reports: [TaskInstanceRunningInput!]!) {
  reportTaskInstancesRunning(reports: $reports) { accepted }
}`;
const FINISHED = `mutation ($reports: [TaskInstanceFinishedInput!]!, $distributorId: ID) {
  reportTaskInstancesFinished(reports: $reports, distributorId: $distributorId) { accepted }
}`;
const HEARTBEAT = `mutation ($id: ID!, $active: [ID!]!) {
  heartbeatDistributor(distributorId: $id, activeInstanceIds: $active) { killInstanceIds }
}`;
const WORKER_HEARTBEAT = `mutation ($ids: [ID!]!) { heartbeatTaskInstances(ids: $ids) }`;
const OWNED = `query ($id: ID!) { distributorTaskInstances(distributorId: $id) { id } }`;
const VIEWER = `{ viewer { authRequired user role } }`;
const AUDIT = `query ($workflowId: ID!) { auditEvents(filter: { workflowId: $workflowId }, first: 500) { totalCount } }`;
const CREATE_TOKEN = `mutation ($user: String, $role: Role!) {
  createApiToken(user: $user, role: $role, name: "made in a test") { token apiToken { id user role } }
}`;
const TOKENS = `{ apiTokens { id user } }`;
const REVOKE = `mutation ($id: ID!) { revokeApiToken(id: $id) { id revokedAt } }`;

type Errors = { message: string; extensions?: Record<string, unknown> }[] | undefined;
const codes = (errors: Errors) => (errors ?? []).map((error) => error.extensions?.code);

/** The two-task workflow every test here submits. */
const TWO_TASKS = [task('a'), task('b', ['a'])];

describe('the access table', () => {
  it('names every root field of the schema (a new field must get a rule)', () => {
    const schema = getSchema();
    for (const [operation, type] of [
      ['query', schema.getQueryType()],
      ['mutation', schema.getMutationType()],
      ['subscription', schema.getSubscriptionType()],
    ] as const) {
      const missing = Object.keys(type!.getFields()).filter(
        (field) => !(field in ROOT_FIELD_ACCESS[operation]),
      );
      expect({ operation, missing }).toEqual({ operation, missing: [] });
    }
  });
});

describe.each(testDialects())('authentication and ownership [%s]', (dialect) => {
  let server: TestServer;
  let tokens: Record<'alice' | 'bob' | 'admin' | 'distA' | 'distB', string>;

  beforeAll(async () => {
    ({ server, tokens } = await startTestServerWithTokens(dialect, {
      alice: ['alice', Role.USER],
      bob: ['bob', Role.USER],
      admin: ['root', Role.ADMIN],
      // A distributor runs its own user's work: alice's distributor runs what alice submits.
      distA: ['alice', Role.DISTRIBUTOR],
      distB: ['dist-b', Role.DISTRIBUTOR],
    }));
  });
  afterAll(async () => {
    await server?.stop();
  });

  const as: TestServer['as'] = (...request) => server.as(...request);

  async function submitAs(token: string): Promise<string> {
    const result = await as<{ submitWorkflow: { workflow: { id: string; createdBy: string } } }>(
      token,
      SUBMIT,
      // The user a client says it is counts only in open mode: the token's user always wins.
      { input: { ...submission(TWO_TASKS), user: 'mallory' } },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.submitWorkflow.workflow.createdBy).not.toBe('mallory');
    return result.data!.submitWorkflow.workflow.id;
  }

  describe('tokens', () => {
    it('refuses every operation without a token (401 UNAUTHENTICATED), except viewer', async () => {
      for (const [query, variables] of [
        ['{ workflows { totalCount } }', undefined],
        [SUBMIT, { input: submission(TWO_TASKS) }],
        [REGISTER, { name: 'anonymous' }],
      ] as const) {
        const result = await as(undefined, query, variables);
        expect(result.status).toBe(401);
        expect(codes(result.errors)).toEqual(['UNAUTHENTICATED']);
        expect(result.data ?? null).toBeNull();
      }
      const viewer = await as(undefined, VIEWER);
      expect(viewer.data).toEqual({ viewer: { authRequired: true, user: null, role: null } });
      // Nothing was created by the refused submission and registration.
      expect(await server.db.models.Workflow.count()).toBe(0);
      expect(await server.db.models.Distributor.count()).toBe(0);
    });

    it('refuses an unknown token before its body is read (malformed JSON gets 401, not 400)', async () => {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer jm_unknown' },
        body: '{ not json',
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      const body = (await response.json()) as { errors: Errors };
      expect(codes(body.errors)).toEqual(['UNAUTHENTICATED']);
    });

    it('refuses an unknown token before anything runs, even viewer', async () => {
      for (const token of ['jm_not-a-real-token', tokens.alice + 'x']) {
        const result = await as(token, VIEWER);
        expect(result.status).toBe(401);
        expect(codes(result.errors)).toEqual(['UNAUTHENTICATED']);
      }
    });

    it('knows who is asking', async () => {
      expect((await as(tokens.alice, VIEWER)).data).toEqual({
        viewer: { authRequired: true, user: 'alice', role: 'USER' },
      });
      expect((await as(tokens.admin, VIEWER)).data).toEqual({
        viewer: { authRequired: true, user: 'root', role: 'ADMIN' },
      });
    });

    it('refuses a revoked token at once, and an expired one', async () => {
      const { token, info } = await createApiToken(server.db, { user: 'carol' });
      expect((await as(token, VIEWER)).status).toBe(200);
      const revoked = await as<{ revokeApiToken: { revokedAt: string } }>(token, REVOKE, {
        id: String(info.id),
      });
      expect(revoked.data!.revokeApiToken.revokedAt).toEqual(expect.any(String));
      const after = await as(token, VIEWER);
      expect([after.status, codes(after.errors)]).toEqual([401, ['UNAUTHENTICATED']]);

      const expiring = await createApiToken(server.db, {
        user: 'carol',
        expiresAt: new Date(Date.now() + 60_000),
      });
      expect((await as(expiring.token, VIEWER)).status).toBe(200);
      await server.db.models.ApiToken.update(
        { expiresAt: new Date(Date.now() - 1000) },
        { where: { id: expiring.info.id } },
      );
      // The verifier re-reads a token at most every few seconds; a new server process would see it at once.
      await eventually(async () => (await as(expiring.token, VIEWER)).status === 401, 'expiry', 15_000);
      const expired = await as(expiring.token, VIEWER);
      expect(expired.errors?.[0]?.message).toMatch(/expired|revoked/);
    });

    it('lets people make tokens for themselves only, and admins any', async () => {
      const own = await as<{ createApiToken: { token: string; apiToken: { user: string } } }>(
        tokens.bob,
        CREATE_TOKEN,
        { role: 'USER' },
      );
      expect(own.data!.createApiToken.apiToken.user).toBe('bob');
      expect(own.data!.createApiToken.token).toMatch(/^jm_[A-Za-z0-9_-]{43}$/);
      for (const variables of [{ user: 'alice', role: 'USER' }, { role: 'ADMIN' }, { role: 'DISTRIBUTOR' }]) {
        const refused = await as(tokens.bob, CREATE_TOKEN, variables);
        expect({ variables, codes: codes(refused.errors) }).toEqual({ variables, codes: ['FORBIDDEN'] });
      }
      const byAdmin = await as<{ createApiToken: { apiToken: { user: string; role: string } } }>(
        tokens.admin,
        CREATE_TOKEN,
        { user: 'dave', role: 'DISTRIBUTOR' },
      );
      expect(byAdmin.data!.createApiToken.apiToken).toEqual(
        expect.objectContaining({ user: 'dave', role: 'DISTRIBUTOR' }),
      );
      // A person lists their own tokens; an admin everyone's.
      const bobs = await as<{ apiTokens: { user: string }[] }>(tokens.bob, TOKENS);
      expect(new Set(bobs.data!.apiTokens.map((token) => token.user))).toEqual(new Set(['bob']));
      const all = await as<{ apiTokens: { id: string; user: string }[] }>(tokens.admin, TOKENS);
      expect(new Set(all.data!.apiTokens.map((token) => token.user))).toEqual(
        new Set(['alice', 'bob', 'carol', 'root', 'dist-b', 'dave']),
      );
      // Bob may not revoke alice's token.
      const alices = all.data!.apiTokens.find((token) => token.user === 'alice')!;
      expect(codes((await as(tokens.bob, REVOKE, { id: alices.id })).errors)).toEqual(['FORBIDDEN']);
      expect((await as(tokens.alice, VIEWER)).status).toBe(200);
    });
  });

  describe('workflows belong to who submitted them', () => {
    it('records the owner and lets everyone read, but only the owner or an admin change it', async () => {
      const id = await submitAs(tokens.alice);
      const read = await as<{ workflow: { createdBy: string; tasks: { nodes: { id: string }[] } } }>(
        tokens.bob,
        WORKFLOW,
        { id },
      );
      expect(read.errors).toBeUndefined();
      expect(read.data!.workflow.createdBy).toBe('alice');
      const taskIds = read.data!.workflow.tasks.nodes.map((task) => task.id);
      const auditBefore = await as<{ auditEvents: { totalCount: number } }>(tokens.bob, AUDIT, {
        workflowId: id,
      });

      for (const [query, variables] of [
        [STOP, { id }],
        [RESUME, { id }],
        [RESET, { id }],
        [LIMIT, { id }],
        [OVERRIDE, { ids: taskIds }],
        [SET_ATTRIBUTES, { id }],
        [SET_TASK_ATTRIBUTES, { ids: taskIds }],
      ] as const) {
        const refused = await as(tokens.bob, query, variables);
        expect({ query, codes: codes(refused.errors) }).toEqual({ query, codes: ['FORBIDDEN'] });
        expect(refused.errors![0]!.message).toMatch(/belongs to alice/);
      }
      // A distributor token may not control workflows at all (refused before the resolver: 403).
      const byDistributor = await as(tokens.distA, STOP, { id });
      expect([byDistributor.status, codes(byDistributor.errors)]).toEqual([403, ['FORBIDDEN']]);

      // Nothing changed: same status, same limit, no audit row.
      const unchanged = await as<{ workflow: { status: string; maxConcurrentlyRunning: number } }>(
        tokens.alice,
        WORKFLOW,
        { id },
      );
      expect(unchanged.data!.workflow).toMatchObject({ status: 'QUEUED' });
      expect(unchanged.data!.workflow.maxConcurrentlyRunning).not.toBe(3);
      const auditAfter = await as<{ auditEvents: { totalCount: number } }>(tokens.bob, AUDIT, {
        workflowId: id,
      });
      expect(auditAfter.data!.auditEvents.totalCount).toBe(auditBefore.data!.auditEvents.totalCount);

      // The owner changes it; an admin stops it.
      expect((await as(tokens.alice, LIMIT, { id })).errors).toBeUndefined();
      expect((await as(tokens.alice, SET_ATTRIBUTES, { id })).errors).toBeUndefined();
      expect((await as(tokens.admin, SET_TASK_ATTRIBUTES, { ids: taskIds })).errors).toBeUndefined();
      const stopped = await as<{ stopWorkflow: { status: string } }>(tokens.admin, STOP, { id });
      expect(stopped.errors).toBeUndefined();
      expect(stopped.data!.stopWorkflow.status).toBe('HALTED');
      const events = await server.db.models.AuditEvent.findAll({ where: { workflowId: Number(id) } });
      expect(events.some((event) => event.actor === 'root')).toBe(true);
      // The owner resets it once it is over (an active run refuses a reset: see the scheduling tests).
      const reset = await as<{ resetWorkflow: { status: string } }>(tokens.alice, RESET, { id });
      expect(reset.errors).toBeUndefined();
      expect(reset.data!.resetWorkflow.status).toBe('QUEUED');
      // Stopped again: the tests below claim work and expect none of this workflow's.
      expect((await as(tokens.alice, STOP, { id })).errors).toBeUndefined();
    });

    it('keeps distributors and workers out of submissions and bindings', async () => {
      const submit = await as(tokens.distA, SUBMIT, { input: submission(TWO_TASKS) });
      expect([submit.status, codes(submit.errors)]).toEqual([403, ['FORBIDDEN']]);
      const begin = await as(
        tokens.distA,
        `mutation ($input: WorkflowBindingInput!) { beginWorkflowBinding(input: $input) { bindingId } }`,
        { input: { tool: 'x', workflowArgs: 'y', taskTemplates: [] } },
      );
      expect(codes(begin.errors)).toEqual(['FORBIDDEN']);
    });
  });

  describe('distributors act only for themselves', () => {
    it('refuses claims, reports and heartbeats for instances another user’s distributor owns', async () => {
      const workflowId = await submitAs(tokens.alice);
      // People may not run work.
      const byUser = await as(tokens.alice, REGISTER, { name: 'alice-box' });
      expect([byUser.status, codes(byUser.errors)]).toEqual([403, ['FORBIDDEN']]);

      const registered = await as<{ registerDistributor: { id: string } }>(tokens.distA, REGISTER, {
        name: 'dist-a-1',
      });
      const distributorA = registered.data!.registerDistributor.id;
      const claimed = await as<{ claimTaskInstances: { id: string; taskId: string }[] }>(
        tokens.distA,
        CLAIM,
        {
          id: distributorA,
        },
      );
      expect(claimed.errors).toBeUndefined();
      const [instance] = claimed.data!.claimTaskInstances;
      expect(instance).toBeDefined();

      // Another distributor user: cannot take over the name, claim for it, or report on its instances.
      const takeover = await as(tokens.distB, REGISTER, { name: 'dist-a-1' });
      expect(codes(takeover.errors)).toEqual(['FORBIDDEN']);
      expect(codes((await as(tokens.distB, CLAIM, { id: distributorA })).errors)).toEqual(['FORBIDDEN']);
      expect(codes((await as(tokens.distB, OWNED, { id: distributorA })).errors)).toEqual(['FORBIDDEN']);
      const running = await as(tokens.distB, RUNNING, { reports: [{ id: instance!.id, hostname: 'evil' }] });
      expect(codes(running.errors)).toEqual(['FORBIDDEN']);
      const finished = await as(tokens.distB, FINISHED, {
        reports: [{ id: instance!.id, outcome: 'DONE', exitCode: 0 }],
      });
      expect(codes(finished.errors)).toEqual(['FORBIDDEN']);
      const heartbeat = await as(tokens.distB, HEARTBEAT, { id: distributorA, active: [instance!.id] });
      expect(codes(heartbeat.errors)).toEqual(['FORBIDDEN']);
      expect(codes((await as(tokens.distB, WORKER_HEARTBEAT, { ids: [instance!.id] })).errors)).toEqual([
        'FORBIDDEN',
      ]);
      // B's own distributor may not report A's instance either, even naming itself as the claimer.
      const own = await as<{ registerDistributor: { id: string } }>(tokens.distB, REGISTER, {
        name: 'dist-b-1',
      });
      const viaOwn = await as(tokens.distB, FINISHED, {
        reports: [{ id: instance!.id, outcome: 'DONE', exitCode: 0 }],
        distributorId: own.data!.registerDistributor.id,
      });
      expect(codes(viaOwn.errors)).toEqual(['FORBIDDEN']);

      // Nothing was written: the instance is still as claimed.
      const row = await server.db.models.TaskInstance.findByPk(Number(instance!.id));
      expect(row!.status).toBe('INSTANTIATED');
      expect(row!.hostname).toBeNull();

      // Its owner reports it through; the run goes on.
      expect(
        (await as(tokens.distA, RUNNING, { reports: [{ id: instance!.id, hostname: 'a' }] })).errors,
      ).toBeUndefined();
      const done = await as<{ reportTaskInstancesFinished: { accepted: string[] } }>(tokens.distA, FINISHED, {
        reports: [{ id: instance!.id, outcome: 'DONE', exitCode: 0 }],
      });
      expect(done.errors).toBeUndefined();
      expect(done.data!.reportTaskInstancesFinished.accepted).toEqual([instance!.id]);
      const task = await server.db.models.Task.findByPk(Number(instance!.taskId));
      expect(task!.status).toBe('DONE');
      expect(Number(task!.workflowId)).toBe(Number(workflowId));
    });
  });

  describe('graphql-ws', () => {
    it('closes a connection without a token or with a refused one (4401)', async () => {
      for (const params of [undefined, { authorization: 'Bearer jm_nope' }]) {
        const client = connectClient(server.url, params);
        const recorder = new SubscriptionRecorder(client, '{ viewer { user } }', {}, 'viewer');
        try {
          await recorder.until((r) => r.failure !== null, 'the connection to close');
          expect(recorder.failure).toMatchObject({ code: 4401 });
          expect(recorder.values).toEqual([]);
        } finally {
          await client.dispose();
        }
      }
    });

    it('ends an open connection when its token is revoked (4401), within seconds', async () => {
      const { token, info } = await createApiToken(server.db, { user: 'erin' });
      const workflowId = await submitAs(tokens.alice);
      const client = connectClient(server.url, { authorization: `Bearer ${token}` });
      const recorder = new SubscriptionRecorder(
        client,
        'subscription ($id: ID!) { taskStatusChanged(workflowId: $id) { id } }',
        { id: workflowId },
        'taskStatusChanged',
      );
      try {
        await eventually(() => server.subscriptions.connectionCount > 0, 'the connection to open');
        expect(recorder.failure).toBeNull();
        const revoked = await as(tokens.admin, REVOKE, { id: String(info.id) });
        expect(revoked.errors).toBeUndefined();
        await recorder.until((r) => r.failure !== null, 'the connection to be closed', 30_000);
        expect(recorder.failure).toMatchObject({ code: 4401 });
      } finally {
        await client.dispose();
      }
    });

    it('makes the token the caller of the connection, with the same rules as HTTP', async () => {
      const client = connectClient(server.url, { authorization: `Bearer ${tokens.alice}` });
      try {
        const submitted = new SubscriptionRecorder<{ workflow: { createdBy: string } }>(
          client,
          SUBMIT,
          { input: submission(TWO_TASKS) },
          'submitWorkflow',
        );
        await submitted.until((r) => r.completed, 'the submission');
        expect(submitted.errors).toEqual([]);
        expect(submitted.values[0]!.workflow.createdBy).toBe('alice');

        const work = new SubscriptionRecorder(
          client,
          'subscription { workQueued(distributorId: "1") { __typename } }',
          {},
          'workQueued',
        );
        await work.until((r) => r.completed || r.errors.length > 0, 'the refusal');
        expect(codes(work.errors)).toEqual(['FORBIDDEN']);
      } finally {
        await client.dispose();
      }
    });
  });
});

describe.each(testDialects())('open mode [%s]', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect, { auth: false });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('needs no token, says so, and ignores one sent', async () => {
    expect((await server.graphql(VIEWER)).data).toEqual({
      viewer: { authRequired: false, user: null, role: null },
    });
    const submitted = await server.graphql<{ submitWorkflow: { workflow: { createdBy: string | null } } }>(
      SUBMIT,
      { input: submission(TWO_TASKS) },
      { token: 'jm_whatever' },
    );
    expect(submitted.errors).toBeUndefined();
    expect(submitted.data!.submitWorkflow.workflow.createdBy).toBeNull();
  });
});
