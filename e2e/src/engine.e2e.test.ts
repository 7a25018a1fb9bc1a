import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  shellSubmission,
  shellTask,
  startTestServer,
  testDialects,
  type TestServer,
} from '@jobmon/api/testing';
import { finalView, gqlClient, readLines, submitWorkflow, waitFor, type Gql } from './testing/e2e';
import { startDistributorProcess, terminate } from './testing/processes';
import { startLocalStack, type LocalStack } from './testing/local-stack';

// The engine with real processes: the API server, the local distributor and real shell commands, on
// SQLite and on MySQL. Every test waits on the server's own view (workflow status) and then checks what
// the commands left on disk, so nothing here depends on timing. (Kills of the server, the distributor and
// the database mid-run are in faults/.)

const client = gqlClient;
const workflow = shellSubmission;
const task = shellTask;

describe.each(testDialects())('engine with real processes [%s]', (dialect) => {
  let server: TestServer;
  let dir: string;
  let gql: Gql;

  const script = (name: string, body: string) => fs.writeFileSync(path.join(dir, name), body);
  const submit = (input: Record<string, unknown>) => submitWorkflow(gql, input);
  const lines = (file: string) => readLines(path.join(dir, file));

  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack(dialect, 'e2e');
    ({ server, dir } = stack);
    gql = client(server.url);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('retries a task that fails once, and never runs the subtree of one that always fails', async () => {
    script(
      'flaky.sh',
      `if [ -f ${dir}/flaky.ok ]; then echo "$1" >> ${dir}/ran.log; else touch ${dir}/flaky.ok; exit 3; fi\n`,
    );
    script('ok.sh', `echo "$1" >> ${dir}/ran.log\n`);
    script('broken.sh', 'echo "broken on purpose" >&2; exit 1\n');
    const id = await submit(
      workflow(dir, [
        task('flaky', 'flaky.sh'),
        task('after-flaky', 'ok.sh', { upstream: ['flaky'] }),
        task('broken', 'broken.sh', { maxAttempts: 2 }),
        task('never', 'ok.sh', { upstream: ['broken'] }),
      ]),
    );
    const view = await finalView(gql, id);
    expect(view.status).toBe('FAILED');
    expect(view.tasks.flaky!.status).toBe('DONE');
    expect(view.tasks.flaky!.instances.map((i) => [i.status, i.exitCode])).toEqual([
      ['ERROR', 3],
      ['DONE', 0],
    ]);
    expect(view.tasks['after-flaky']!.status).toBe('DONE');
    expect(view.tasks.broken!.status).toBe('ERROR_FATAL');
    expect(view.tasks.broken!.instances.map((i) => i.status)).toEqual(['ERROR', 'ERROR']);
    expect(view.tasks.never).toMatchObject({ status: 'REGISTERING', instances: [] });
    expect(lines('ran.log').sort()).toEqual(['after-flaky', 'flaky']);
  });

  it('raises memory after a command is killed for using more than it asked, until it fits', async () => {
    // Holds ~200 MiB resident for a second: over a 120 MiB request, within 120 × 1.5 × 1.5 = 270 MiB.
    script('hungry.sh', `exec python3 -c "import time; b = b'x' * (200 * 1024 * 1024); time.sleep(1)"\n`);
    const id = await submit(
      workflow(dir, [
        task('hungry', 'hungry.sh', {
          maxAttempts: 4,
          resources: { memoryMb: 120 },
          resourceScales: { memory: 0.5 },
        }),
      ]),
    );
    const view = await finalView(gql, id);
    expect(view.status).toBe('DONE');
    const attempts = view.tasks.hungry!.instances;
    expect(attempts.map((i) => i.resources.memoryMb)).toEqual([120, 180, 270]);
    expect(attempts.map((i) => [i.status, i.errorKind])).toEqual([
      ['RESOURCE_ERROR', 'OUT_OF_MEMORY'],
      ['RESOURCE_ERROR', 'OUT_OF_MEMORY'],
      ['DONE', null],
    ]);
  });

  it('never runs more tasks at once than the workflow allows', async () => {
    script('span.sh', `date +%s%N >> ${dir}/span-$1.start; sleep 0.3; date +%s%N >> ${dir}/span-$1.end\n`);
    const keys = Array.from({ length: 8 }, (_, i) => `span${i}`);
    const id = await submit(
      workflow(
        dir,
        keys.map((key) => task(key, 'span.sh')),
        { maxConcurrentlyRunning: 2 },
      ),
    );
    expect((await finalView(gql, id)).status).toBe('DONE');
    const events = keys.flatMap((key) => [
      { at: BigInt(lines(`span-${key}.start`)[0]!), delta: 1 },
      { at: BigInt(lines(`span-${key}.end`)[0]!), delta: -1 },
    ]);
    events.sort((a, b) => (a.at === b.at ? a.delta - b.delta : a.at < b.at ? -1 : 1));
    let running = 0;
    let most = 0;
    for (const event of events) most = Math.max(most, (running += event.delta));
    expect(most).toBe(2); // 4 slots, but the workflow's limit is 2 (and it does use both)
  });

  it('resumes a failed workflow: only the tasks that were not DONE run again', async () => {
    script('log.sh', `echo "$1" >> ${dir}/resume.log\n`);
    script('gate.sh', `echo "$1" >> ${dir}/resume.log; [ -f ${dir}/gate.open ]\n`);
    const input = workflow(dir, [
      task('first', 'log.sh'),
      task('gate', 'gate.sh', { upstream: ['first'], maxAttempts: 1 }),
      task('side', 'log.sh', { upstream: ['first'] }),
      task('last', 'log.sh', { upstream: ['gate', 'side'] }),
    ]);
    const id = await submit(input);
    expect((await finalView(gql, id)).status).toBe('FAILED');
    fs.writeFileSync(path.join(dir, 'gate.open'), '');
    await gql(`mutation($id: ID!) { resumeWorkflow(id: $id, mode: COLD) { id } }`, { id });
    const view = await finalView(gql, id);
    expect(view.status).toBe('DONE');
    expect(lines('resume.log').sort()).toEqual(['first', 'gate', 'gate', 'last', 'side']);
  });

  it('stops a workflow: the running command really ends', async () => {
    script('long.sh', `echo $$ > ${dir}/long.pid; exec sleep 300\n`);
    const id = await submit(workflow(dir, [task('long', 'long.sh')]));
    const pid = await waitFor('the long command to start', async () => {
      const text = fs.existsSync(path.join(dir, 'long.pid'))
        ? fs.readFileSync(path.join(dir, 'long.pid'), 'utf8')
        : '';
      return text.trim() ? Number(text) : undefined;
    });
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(alive()).toBe(true);
    await gql(`mutation($id: ID!) { stopWorkflow(id: $id, reason: "test") { id } }`, { id });
    await waitFor('the sleep to end', async () => (alive() ? undefined : true), 20_000);
    const view = await waitFor('the kill to be confirmed', async () => {
      const final = await finalView(gql, id);
      return final.tasks.long!.instances[0]!.status === 'ERROR_FATAL' ? final : undefined;
    });
    expect(view.status).toBe('HALTED');
    expect(view.tasks.long!.status).toBe('ERROR_FATAL');
  });
});

