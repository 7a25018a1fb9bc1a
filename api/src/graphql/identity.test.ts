import { Role } from '../domain';
import { createApiToken } from '../services/auth.service';
import { registerDistributor } from '../services/distributors/registry';
import { testDialects } from '../testing/databases';
import { submission, task } from '../testing/fixtures';
import { startTestServer, startTestServerWithTokens, type TestServer } from '../testing/server';
import { connectClient, eventually, SubscriptionRecorder } from '../testing/subscriptions';

// Identity, with tokens on: whose work a distributor runs, what an attempt's credential can
// do, that a workflow's identity includes its owner, how tokens die, and that a request's mutations are
// refused whole unless they are the distributor protocol's (whose fields are all checked before any runs).

type Errors = { message: string; extensions?: Record<string, unknown> }[] | undefined;
const codes = (errors: Errors) => (errors ?? []).map((error) => error.extensions?.code);

const SUBMIT = `mutation ($input: WorkflowSubmission!) {
  submitWorkflow(input: $input) { created workflow { id createdBy } }
}`;

type Submitted = { submitWorkflow: { created: boolean; workflow: { id: string; createdBy: string } } };

/** The two-task workflow every test here submits. */
const TWO_TASKS = [task('a'), task('b', ['a'])];

describe.each(testDialects())('identity [%s]', (dialect) => {
  let server: TestServer;
  let tokens: Record<'alice' | 'bob' | 'admin', string>;

  beforeAll(async () => {
    ({ server, tokens } = await startTestServerWithTokens(dialect, {
      alice: ['alice', Role.USER],
      bob: ['bob', Role.USER],
      admin: ['root', Role.ADMIN],
    }));
  });
  afterAll(async () => {
    await server?.stop();
  });

  const as: TestServer['as'] = (...request) => server.as(...request);

  describe('a request with several mutations', () => {
    const MIXED = `mutation ($mine: ID!, $theirs: ID!) {
      mine: setMaxConcurrentlyRunning(workflowId: $mine, limit: 7) { id maxConcurrentlyRunning }
      theirs: stopWorkflow(id: $theirs, reason: "not mine") { id status }
    }`;
    const limitOf = async (id: string) =>
      (await server.db.models.Workflow.findByPk(Number(id)))!.maxConcurrentlyRunning;

    it('is refused whole (400 BAD_USER_INPUT) unless it is the distributor protocol, and writes nothing', async () => {
      const alices = (await as<Submitted>(tokens.alice, SUBMIT, { input: submission(TWO_TASKS) })).data!
        .submitWorkflow.workflow.id;
      const bobs = (await as<Submitted>(tokens.bob, SUBMIT, { input: submission(TWO_TASKS) })).data!
        .submitWorkflow.workflow.id;
      const before = await limitOf(alices);
      // Someone else's workflow in the second field, or one's own: the first field never runs.
      for (const theirs of [bobs, alices]) {
        const refused = await as(tokens.alice, MIXED, { mine: alices, theirs });
        expect([refused.status, codes(refused.errors)]).toEqual([400, ['BAD_USER_INPUT']]);
        expect(refused.errors![0]!.message).toMatch(/must be the only mutation field of its request/);
        expect(refused.data ?? null).toBeNull();
      }
      expect(await limitOf(alices)).toBe(before);
      for (const id of [alices, bobs])
        expect((await server.db.models.Workflow.findByPk(Number(id)))!.status).not.toBe('HALTED');

      // The same over graphql-ws.
      const client = connectClient(server.url, { authorization: `Bearer ${tokens.alice}` });
      try {
        const recorder = new SubscriptionRecorder(client, MIXED, { mine: alices, theirs: bobs }, 'mine');
        await recorder.until((r) => r.completed || r.errors.length > 0, 'the refusal');
        expect(codes(recorder.errors)).toEqual(['BAD_USER_INPUT']);
        expect(await limitOf(alices)).toBe(before);
      } finally {
        await client.dispose();
      }

      // One field a request: it runs.
      const own = await as(
        tokens.alice,
        `mutation ($id: ID!) { setMaxConcurrentlyRunning(workflowId: $id, limit: 7) { id } }`,
        { id: alices },
      );
      expect(own.errors).toBeUndefined();
      expect(await limitOf(alices)).toBe(7);
    });
  });

  describe('a workflow is identified with its owner', () => {
    it("gives another user's identical submission a workflow of their own", async () => {
      const input = submission(TWO_TASKS, { workflowArgs: 'same-for-everyone' });
      const first = await as<Submitted>(tokens.alice, SUBMIT, { input });
      const again = await as<Submitted>(tokens.alice, SUBMIT, { input });
      const other = await as<Submitted>(tokens.bob, SUBMIT, { input });
      expect([first.errors, again.errors, other.errors]).toEqual([undefined, undefined, undefined]);
      // The owner's resubmission finds their workflow (that is how they resume) ...
      expect(again.data!.submitWorkflow).toEqual({
        created: false,
        workflow: first.data!.submitWorkflow.workflow,
      });
      // ... another user's creates their own, never returns alice's.
      expect(other.data!.submitWorkflow.created).toBe(true);
      expect(other.data!.submitWorkflow.workflow.createdBy).toBe('bob');
      expect(other.data!.submitWorkflow.workflow.id).not.toBe(first.data!.submitWorkflow.workflow.id);
    });

    it('does the same for workflows bound in chunks', async () => {
      const input = submission(TWO_TASKS, { workflowArgs: 'chunked-for-everyone' });
      const { tasks, ...rest } = input;
      const bind = async (token: string) => {
        const begun = await as<{ beginWorkflowBinding: { bindingId: string } }>(
          token,
          `mutation ($input: WorkflowBindingInput!) { beginWorkflowBinding(input: $input) { bindingId } }`,
          { input: rest },
        );
        expect(begun.errors).toBeUndefined();
        const bindingId = begun.data!.beginWorkflowBinding.bindingId;
        const added = await as(
          token,
          `mutation ($id: ID!, $tasks: [TaskInput!]!) { addWorkflowTasks(bindingId: $id, tasks: $tasks) { __typename } }`,
          { id: bindingId, tasks },
        );
        expect(added.errors).toBeUndefined();
        const committed = await as<{ commitWorkflowBinding: Submitted['submitWorkflow'] }>(
          token,
          `mutation ($id: ID!) { commitWorkflowBinding(bindingId: $id) { created workflow { id createdBy } } }`,
          { id: bindingId },
        );
        expect(committed.errors).toBeUndefined();
        return committed.data!.commitWorkflowBinding;
      };
      const byAlice = await bind(tokens.alice);
      const byBob = await bind(tokens.bob);
      expect(byAlice.created).toBe(true);
      expect(byBob).toMatchObject({ created: true, workflow: { createdBy: 'bob' } });
      expect(byBob.workflow.id).not.toBe(byAlice.workflow.id);
      // Submitting the same in one request finds each owner's own.
      const again = await as<Submitted>(tokens.bob, SUBMIT, { input });
      expect(again.data!.submitWorkflow).toEqual({ created: false, workflow: byBob.workflow });
    });
  });
});

