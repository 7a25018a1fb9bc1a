import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, startServer, type JobmonServer } from '@jobmon/api';
import { createTestDatabase, submission, testDialects, type TestDatabase } from '@jobmon/api/testing';
import {
  groupMembers,
  LocalBackend,
  parseProcessJobId,
  runWorker,
  startDistributor,
  type ClaimedInstance,
  type Distributor,
  type DistributorOptions,
} from '@jobmon/distributor';
import { packageDir } from '../testing/packages';
import { spawnTracked, terminate } from '../testing/processes';
import { graphqlAt as gql } from '../testing/e2e';

// The distributor loop against a real API server (on SQLite and on MySQL): a DAG to DONE, reports that
// survive a server restart, adoption after a distributor restart, kills, and the dummy backend.

jest.setTimeout(90_000);

interface InstanceView {
  id: string;
  status: string;
  exitCode: number | null;
  errorKind: string | null;
  errorMessage: string | null;
  backendJobId: string | null;
  hostname: string | null;
  stdoutTail: string | null;
  stderrTail: string | null;
  stdoutPath: string | null;
  usage: { maxRssMb: number | null; wallSeconds: number | null; cpuSeconds: number | null };
}
interface TaskView {
  key: string;
  status: string;
  instances: InstanceView[];
}

const VIEW = `query($id: ID!) { workflow(id: $id) { status tasks(first: 1000) { nodes { key status
  instances { id status exitCode errorKind errorMessage backendJobId hostname stdoutTail stderrTail stdoutPath
    usage { maxRssMb wallSeconds cpuSeconds } } } } } }`;
const SUBMIT = `mutation($input: WorkflowSubmission!) { submitWorkflow(input: $input) { workflow { id } } }`;
const TERMINAL = new Set(['DONE', 'FAILED', 'HALTED']);
const CLAIM = `mutation($name: String!) {
  registerDistributor(input: { name: $name, backend: "slurm" }) { id }
}`;
const DIST = path.join(packageDir('distributor'), 'dist', 'cli');

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function view(url: string, id: string) {
  const data = await gql<{ workflow: { status: string; tasks: { nodes: TaskView[] } } }>(url, VIEW, { id });
  return {
    status: data.workflow.status,
    tasks: Object.fromEntries(data.workflow.tasks.nodes.map((task) => [task.key, task])),
  };
}

/** How many `workQueued` subscriptions the server holds (from its metrics). */
async function workQueuedSubscriptions(url: string): Promise<number> {
  const metrics = await (await fetch(`${url}/metrics`)).text();
  return Number(/^jobmon_subscriptions\{field="workQueued"\} (\d+)$/m.exec(metrics)?.[1] ?? 0);
}

const finalView = (url: string, id: string) =>
  waitFor(`workflow ${id} to end`, async () => {
    const current = await view(url, id);
    return TERMINAL.has(current.status) ? current : undefined;
  });

/** A submission of tasks that each run their own shell `command`. */
function workflow(tasks: { key: string; command: string; upstream?: string[]; maxAttempts?: number }[]) {
  return submission(
    tasks.map((task) => ({
      key: task.key,
      template: 'shell',
      args: { key: task.key, command: task.command },
      upstream: task.upstream,
      maxAttempts: task.maxAttempts,
    })),
    {
      tool: 'distributor-e2e',
      taskTemplates: [
        { name: 'shell', commandTemplate: '{command} # {key}', nodeArgs: ['key'], taskArgs: ['command'] },
      ],
    },
  );
}