describe.each(testDialects())('two distributor processes [%s]', (dialect) => {
  it('never run the same task twice: every task gets exactly one attempt, and both do work', async () => {
    // Heartbeats of 5 s: a distributor is given up after three missed ones, and on a loaded machine a
    // process can be starved of the CPU for seconds; this test is about claims, not about the reaper.
    const server = await startTestServer(dialect, { heartbeatSeconds: 5 });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobmon-two-'));
    const distributors: ChildProcess[] = [];
    try {
      // Small claims (3 slots each) so that the two interleave many times.
      for (const name of ['left', 'right'])
        distributors.push(
          startDistributorProcess({
            serverUrl: server.url,
            name: `${name}-${process.pid}`,
            slots: 3,
            heartbeatSeconds: 5,
            logDir: path.join(dir, 'logs'),
            cwd: dir,
          }),
        );
      const gql = client(server.url);
      await waitFor('both distributors to register', async () => {
        const rows = await server.db.select<{ n: number }>('SELECT COUNT(*) AS n FROM distributor');
        return Number(rows[0]!.n) === 2 ? true : undefined;
      });
      fs.writeFileSync(path.join(dir, 'mark.sh'), `echo "$1" >> ${dir}/ran.log; sleep 0.1\n`);
      const ids: string[] = [];
      for (let w = 0; w < 3; w += 1) {
        // 30 tasks of 0.1 s each: one distributor alone would need a second per workflow.
        const keys = Array.from({ length: 30 }, (_, i) => `w${w}-t${i}`);
        const input = workflow(
          dir,
          keys.map((key) => task(key, 'mark.sh')),
        );
        ids.push(await submitWorkflow(gql, input));
      }
      for (const id of ids) expect((await finalView(gql, id, 180_000)).status).toBe('DONE');
      const twice = await server.db.select<{ task_id: number }>(
        'SELECT task_id FROM task_instance GROUP BY task_id HAVING COUNT(*) > 1',
      );
      expect(twice).toEqual([]);
      const perDistributor = await server.db.select<{ distributor_id: number; n: number }>(
        'SELECT distributor_id, COUNT(*) AS n FROM task_instance GROUP BY distributor_id',
      );
      expect(perDistributor).toHaveLength(2);
      const ran = readLines(path.join(dir, 'ran.log'));
      expect(ran).toHaveLength(90);
      expect(new Set(ran).size).toBe(90);
    } finally {
      await Promise.all(distributors.map((child) => terminate(child)));
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