describe.each(testDialects())('a distributor runs its own user’s work [%s]', (dialect) => {
  let server: TestServer;
  let tokens: Record<'alice' | 'bob' | 'admin' | 'aliceRuns' | 'shared', string>;
  beforeAll(async () => {
    ({ server, tokens } = await startTestServerWithTokens(dialect, {
      alice: ['alice', Role.USER],
      bob: ['bob', Role.USER],
      admin: ['root', Role.ADMIN],
      aliceRuns: ['alice', Role.DISTRIBUTOR],
      shared: ['cluster', Role.DISTRIBUTOR],
    }));
  });
  afterAll(async () => {
    await server?.stop();
  });
  const as: TestServer['as'] = (...request) => server.as(...request);
  const REGISTER = `mutation ($name: String!) {
    registerDistributor(input: { name: $name, backend: "dummy" }) { id owner servesAllUsers }
  }`;
  const CLAIM = `mutation ($id: ID!) { claimTaskInstances(distributorId: $id, limit: 10) { id workflowId } }`;
  const TASKS = `query ($id: ID!) { workflow(id: $id) { tasks { nodes { status waitingReason } } } }`;
  const SERVE_ALL = `mutation ($id: ID!, $all: Boolean!) {
    setDistributorServesAllUsers(distributorId: $id, servesAllUsers: $all) { id servesAllUsers }
  }`;
  type Claimed = { claimTaskInstances: { id: string; workflowId: string }[] };

  const register = async (token: string, name: string) => {
    const result = await as<{ registerDistributor: { id: string; owner: string; servesAllUsers: boolean } }>(
      token,
      REGISTER,
      { name },
    );
    expect(result.errors).toBeUndefined();
    return result.data!.registerDistributor;
  };
  const submit = async (token: string) => {
    const result = await as<Submitted>(token, SUBMIT, { input: submission(TWO_TASKS) });
    expect(result.errors).toBeUndefined();
    return result.data!.submitWorkflow.workflow.id;
  };

  it('claims only its owner’s tasks; the others wait and say why', async () => {
    const bobs = await submit(tokens.bob);
    const alices = await submit(tokens.alice);
    const cluster = await register(tokens.shared, 'cluster-1');
    expect(cluster).toMatchObject({ owner: 'cluster', servesAllUsers: false });
    // Nobody's work is the cluster user's.
    const none = await as<Claimed>(tokens.shared, CLAIM, { id: cluster.id });
    expect(none.data!.claimTaskInstances).toEqual([]);
    const waiting = await as<{
      workflow: { tasks: { nodes: { status: string; waitingReason: string | null }[] } };
    }>(tokens.bob, TASKS, { id: bobs });
    const queued = waiting.data!.workflow.tasks.nodes.find((task) => task.status === 'QUEUED')!;
    expect(queued.waitingReason).toMatch(/no distributor of bob/i);

    const alicesOwn = await register(tokens.aliceRuns, 'alice-laptop');
    const claimed = await as<Claimed>(tokens.aliceRuns, CLAIM, { id: alicesOwn.id });
    expect(claimed.data!.claimTaskInstances.map((instance) => instance.workflowId)).toEqual([alices]);
    const again = await as<Claimed>(tokens.aliceRuns, CLAIM, { id: alicesOwn.id });
    expect(again.data!.claimTaskInstances).toEqual([]);
  });

  it('wakes only the distributor’s owner (workQueued), and claims carry the claimer in the audit log', async () => {
    const own = await register(tokens.aliceRuns, 'alice-desktop');
    const other = connectClient(server.url, { authorization: `Bearer ${tokens.shared}` });
    const owner = connectClient(server.url, { authorization: `Bearer ${tokens.aliceRuns}` });
    const WORK = 'subscription ($id: ID!) { workQueued(distributorId: $id) { __typename } }';
    try {
      const refused = new SubscriptionRecorder(other, WORK, { id: own.id }, 'workQueued');
      await refused.until((r) => r.completed || r.errors.length > 0, 'the refusal');
      expect(codes(refused.errors)).toEqual(['FORBIDDEN']);
      expect(refused.values).toEqual([]);

      const woken = new SubscriptionRecorder(owner, WORK, { id: own.id }, 'workQueued');
      await eventually(() => server.subscriptions.connectionCount >= 1, 'the subscription');
      const workflowId = await submit(tokens.alice);
      await woken.until((r) => r.values.length > 0, 'a wake-up');
      expect(woken.errors).toEqual([]);

      const claimed = await as<Claimed>(tokens.aliceRuns, CLAIM, { id: own.id });
      expect(claimed.data!.claimTaskInstances.length).toBeGreaterThan(0);
      const events = await server.db.models.AuditEvent.findAll({
        where: { workflowId: Number(workflowId), toStatus: ['INSTANTIATING', 'INSTANTIATED'] },
      });
      expect(events.length).toBe(2 * claimed.data!.claimTaskInstances.length);
      expect(new Set(events.map((event) => event.actor))).toEqual(new Set(['alice']));
    } finally {
      await other.dispose();
      await owner.dispose();
    }
  });

  it('gives each attempt a credential that reports on that attempt only', async () => {
    await submit(tokens.alice);
    const own = await register(tokens.aliceRuns, 'alice-workstation');
    const claimed = await as<{ claimTaskInstances: { id: string; reportToken: string | null }[] }>(
      tokens.aliceRuns,
      `mutation ($id: ID!) { claimTaskInstances(distributorId: $id, limit: 10) { id reportToken } }`,
      { id: own.id },
    );
    const mine = claimed.data!.claimTaskInstances[0]!;
    await submit(tokens.alice);
    const other = (await as<Claimed>(tokens.aliceRuns, CLAIM, { id: own.id })).data!.claimTaskInstances[0]!;
    expect(mine.reportToken).toMatch(/^jmi_/);
    const credential = mine.reportToken!;
    const RUNNING = `mutation ($reports: [TaskInstanceRunningInput!]!) {
      reportTaskInstancesRunning(reports: $reports) { accepted }
    }`;
    const FINISHED = `mutation ($reports: [TaskInstanceFinishedInput!]!, $distributorId: ID) {
      reportTaskInstancesFinished(reports: $reports, distributorId: $distributorId) { accepted }
    }`;
    // Anything but its own attempt's reports is refused, and writes nothing.
    for (const [query, variables] of [
      [RUNNING, { reports: [{ id: other.id, hostname: 'node-1' }] }],
      [FINISHED, { reports: [{ id: other.id, outcome: 'DONE', exitCode: 0 }] }],
      [FINISHED, { reports: [{ id: mine.id, outcome: 'DONE', exitCode: 0 }], distributorId: own.id }],
      [CLAIM, { id: own.id }],
      [`{ workflows { totalCount } }`, {}],
      [`mutation { createApiToken(name: "escalate") { token } }`, {}],
    ] as const) {
      const refused = await as(credential, query, variables);
      expect({ query, codes: codes(refused.errors) }).toEqual({ query, codes: ['FORBIDDEN'] });
    }
    expect((await server.db.models.TaskInstance.findByPk(Number(other.id)))!.status).toBe('INSTANTIATED');
    expect((await server.db.models.TaskInstance.findByPk(Number(mine.id)))!.status).toBe('INSTANTIATED');

    // Its own: running, a heartbeat, the end.
    const running = await as(credential, RUNNING, { reports: [{ id: mine.id, hostname: 'node-1' }] });
    expect(running.errors).toBeUndefined();
    const beat = await as(credential, `mutation ($ids: [ID!]!) { heartbeatTaskInstances(ids: $ids) }`, {
      ids: [mine.id],
    });
    expect(beat.errors).toBeUndefined();
    const done = await as<{ reportTaskInstancesFinished: { accepted: string[] } }>(credential, FINISHED, {
      reports: [{ id: mine.id, outcome: 'DONE', exitCode: 0 }],
    });
    expect(done.data!.reportTaskInstancesFinished.accepted).toEqual([mine.id]);
    const row = await server.db.models.TaskInstance.findByPk(Number(mine.id));
    expect(row!.status).toBe('DONE');
    // Only its hash is stored.
    expect(row!.reportTokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row!.toJSON())).not.toContain(credential);
  });

  it('gives a restarted distributor a fresh credential for each attempt it submits again, and only for its own', async () => {
    await submit(tokens.alice);
    const own = await register(tokens.aliceRuns, 'alice-restarts');
    const claimed = await as<{ claimTaskInstances: { id: string; reportToken: string }[] }>(
      tokens.aliceRuns,
      `mutation ($id: ID!) { claimTaskInstances(distributorId: $id, limit: 10) { id reportToken } }`,
      { id: own.id },
    );
    const [attempt] = claimed.data!.claimTaskInstances;
    // After a restart the adoption list has no credential: only the hash is stored.
    const adopted = await as<{ distributorTaskInstances: { id: string; reportToken: string | null }[] }>(
      tokens.aliceRuns,
      `query ($id: ID!) { distributorTaskInstances(distributorId: $id) { id reportToken } }`,
      { id: own.id },
    );
    expect(adopted.data!.distributorTaskInstances).toContainEqual({ id: attempt!.id, reportToken: null });

    // Someone else's distributor gets nothing for alice's attempt.
    const bobs = await register(tokens.shared, 'cluster-restarts');
    const REISSUE = `mutation ($id: ID!, $ids: [ID!]!) {
      reissueAttemptCredentials(distributorId: $id, taskInstanceIds: $ids) { taskInstanceId reportToken }
    }`;
    const foreign = await as(tokens.shared, REISSUE, { id: own.id, ids: [attempt!.id] });
    expect(codes(foreign.errors)).toEqual(['FORBIDDEN']);
    const notTheirs = await as<{ reissueAttemptCredentials: unknown[] }>(tokens.shared, REISSUE, {
      id: bobs.id,
      ids: [attempt!.id],
    });
    expect(notTheirs.data!.reissueAttemptCredentials).toEqual([]);
    // Nor may an attempt's credential ask for another.
    const bySelf = await as(attempt!.reportToken, REISSUE, { id: own.id, ids: [attempt!.id] });
    expect(codes(bySelf.errors)).toEqual(['FORBIDDEN']);

    const reissued = await as<{
      reissueAttemptCredentials: { taskInstanceId: string; reportToken: string }[];
    }>(tokens.aliceRuns, REISSUE, { id: own.id, ids: [attempt!.id] });
    const [fresh] = reissued.data!.reissueAttemptCredentials;
    expect(fresh).toEqual({ taskInstanceId: attempt!.id, reportToken: expect.stringMatching(/^jmi_/) });
    expect(fresh!.reportToken).not.toBe(attempt!.reportToken);

    // The new one reports on the attempt; the old one no longer authenticates.
    const RUNNING = `mutation ($reports: [TaskInstanceRunningInput!]!) {
      reportTaskInstancesRunning(reports: $reports) { accepted }
    }`;
    const stale = await as(attempt!.reportToken, RUNNING, { reports: [{ id: attempt!.id }] });
    expect(codes(stale.errors)).toEqual(['UNAUTHENTICATED']);
    const running = await as<{ reportTaskInstancesRunning: { accepted: string[] } }>(
      fresh!.reportToken,
      RUNNING,
      {
        reports: [{ id: attempt!.id, hostname: 'node-2' }],
      },
    );
    expect(running.data!.reportTaskInstancesRunning.accepted).toEqual([attempt!.id]);

    // An attempt that has ended gets no credential (it must not be started again).
    const FINISHED = `mutation ($reports: [TaskInstanceFinishedInput!]!) {
      reportTaskInstancesFinished(reports: $reports) { accepted }
    }`;
    await as(fresh!.reportToken, FINISHED, { reports: [{ id: attempt!.id, outcome: 'DONE', exitCode: 0 }] });
    const after = await as<{ reissueAttemptCredentials: unknown[] }>(tokens.aliceRuns, REISSUE, {
      id: own.id,
      ids: [attempt!.id],
    });
    expect(after.data!.reissueAttemptCredentials).toEqual([]);
  });

  it('runs every user’s work only once an admin says so, explicitly', async () => {
    const bobs = await submit(tokens.bob);
    const cluster = await register(tokens.shared, 'cluster-2');
    // Its own token may not widen what it runs; a person may not either.
    for (const token of [tokens.shared, tokens.bob]) {
      const refused = await as(token, SERVE_ALL, { id: cluster.id, all: true });
      expect(codes(refused.errors)).toEqual(['FORBIDDEN']);
    }
    expect((await as<Claimed>(tokens.shared, CLAIM, { id: cluster.id })).data!.claimTaskInstances).toEqual(
      [],
    );
    const allowed = await as(tokens.admin, SERVE_ALL, { id: cluster.id, all: true });
    expect(allowed.errors).toBeUndefined();
    // Registering again (a restart) keeps what the admin decided, and says so.
    expect(await register(tokens.shared, 'cluster-2')).toMatchObject({ servesAllUsers: true });
    const claimed = await as<Claimed>(tokens.shared, CLAIM, { id: cluster.id });
    expect(claimed.data!.claimTaskInstances.map((instance) => instance.workflowId)).toContain(bobs);
  });
});

