import fs from 'node:fs';
import path from 'node:path';
import { Relay, testDialects } from '@jobmon/api/testing';
import { startLocalStack, type LocalStack } from '../testing/local-stack';
import {
  JobmonClient,
  JobmonRequestError,
  Tool,
  type WorkflowProgressEvent,
  type WorkflowSubmission,
} from '@jobmon/client-sdk';

// The SDK's harder paths against a real server and local distributor: a DAG over the server's
// per-request limit bound in chunks, a run whose WebSocket drops and comes back, and a cold resume of a
// running workflow (which passes through HALTED while its kills are confirmed).

/** Keeps what resumeWorkflow answered. */
class RecordingClient extends JobmonClient {
  resumed: Awaited<ReturnType<JobmonClient['resumeWorkflow']>> | undefined;
  override async resumeWorkflow(...args: Parameters<JobmonClient['resumeWorkflow']>) {
    this.resumed = await super.resumeWorkflow(...args);
    return this.resumed;
  }
}

/** A promise and the function that resolves it, for waiting on a condition seen in onProgress. */
function signal(): { promise: Promise<void>; fire: () => void } {
  let fire: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => (fire = resolve));
  return { promise, fire };
}

describe.each(testDialects())('SDK submission and following [%s]', (dialect) => {
  let stack: LocalStack;
  let dir: string;
  let sequence = 0;
  // A small per-request limit, so that a modest DAG needs the chunked binding.
  const LIMIT = 40;

  beforeAll(async () => {
    stack = await startLocalStack(dialect, 'follow', { serverConfig: { maxTasksPerSubmission: LIMIT } });
    dir = stack.dir;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const setup = () => {
    sequence += 1;
    const tool = new Tool('follow-e2e');
    const sh = tool.taskTemplate({
      name: 'sh',
      commandTemplate: `sh ${dir}/{script} {name}`,
      nodeArgs: ['name'],
      taskArgs: ['script'],
      defaultResources: { memory: '64M', runtime: '00:05:00' },
    });
    return { tool, sh, workflowArgs: `${dialect}-${sequence}` };
  };
  const script = (name: string, body: string) => fs.writeFileSync(path.join(dir, name), body);
  const lines = (file: string) =>
    fs.existsSync(path.join(dir, file))
      ? fs.readFileSync(path.join(dir, file), 'utf8').split('\n').filter(Boolean)
      : [];

  it('binds a DAG over the server limit in chunks, transparently, and runs it to DONE', async () => {
    script('true.sh', 'true\n');
    const { tool, sh, workflowArgs } = setup();
    // 100 tasks in layers of 10: each task waits for one of the layer before (edges cross chunks).
    const tasks = Array.from({ length: 100 }, (_, i) =>
      sh.createTask({ args: { script: 'true.sh', name: `t${i}` } }),
    );
    tasks.forEach((task, i) => i >= 10 && task.addUpstream(tasks[i - 10]!));
    const workflow = tool.workflow({ workflowArgs }).addTasks(...tasks);
    const chunks: number[] = [];
    const result = await workflow.run({
      serverUrl: stack.server.url,
      onChunk: ({ sentTasks }) => chunks.push(sentTasks),
    });
    expect(chunks).toEqual([40, 80, 100]);
    expect(result).toMatchObject({ status: 'DONE', counts: { total: 100, DONE: 100 } });
    const bindings = await stack.server.db.select<{ n: number }>(
      'SELECT COUNT(*) AS n FROM workflow_binding',
    );
    expect(Number(bindings[0]!.n)).toBe(0);
  });

  it('a chunk the server refuses aborts the whole binding: nothing is left behind', async () => {
    const client = new JobmonClient({ serverUrl: stack.server.url });
    const input: WorkflowSubmission = {
      tool: 'follow-e2e-refused',
      workflowArgs: `${dialect}-refused`,
      taskTemplates: [{ name: 'echo', commandTemplate: 'echo {word}' }],
      // The 70th task lacks its argument: the SDK client is bypassed (no checks), the server refuses chunk 2.
      tasks: Array.from({ length: 90 }, (_, i) => ({
        key: `k${i}`,
        template: 'echo',
        args: i === 70 ? {} : { word: `w${i}` },
      })),
    };
    const chunks: number[] = [];
    const failure = await client
      .submitWorkflow(input, { onChunk: ({ sentTasks }) => chunks.push(sentTasks) })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(JobmonRequestError);
    expect((failure as JobmonRequestError).codes).toContain('BAD_USER_INPUT');
    expect((failure as JobmonRequestError).errors[0]!.problems?.join('\n')).toMatch(/k70/);
    expect(chunks).toEqual([40]);
    const left = await stack.server.db.select<{ n: number }>('SELECT COUNT(*) AS n FROM workflow_binding');
    expect(Number(left[0]!.n)).toBe(0);
    const listed = await stack.server.graphql<{ workflows: { totalCount: number } }>(
      '{ workflows(filter: { tool: "follow-e2e-refused" }) { totalCount } }',
    );
    expect(listed.data?.workflows.totalCount).toBe(0);
  });

  it('run() carries on through a dropped WebSocket: polls while it is down, live again once it is back', async () => {
    const gate = path.join(dir, 'ws.gate');
    script('wait-gate.sh', `while [ ! -f ${gate} ]; do sleep 0.1; done; echo "$1" >> ${dir}/ws.log\n`);
    const { tool, sh, workflowArgs } = setup();
    const workflow = tool
      .workflow({ workflowArgs })
      .addTasks(sh.createTask({ args: { script: 'wait-gate.sh', name: 'gated' } }));
    const relay = new Relay({ host: '127.0.0.1', port: Number(new URL(stack.server.url).port) });
    await relay.open();
    // HTTP goes straight to the server; only the subscription socket goes through the relay.
    const client = new JobmonClient({
      serverUrl: stack.server.url,
      subscriptionUrl: `ws://127.0.0.1:${relay.port}/graphql`,
    });
    const events: WorkflowProgressEvent[] = [];
    const running = signal();
    const polled = signal();
    const liveAgain = signal();
    let cutDone = false;
    const run = workflow.run({
      client,
      pollIntervalMs: 100,
      onProgress: (event) => {
        events.push(event);
        if (event.counts.RUNNING > 0 && event.source === 'subscription') running.fire();
        if (cutDone && event.source === 'poll') polled.fire();
        if (cutDone && event.source === 'subscription') liveAgain.fire();
      },
    });
    try {
      await running.promise;
      await relay.cut();
      cutDone = true;
      await polled.promise; // the socket is gone: the SDK polls over HTTP
      await relay.open(); // same port: graphql-ws reconnects and resubscribes (current counts first)
      await liveAgain.promise;
      fs.writeFileSync(gate, '');
      const result = await run;
      expect(result).toMatchObject({ status: 'DONE', counts: { DONE: 1, total: 1 } });
      expect(lines('ws.log')).toEqual(['gated']);
      const sources = events.map((event) => event.source);
      const firstPoll = sources.indexOf('poll');
      expect(firstPoll).toBeGreaterThan(0);
      expect(sources.slice(firstPoll)).toContain('subscription');
      expect(events.at(-1)).toMatchObject({ final: true, status: 'DONE' });
    } finally {
      fs.writeFileSync(gate, '');
      await run.catch(() => undefined);
      await relay.cut();
    }
  });

  it('a cold resume of a running workflow is followed to the new run’s end, not its intermediate HALTED', async () => {
    // The first attempt blocks until killed, and takes a second to die (so that the kill is still pending
    // when resume() starts following); the next attempt succeeds.
    const marker = path.join(dir, 'cold.first');
    script(
      'first-blocks.sh',
      `echo "$1" >> ${dir}/cold.log\n` +
        `if [ ! -f ${marker} ]; then touch ${marker}; trap 'sleep 1; exit 143' TERM; sleep 60 & wait $!; fi\n`,
    );
    const { tool, sh, workflowArgs } = setup();
    const workflow = tool
      .workflow({ workflowArgs })
      .addTasks(sh.createTask({ args: { script: 'first-blocks.sh', name: 'slow' } }));
    const running = signal();
    const firstRun = workflow.run({
      serverUrl: stack.server.url,
      onProgress: (event) => event.counts.RUNNING > 0 && running.fire(),
    });
    await running.promise;
    const events: WorkflowProgressEvent[] = [];
    const client = new RecordingClient({ serverUrl: stack.server.url });
    const resumed = await workflow.resume({
      client,
      mode: 'COLD',
      onProgress: (event) => events.push(event),
    });
    // The resume answered while the kill was pending: the workflow was HALTED, its run in COLD_RESUME.
    expect(client.resumed).toMatchObject({ status: 'HALTED', latestRun: { status: 'COLD_RESUME' } });
    expect(resumed).toMatchObject({ status: 'DONE', counts: { DONE: 1, total: 1 } });
    expect(events.filter((event) => event.final)).toEqual([events.at(-1)]);
    // The run() that was following the first run also waits for the new run rather than its HALTED.
    expect(await firstRun).toMatchObject({ status: 'DONE' });
    expect(lines('cold.log')).toEqual(['slow', 'slow']);
    // It really was a cold resume with kills to confirm: the first run went through COLD_RESUME.
    const runs = await stack.server.graphql<{ workflow: { runs: { status: string }[] } }>(
      'query($id: ID!) { workflow(id: $id) { runs { status } } }',
      { id: workflow.id },
    );
    expect(runs.data?.workflow.runs.map((run) => run.status)).toEqual(['TERMINATED', 'DONE']);
  });
});