describe.each(testDialects())('the distributor with a real API server [%s]', (dialect) => {
  let database: TestDatabase;
  let server: JobmonServer;
  let dir: string;
  const distributors: Distributor[] = [];

  const config = (port: number) => ({
    ...loadConfig({ JOBMON_AUTH: 'off' }),
    databaseUrl: database.url,
    port,
    heartbeatSeconds: 2,
    killTimeoutSeconds: 20,
  });
  const start = (options: Partial<DistributorOptions> = {}) => {
    const distributor = startDistributor({
      serverUrl: server.url,
      backend: 'local',
      name: `e2e-${dialect}-${process.pid}`,
      slots: 2,
      pollIntervalMs: 200,
      heartbeatSeconds: 1,
      logDir: path.join(dir, 'logs'),
      ...options,
    });
    distributors.push(distributor);
    return distributor;
  };
  const submit = async (input: unknown) =>
    (await gql<{ submitWorkflow: { workflow: { id: string } } }>(server.url, SUBMIT, { input }))
      .submitWorkflow.workflow.id;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-distributor-e2e-'));
    database = await createTestDatabase(dialect);
    server = await startServer(config(0));
  });
  afterEach(async () => {
    await Promise.all(distributors.splice(0).map((distributor) => distributor.stop()));
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs a small DAG to DONE, each task after its upstreams, with output and usage reported', async () => {
    const log = path.join(dir, 'dag.log');
    const step = (key: string) => `echo ${key} >> ${log}; echo out-${key}; echo err-${key} >&2`;
    const id = await submit(
      workflow([
        { key: 'a', command: step('a') },
        { key: 'b', command: step('b'), upstream: ['a'] },
        { key: 'c', command: step('c'), upstream: ['a'] },
        { key: 'd', command: step('d'), upstream: ['b', 'c'] },
      ]),
    );
    const distributor = start();
    await distributor.ready;
    const final = await finalView(server.url, id);
    expect(final.status).toBe('DONE');
    const order = fs.readFileSync(log, 'utf8').trim().split('\n');
    expect(order[0]).toBe('a');
    expect(order[3]).toBe('d');
    for (const key of ['a', 'b', 'c', 'd']) {
      const task = final.tasks[key]!;
      expect(task.status).toBe('DONE');
      expect(task.instances).toHaveLength(1);
      const instance = task.instances[0]!;
      expect(instance).toMatchObject({
        status: 'DONE',
        exitCode: 0,
        hostname: os.hostname(),
        stdoutTail: `out-${key}\n`,
        stderrTail: `err-${key}\n`,
      });
      expect(instance.backendJobId).toMatch(/^\d+:\d+$/);
      expect(fs.readFileSync(instance.stdoutPath!, 'utf8')).toBe(`out-${key}\n`);
      expect(instance.usage.wallSeconds).toBeGreaterThanOrEqual(0);
      expect(instance.usage.cpuSeconds).toBeGreaterThanOrEqual(0);
    }
  });

  it('claims new work at once when the server says it is queued (workQueued), without waiting for a poll', async () => {
    const subscribedBefore = await workQueuedSubscriptions(server.url);
    const distributor = start({ pollIntervalMs: 600_000 });
    await distributor.ready;
    await waitFor('the distributor to subscribe to workQueued', async () =>
      (await workQueuedSubscriptions(server.url)) > subscribedBefore ? true : undefined,
    );
    const id = await submit(workflow([{ key: 'woken', command: 'true' }]));
    // finalView gives up after a minute, long before the ten-minute poll: DONE means it was woken.
    expect((await finalView(server.url, id)).status).toBe('DONE');
  });

  it('reports a failing command with its exit code and stderr, and retries it', async () => {
    const id = await submit(
      workflow([{ key: 'fails', command: 'echo "it broke" >&2; exit 3', maxAttempts: 2 }]),
    );
    start();
    const final = await finalView(server.url, id);
    expect(final.status).toBe('FAILED');
    expect(final.tasks.fails!.instances.map((instance) => [instance.status, instance.exitCode])).toEqual([
      ['ERROR', 3],
      ['ERROR', 3],
    ]);
    expect(final.tasks.fails!.instances[0]!.errorMessage).toBe('exit code 3: it broke');
  });

  it('keeps its reports while the server restarts and delivers them after: no attempt is lost or rerun', async () => {
    const marks = path.join(dir, 'restart');
    fs.mkdirSync(marks);
    const id = await submit(
      workflow([
        // Ends when told (the file `go`), so that it ends while the server is away.
        {
          key: 'first',
          command: `while [ ! -f ${marks}/go ]; do sleep 0.05; done; echo first >> ${marks}/ran`,
        },
        { key: 'second', command: `echo second >> ${marks}/ran`, upstream: ['first'] },
      ]),
    );
    const distributor = start();
    await waitFor('first to run', async () =>
      (await view(server.url, id)).tasks.first!.status === 'RUNNING' ? true : undefined,
    );
    const port = server.port;
    await server.stop();
    // `first` ends while the server is away: its finished report waits in the distributor.
    fs.writeFileSync(`${marks}/go`, '');
    await waitFor('first to end', async () => (fs.existsSync(`${marks}/ran`) ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(distributor.stats().pendingReports).toBeGreaterThan(0);
    server = await startServer(config(port));
    const final = await finalView(server.url, id);
    expect(final.status).toBe('DONE');
    expect(final.tasks.first!.instances.map((instance) => instance.status)).toEqual(['DONE']);
    expect(final.tasks.second!.instances.map((instance) => instance.status)).toEqual(['DONE']);
    expect(fs.readFileSync(`${marks}/ran`, 'utf8')).toBe('first\nsecond\n');
  });

  it('after a restart, adopts what it left running and reports how what ended meanwhile ended', async () => {
    // Gates, not sleeps: each command ends when the test says (on a loaded machine a short sleep could end
    // before both were seen running, or after the restart).
    const gate = (name: string) => path.join(dir, `adopt-${name}-${dialect}`);
    const waitGate = (name: string) => `while [ ! -f ${gate(name)} ]; do sleep 0.05; done`;
    const id = await submit(
      workflow([
        { key: 'long', command: `${waitGate('long')}; echo long-done` },
        {
          key: 'short',
          command: `${waitGate('short')}; echo short-failed >&2; touch ${gate('short-ended')}; exit 5`,
          maxAttempts: 1,
        },
      ]),
    );
    const name = `adopt-${dialect}-${process.pid}`;
    const first = start({ name });
    await waitFor('both to run', async () => {
      const current = await view(server.url, id);
      return current.tasks.long!.status === 'RUNNING' && current.tasks.short!.status === 'RUNNING'
        ? true
        : undefined;
    });
    await first.stop(); // detach: the commands keep running
    // `short` ends while no distributor runs; `long` runs on until after the restart.
    fs.writeFileSync(gate('short'), '');
    await waitFor('short to end', async () => (fs.existsSync(gate('short-ended')) ? true : undefined));
    start({ name });
    fs.writeFileSync(gate('long'), '');
    const final = await finalView(server.url, id);
    expect(final.tasks.long!.instances.map((instance) => [instance.status, instance.stdoutTail])).toEqual([
      ['DONE', 'long-done\n'],
    ]);
    expect(final.tasks.short!.instances.map((instance) => [instance.status, instance.exitCode])).toEqual([
      ['ERROR', 5],
    ]);
    expect(final.tasks.short!.instances[0]!.stderrTail).toBe('short-failed\n');
  });

  it('after a restart, gives an attempt it submits again a fresh credential of its own', async () => {
    const id = await submit(workflow([{ key: 'again', command: 'echo again' }]));
    const name = `reissue-${dialect}-${process.pid}`;
    // A previous process of this name claimed the attempt and died before starting it.
    const registered = await gql<{ registerDistributor: { id: string } }>(
      server.url,
      `mutation($name: String!) { registerDistributor(input: { name: $name, backend: "local" }) { id } }`,
      { name },
    );
    const claimed = await gql<{ claimTaskInstances: { id: string; reportToken: string }[] }>(
      server.url,
      `mutation($id: ID!) { claimTaskInstances(distributorId: $id, limit: 1) { id reportToken } }`,
      { id: registered.registerDistributor.id },
    );
    const [attempt] = claimed.claimTaskInstances;
    class RecordingBackend extends LocalBackend {
      readonly submitted: ClaimedInstance[] = [];
      override async submit(instances: ClaimedInstance[]) {
        this.submitted.push(...instances);
        return super.submit(instances);
      }
    }
    const backend = new RecordingBackend({ kind: 'local', slots: 1, logDir: path.join(dir, 'logs') });
    start({ name, backend });
    const final = await finalView(server.url, id);
    expect(final.tasks.again!.instances.map((instance) => [instance.id, instance.status])).toEqual([
      [attempt!.id, 'DONE'],
    ]);
    // Submitted again with a credential that is not the lost one, and is the one the server now holds.
    const [resubmitted] = backend.submitted;
    expect(resubmitted).toMatchObject({ id: attempt!.id, reportToken: expect.stringMatching(/^jmi_/) });
    expect(resubmitted!.reportToken).not.toBe(attempt!.reportToken);
    const [row] = await server.db.select<{ report_token_hash: string }>(
      'SELECT report_token_hash FROM task_instance WHERE id = ?',
      [Number(attempt!.id)],
    );
    expect(row!.report_token_hash).toBe(createHash('sha256').update(resubmitted!.reportToken!).digest('hex'));
  });

  it('a stop kills the running command and its whole process group, then reports it', async () => {
    const id = await submit(workflow([{ key: 'forever', command: "sh -c 'sleep 100' & sleep 100; wait" }]));
    start();
    const running = await waitFor('the command to run', async () => {
      const instance = (await view(server.url, id)).tasks.forever!.instances[0];
      return instance?.status === 'RUNNING' && instance.backendJobId ? instance : undefined;
    });
    const pid = parseProcessJobId(running.backendJobId)!.pid;
    await waitFor('its processes', async () => (groupMembers(pid).length >= 3 ? true : undefined));
    await gql(server.url, 'mutation($id: ID!) { stopWorkflow(id: $id, reason: "test") { id } }', { id });
    // The run is HALTED at once; the instance waits in KILL_SELF until the distributor confirms the kill.
    const killed = await waitFor('the kill to be confirmed', async () => {
      const current = await view(server.url, id);
      return current.tasks.forever!.instances[0]!.status === 'KILL_SELF' ? undefined : current;
    });
    expect(killed.status).toBe('HALTED');
    expect(killed.tasks.forever!.instances[0]).toMatchObject({
      status: 'ERROR_FATAL',
      errorMessage: 'killed on request',
    });
    expect(groupMembers(pid)).toEqual([]);
  });

  it('jobmon-worker runs one claimed instance on its own and reports it: RUNNING, then its outcome', async () => {
    const id = await submit(
      workflow([{ key: 'remote', command: 'echo from-worker; exit 4', maxAttempts: 1 }]),
    );
    // A distributor of another host's backend claims it and hands it to a worker.
    const { registerDistributor } = await gql<{ registerDistributor: { id: string } }>(server.url, CLAIM, {
      name: `worker-${dialect}-${process.pid}`,
    });
    const claimed = await gql<{ claimTaskInstances: { id: string; command: string; workflowId: string }[] }>(
      server.url,
      'mutation($d: ID!) { claimTaskInstances(distributorId: $d, limit: 5) { id command workflowId } }',
      { d: registerDistributor.id },
    );
    const instance = claimed.claimTaskInstances[0]!;
    const result = await runWorker({
      serverUrl: server.url,
      taskInstanceId: instance.id,
      command: instance.command,
      workflowId: instance.workflowId,
      logDir: path.join(dir, 'worker-logs'),
      heartbeatSeconds: 0.2,
    });
    expect(result).toMatchObject({ exitCode: 4, delivered: true });
    const final = await finalView(server.url, id);
    expect(final.tasks.remote!.instances[0]).toMatchObject({
      status: 'ERROR',
      exitCode: 4,
      stdoutTail: 'from-worker\n',
      hostname: os.hostname(),
    });
    expect(final.tasks.remote!.instances[0]!.backendJobId).toMatch(/^\d+:\d+$/);
  });

  const built = fs.existsSync(path.join(DIST, 'distributor.js'));
  (built ? it : it.skip)(
    'jobmon-distributor runs work and stops on SIGTERM, leaving nothing unreported',
    async () => {
      const id = await submit(workflow([{ key: 'cli', command: 'echo via-cli' }]));
      const child = spawnTracked(
        process.execPath,
        [
          path.join(DIST, 'distributor.js'),
          '--server',
          server.url,
          '--backend',
          'local',
          '--name',
          `cli-${dialect}-${process.pid}`,
          '--log-dir',
          path.join(dir, 'cli-logs'),
          '--poll-interval-ms',
          '100',
        ],
        { stdio: 'ignore', env: { ...process.env, JOBMON_LOG_LEVEL: 'warn' } },
      );
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      try {
        const final = await finalView(server.url, id);
        expect(final.tasks.cli!.instances[0]).toMatchObject({ status: 'DONE', stdoutTail: 'via-cli\n' });
      } finally {
        await terminate(child);
      }
      expect(await exited).toBe(0);
    },
  );

  it('the dummy backend completes a workflow without running anything', async () => {
    const marker = path.join(dir, 'dummy-ran');
    const tasks = Array.from({ length: 50 }, (_, i) => ({
      key: `t${i}`,
      command: `touch ${marker}`,
      upstream: i >= 10 ? [`t${i - 10}`] : [],
    }));
    const id = await submit(workflow(tasks));
    const distributor = start({ backend: 'dummy', name: `dummy-${dialect}-${process.pid}` });
    const final = await finalView(server.url, id);
    expect(final.status).toBe('DONE');
    expect(Object.values(final.tasks).every((task) => task.instances.length === 1)).toBe(true);
    expect(fs.existsSync(marker)).toBe(false);
    expect(distributor.stats().claimed).toBe(50);
  });
});