describe.each(testDialects())('tokens and users [%s]', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect, { auth: true });
  });
  afterAll(async () => {
    await server?.stop();
  });
  const as: TestServer['as'] = (...request) => server.as(...request);
  const CREATE = `mutation ($name: String, $days: Int) {
    createApiToken(name: $name, expiresInDays: $days) { token apiToken { id expiresAt } }
  }`;
  const VIEWER = `{ viewer { user } }`;
  type Created = { createApiToken: { token: string; apiToken: { id: string; expiresAt: string | null } } };

  it('a token made with a token dies with it, and expires no later than it', async () => {
    const parent = await createApiToken(server.db, {
      user: 'carol',
      expiresAt: new Date(Date.now() + 2 * 86_400_000),
    });
    const child = await as<Created>(parent.token, CREATE, { name: 'child', days: 30 });
    expect(child.errors).toBeUndefined();
    const grandchild = await as<Created>(child.data!.createApiToken.token, CREATE, { name: 'grandchild' });
    expect(grandchild.errors).toBeUndefined();
    // Asked for 30 days, and for none: both end with the parent's two.
    for (const made of [child, grandchild])
      expect(new Date(made.data!.createApiToken.apiToken.expiresAt!).getTime()).toBeLessThanOrEqual(
        parent.info.expiresAt!.getTime(),
      );
    expect((await as(grandchild.data!.createApiToken.token, VIEWER)).data).toEqual({
      viewer: { user: 'carol' },
    });

    const revoked = await as(parent.token, `mutation ($id: ID!) { revokeApiToken(id: $id) { id } }`, {
      id: String(parent.info.id),
    });
    expect(revoked.errors).toBeUndefined();
    for (const made of [child, grandchild]) {
      const refused = await as(made.data!.createApiToken.token, VIEWER);
      expect(refused.status).toBe(401);
      expect(codes(refused.errors)).toEqual(['UNAUTHENTICATED']);
    }
  });

  it('an admin disables a user: every token of theirs is refused at once, until enabled again', async () => {
    const admin = (await createApiToken(server.db, { user: 'root2', role: Role.ADMIN })).token;
    const first = (await createApiToken(server.db, { user: 'dave' })).token;
    const second = (await createApiToken(server.db, { user: 'dave', role: Role.DISTRIBUTOR })).token;
    const other = (await createApiToken(server.db, { user: 'erin' })).token;
    const DISABLE = `mutation ($user: String!, $disabled: Boolean!) {
      setUserDisabled(user: $user, disabled: $disabled) { name disabledAt }
    }`;
    // Warm the token cache: the refusal must not wait for it.
    expect((await as(first, VIEWER)).data).toEqual({ viewer: { user: 'dave' } });
    const byPerson = await as(other, DISABLE, { user: 'dave', disabled: true });
    expect(codes(byPerson.errors)).toEqual(['FORBIDDEN']);
    expect((await as(first, VIEWER)).status).toBe(200);

    const disabled = await as<{ setUserDisabled: { name: string; disabledAt: string | null } }>(
      admin,
      DISABLE,
      { user: 'dave', disabled: true },
    );
    expect(disabled.errors).toBeUndefined();
    expect(disabled.data!.setUserDisabled.disabledAt).not.toBeNull();
    for (const token of [first, second]) {
      const refused = await as(token, VIEWER);
      expect([refused.status, codes(refused.errors)]).toEqual([401, ['UNAUTHENTICATED']]);
    }
    expect((await as(other, VIEWER)).data).toEqual({ viewer: { user: 'erin' } });
    const unknown = await as(admin, DISABLE, { user: 'nobody-at-all', disabled: true });
    expect(codes(unknown.errors)).toEqual(['NOT_FOUND']);

    await as(admin, DISABLE, { user: 'dave', disabled: false });
    expect((await as(first, VIEWER)).data).toEqual({ viewer: { user: 'dave' } });
  });
});

