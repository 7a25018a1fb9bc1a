import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, testDialects, type TestDatabase } from '@jobmon/api/testing';
import {
  JOBMON_CLI,
  runProcess,
  startJobmonServer,
  terminate,
  type JobmonServerProcess,
} from '../testing/processes';

// `jobmon server --auth` and `jobmon token …` as a person uses them: the first admin token made on the
// database, then everything through the server with JOBMON_TOKEN; the embedded distributor runs work
// with a token of its own; refusals give the documented exit codes.

const SERVER_ENV_TOKEN = 'jm_token-in-the-servers-environment';

describe.each(testDialects())('jobmon with tokens [%s]', (dialect) => {
  let database: TestDatabase;
  let dir: string;
  let server: JobmonServerProcess | undefined;
  let env: NodeJS.ProcessEnv;

  const jobmon = (token: string | undefined, ...args: string[]) =>
    runProcess(process.execPath, [JOBMON_CLI, ...args], {
      env: { ...env, ...(token ? { JOBMON_TOKEN: token } : {}) },
      cwd: dir,
    });

  beforeAll(async () => {
    if (!fs.existsSync(JOBMON_CLI)) throw new Error(`${JOBMON_CLI} is missing: build first (npx tsc -b)`);
    database = await createTestDatabase(dialect);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-token-'));
    const { JOBMON_TOKEN: _ignored, JOBMON_AUTH: _auth, ...base } = process.env;
    // The embedded distributor runs alice's work (as this machine's user), and only hers.
    const args = ['--auth', '--owner', 'alice', '--database-url', database.url, '--log-dir', dir];
    server = await startJobmonServer(args, {
      // Secrets the server process holds: none may reach a command it runs.
      env: {
        ...base,
        NO_COLOR: '1',
        JOBMON_LOG_LEVEL: 'info',
        JOBMON_LOG_FORMAT: 'json',
        JOBMON_TOKEN: SERVER_ENV_TOKEN,
        JOBMON_METRICS_TOKEN: 'metrics-secret-of-the-server',
      },
      cwd: dir,
    });
    env = { ...base, JOBMON_SERVER_URL: server.url, NO_COLOR: '1', JOBMON_LOG_LEVEL: 'info' };
  }, 90_000);

  afterAll(async () => {
    await terminate(server?.child);
    await database?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  let admin: string;
  let bob: string;
  let workflowId: string;
  let bobsId: string;

  it('makes the first admin token on the database; the token alone goes to stdout', async () => {
    expect(server!.log()).not.toMatch(/authentication is OFF/);
    const created = await jobmon(
      undefined,
      'token',
      'create',
      '--user',
      'alice',
      '--role',
      'admin',
      '--name',
      'first',
      '--database-url',
      database.url,
    );
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^jm_[A-Za-z0-9_-]{43}\n$/);
    expect(created.stderr).toMatch(/for alice \(admin\).*shown only once/);
    admin = created.stdout.trim();
  });

  it('refuses a command without a token (exit 5, UNAUTHENTICATED) and runs it with one', async () => {
    const refused = await jobmon(undefined, 'status');
    expect(refused.code).toBe(5);
    expect(refused.stderr).toMatch(/UNAUTHENTICATED/);
    const wrong = await jobmon('jm_wrong', 'status');
    expect([wrong.code, wrong.stderr]).toEqual([5, expect.stringMatching(/Invalid token/)]);
    expect((await jobmon(admin, 'status')).code).toBe(0);
    // The default user of `status` is the token's, and config says so.
    const config = await jobmon(admin, 'config', '--json');
    expect(JSON.parse(config.stdout)).toMatchObject({
      defaultUser: { value: 'alice', from: "the token's user" },
    });
    expect(JSON.parse((await jobmon(admin, 'status', '--json')).stdout)).toMatchObject({ user: 'alice' });
  });

  it('runs a workflow to DONE: the embedded distributor has its own token', async () => {
    const file = path.join(dir, 'hello.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        tool: 'token-e2e',
        workflowArgs: dialect,
        // The commands print what a malicious one would look for.
        taskTemplates: [
          { name: 'echo', commandTemplate: 'echo {n}; echo "token=$JOBMON_TOKEN"; env', nodeArgs: ['n'] },
        ],
        tasks: [
          { key: 'a', template: 'echo', args: { n: 1 } },
          { key: 'b', template: 'echo', args: { n: 2 }, upstream: ['a'] },
        ],
      }),
    );
    const submitted = await jobmon(admin, 'submit', file, '--wait', '--json');
    expect({ code: submitted.code, stderr: submitted.stderr }).toEqual({
      code: 0,
      stderr: expect.any(String),
    });
    workflowId = String((JSON.parse(submitted.stdout) as { workflowId: string | number }).workflowId);
    const status = JSON.parse((await jobmon(admin, 'status', workflowId, '--json')).stdout) as {
      status: string;
    };
    expect(status.status).toBe('DONE');

    // The stored output (readable by every token) holds none of Jobmon's secrets.
    const response = await fetch(`${server!.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({
        query: 'query ($id: ID!) { workflow(id: $id) { tasks { nodes { instances { stdoutTail } } } } }',
        variables: { id: workflowId },
      }),
    });
    const body = (await response.json()) as {
      data: { workflow: { tasks: { nodes: { instances: { stdoutTail: string | null }[] }[] } } };
    };
    const tails = body.data.workflow.tasks.nodes.flatMap((task) =>
      task.instances.map((i) => i.stdoutTail ?? ''),
    );
    expect(tails).toHaveLength(2);
    for (const tail of tails) {
      expect(tail).toMatch(/^token=$/m);
      expect(tail).toContain('JOBMON_TASK_INSTANCE_ID=');
      for (const secret of [SERVER_ENV_TOKEN, 'metrics-secret-of-the-server', admin, 'jm_', 'jmi_'])
        expect(tail).not.toContain(secret);
    }
  }, 120_000);

  it('lets an admin make tokens through the server, and refuses others their workflows (exit 5, FORBIDDEN)', async () => {
    const created = await jobmon(admin, 'token', 'create', '--user', 'bob', '--json');
    expect(created.code).toBe(0);
    bob = (JSON.parse(created.stdout) as { token: string }).token;
    const stop = await jobmon(bob, 'stop', workflowId);
    expect(stop.code).toBe(5);
    expect(stop.stderr).toMatch(/FORBIDDEN/);
    expect(stop.stderr).toMatch(/belongs to alice/);
    // Reads are allowed.
    expect((await jobmon(bob, 'tasks', workflowId)).code).toBe(0);

    // Bob's own workflow is not run by alice's server: it waits, and says why.
    const file = path.join(dir, 'bobs.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        tool: 'token-e2e',
        workflowArgs: `bob-${dialect}`,
        taskTemplates: [{ name: 'echo', commandTemplate: 'echo {n}', nodeArgs: ['n'] }],
        tasks: [{ key: 'a', template: 'echo', args: { n: 1 } }],
      }),
    );
    const submitted = await jobmon(bob, 'submit', file, '--json');
    expect(submitted.code).toBe(0);
    bobsId = String((JSON.parse(submitted.stdout) as { workflowId: string | number }).workflowId);
    const response = await fetch(`${server!.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bob}` },
      body: JSON.stringify({
        query: 'query ($id: ID!) { workflow(id: $id) { tasks { nodes { status waitingReason } } } }',
        variables: { id: bobsId },
      }),
    });
    const body = (await response.json()) as {
      data: { workflow: { tasks: { nodes: { status: string; waitingReason: string | null }[] } } };
    };
    expect(body.data.workflow.tasks.nodes).toEqual([
      { status: 'QUEUED', waitingReason: expect.stringMatching(/No distributor of bob/) },
    ]);
  });

  it('lets an admin disable and enable a user (jobmon user disable|enable), and no one else', async () => {
    const refused = await jobmon(bob, 'user', 'disable', 'alice');
    expect([refused.code, refused.stderr]).toEqual([5, expect.stringMatching(/FORBIDDEN/)]);

    const disabled = await jobmon(admin, 'user', 'disable', 'bob');
    expect([disabled.code, disabled.stdout]).toEqual([0, expect.stringMatching(/^user bob disabled since /)]);
    const whileDisabled = await jobmon(bob, 'status');
    expect([whileDisabled.code, whileDisabled.stderr]).toEqual([5, expect.stringMatching(/UNAUTHENTICATED/)]);

    const enabled = await jobmon(admin, 'user', 'enable', 'bob', '--json');
    expect(enabled.code).toBe(0);
    expect(JSON.parse(enabled.stdout)).toEqual({ name: 'bob', disabledAt: null });
    expect((await jobmon(bob, 'status')).code).toBe(0);
  });

  it("lets an admin have alice's distributor run bob's work too (jobmon distributor serve-all|serve-owner)", async () => {
    const graphql = async <T>(token: string, query: string, variables: Record<string, unknown>) => {
      const response = await fetch(`${server!.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      return ((await response.json()) as { data: T }).data;
    };
    type Tasks = {
      workflow: {
        tasks: { nodes: { status: string; instances: { distributor: { id: string } | null }[] }[] };
      };
    };
    const tasksOf = (token: string, id: string) =>
      graphql<Tasks>(
        token,
        'query ($id: ID!) { workflow(id: $id) { tasks { nodes { status instances { distributor { id } } } } } }',
        { id },
      );
    const alices = await tasksOf(admin, workflowId);
    const distributorId = alices.workflow.tasks.nodes[0]!.instances[0]!.distributor!.id;

    expect((await jobmon(bob, 'distributor', 'serve-all', distributorId)).code).toBe(5);
    const serveAll = await jobmon(admin, 'distributor', 'serve-all', distributorId);
    expect([serveAll.code, serveAll.stdout]).toEqual([0, expect.stringMatching(/runs every user's work/)]);
    // Bob's waiting task is claimed now: the distributor wakes on its slow poll at the latest.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const status = (await tasksOf(bob, bobsId)).workflow.tasks.nodes[0]!.status;
      if (status === 'DONE') break;
      if (Date.now() > deadline) throw new Error(`bob's task is still ${status}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const serveOwner = await jobmon(admin, 'distributor', 'serve-owner', distributorId, '--json');
    expect(serveOwner.code).toBe(0);
    expect(JSON.parse(serveOwner.stdout)).toMatchObject({
      id: distributorId,
      owner: 'alice',
      servesAllUsers: false,
    });
  }, 120_000);

  it('lists and revokes tokens; a revoked token is refused at once', async () => {
    const listed = JSON.parse((await jobmon(admin, 'token', 'list', '--json')).stdout) as {
      id: string;
      user: string;
      name: string | null;
    }[];
    const users = listed.map((token) => token.user).sort();
    expect(users).toEqual(['alice', 'alice', 'bob']);
    const bobs = listed.find((token) => token.user === 'bob')!;
    const revoked = await jobmon(admin, 'token', 'revoke', bobs.id);
    expect([revoked.code, revoked.stdout]).toEqual([0, `token ${bobs.id} of bob revoked\n`]);
    const after = await jobmon(bob, 'status');
    expect([after.code, after.stderr]).toEqual([5, expect.stringMatching(/UNAUTHENTICATED/)]);
    // Bob's own list shows only his tokens: he has none usable now, and cannot see others'.
    const human = await jobmon(admin, 'token', 'list', '--all');
    expect(human.stdout).toMatch(/bob/);
    expect(human.stdout).toMatch(/embedded distributor/);
  });
});