describe.each(testDialects())('distributors made in open mode [%s]', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect, { auth: true });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('are refused to every token but an admin’s once tokens are on', async () => {
    // As registered before tokens were turned on: no owner.
    const open = await registerDistributor(server.db, { name: 'made-in-open-mode', backend: 'dummy' }, null);
    const token = (await createApiToken(server.db, { user: 'frank', role: Role.DISTRIBUTOR })).token;
    const register = await server.graphql(
      `mutation { registerDistributor(input: { name: "made-in-open-mode", backend: "dummy" }) { id } }`,
      {},
      { token },
    );
    expect(codes(register.errors)).toEqual(['FORBIDDEN']);
    const claim = await server.graphql(
      `mutation ($id: ID!) { claimTaskInstances(distributorId: $id, limit: 1) { id } }`,
      { id: String(open.id) },
      { token },
    );
    expect(codes(claim.errors)).toEqual(['FORBIDDEN']);
    const row = await server.db.models.Distributor.findByPk(open.id);
    expect(row!.owner).toBeNull();
  });
});

describe.each(testDialects())('open mode makes no identities [%s]', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect, { auth: false });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('refuses to create tokens (anyone could mint an admin token), and writes none', async () => {
    const created = await server.graphql(
      `mutation { createApiToken(user: "mallory", role: ADMIN) { token } }`,
    );
    expect(codes(created.errors)).toEqual(['FORBIDDEN']);
    expect(await server.db.models.ApiToken.count()).toBe(0);
    expect(await server.db.models.ApiUser.count()).toBe(0);
  });
});
