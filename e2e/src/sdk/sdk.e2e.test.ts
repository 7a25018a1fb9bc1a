import fs from 'node:fs';
import path from 'node:path';
import { testDialects, type TestServer } from '@jobmon/api/testing';
import { startLocalStack, type LocalStack } from '../testing/local-stack';
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import {
  JobmonClient,
  Tool,
  WorkflowDefinitionError,
  WorkflowRunTimeoutError,
  type WorkflowProgressEvent,
} from '@jobmon/client-sdk';

// The SDK against a real API server and a local distributor running shell commands, on SQLite and MySQL.

describe.each(testDialects())('the SDK end to end [%s]', (dialect) => {
  let server: TestServer;
  let dir: string;
  let sequence = 0;

  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack(dialect, 'sdk');
    ({ server, dir } = stack);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const setup = () => {
    sequence += 1;
    const tool = new Tool('sdk-e2e');
    const sh = tool.taskTemplate({
      name: 'sh',
      commandTemplate: `sh ${dir}/{script} {name}`,
      nodeArgs: ['name'],
      taskArgs: ['script'],
      defaultResources: { memory: '256M', runtime: '00:05:00' },
    });
    return { tool, sh, workflowArgs: `${dialect}-${sequence}` };
  };
  const script = (name: string, body: string) => fs.writeFileSync(path.join(dir, name), body);
  const lines = (file: string) =>
    fs.existsSync(path.join(dir, file))
      ? fs.readFileSync(path.join(dir, file), 'utf8').split('\n').filter(Boolean)
      : [];

  it('workflow.getResourceUsage() gives each DONE attempt of a finished workflow its usage and request', async () => {
    script('usage.sh', 'echo "$1"\n');
    const { tool, sh, workflowArgs } = setup();
    const workflow = tool
      .workflow({ workflowArgs, name: 'usage' })
      .addTasks(...['u1', 'u2'].map((name) => sh.createTask({ args: { script: 'usage.sh', name } })));
    await expect(workflow.getResourceUsage({ serverUrl: server.url })).rejects.toThrow(
      WorkflowDefinitionError,
    );
    expect((await workflow.run({ serverUrl: server.url })).status).toBe('DONE');

    const usage = await workflow.getResourceUsage({ serverUrl: server.url });
    expect(usage.map((template) => [template.template, template.doneAttempts, template.capped])).toEqual([
      ['sh', 2, false],
    ]);
    expect(usage[0]!.attempts).toHaveLength(2);
    for (const attempt of usage[0]!.attempts) {
      // The template's default resources: 256M and 5 minutes.
      expect(attempt.requested).toEqual({ memoryMb: 256, runtimeSeconds: 300 });
      expect(attempt.runtimeSeconds).toBeGreaterThanOrEqual(0);
      expect(attempt.maxRssMb).toBeGreaterThan(0);
    }
    // Fewer points than attempts: the latest ones, marked capped.
    const capped = await workflow.getResourceUsage({ serverUrl: server.url, maxPointsPerTemplate: 1 });
    expect(capped[0]).toMatchObject({ doneAttempts: 2, capped: true });
    expect(capped[0]!.attempts).toHaveLength(1);
  });

  it('runs a 3-task DAG to DONE, with live progress events', async () => {
    script('log.sh', `echo "$1" >> ${dir}/dag.log\n`);
    const { tool, sh, workflowArgs } = setup();
    const first = sh.createTask({ args: { script: 'log.sh', name: 'first' } });
    const second = sh.createTask({ args: { script: 'log.sh', name: 'second' }, upstream: [first] });
    const third = sh.createTask({ args: { script: 'log.sh', name: 'third' }, upstream: [second] });
    const workflow = tool.workflow({ workflowArgs, name: 'dag' }).addTasks(first, second, third);
    const events: WorkflowProgressEvent[] = [];
    const result = await workflow.run({ serverUrl: server.url, onProgress: (event) => events.push(event) });
    expect(result).toEqual({
      workflowId: workflow.id,
      status: 'DONE',
      counts: expect.objectContaining({ total: 3, DONE: 3, ERROR_FATAL: 0 }),
      failedTaskIds: [],
      elapsedMs: expect.any(Number),
    });
    expect(lines('dag.log')).toEqual(['first', 'second', 'third']);
    expect(events.length).toBeGreaterThanOrEqual(1);
    expect(events.every((event) => event.source === 'subscription')).toBe(true);
    expect(events.at(-1)).toMatchObject({ final: true, status: 'DONE', counts: { DONE: 3 } });

    // Custom reports with typed documents.
    const client = new JobmonClient({ serverUrl: server.url });
    // A typed document as graphql-codegen's string mode makes them: its result and variables types travel
    // with the query text.
    const WorkflowCounts = Object.assign(
      new String('query WorkflowCounts($id: ID!) { workflow(id: $id) { statusCounts { DONE } } }'),
      {} as DocumentTypeDecoration<{ workflow: { statusCounts: { DONE: number } } | null }, { id: string }>,
    );
    const { workflow: view } = await client.query(WorkflowCounts, { id: workflow.id! });
    expect(view?.statusCounts.DONE).toBe(3);
    const raw = await client.query<{ workflow: { name: string } }, { id: string }>(
      'query($id: ID!) { workflow(id: $id) { name } }',
      { id: workflow.id! },
    );
    expect(raw.workflow.name).toBe('dag');
    // Attributes after submission.
    expect(await client.setWorkflowAttributes(workflow.id!, { stage: 'final', draft: null })).toEqual({
      stage: 'final',
    });
    const ids = await client.query<{ workflow: { tasks: { nodes: { id: string }[] } } }, { id: string }>(
      'query($id: ID!) { workflow(id: $id) { tasks(first: 1) { nodes { id } } } }',
      { id: workflow.id! },
    );
    const taskId = ids.workflow.tasks.nodes[0]!.id;
    expect(await client.setTaskAttributes([taskId], { checked: true })).toEqual([
      { id: taskId, attributes: { checked: true } },
    ]);
  });

  it('refuses a definition with a cycle before sending anything', async () => {
    const { tool, sh, workflowArgs } = setup();
    const a = sh.createTask({ args: { script: 'x', name: 'a' } });
    const b = sh.createTask({ args: { script: 'x', name: 'b' }, upstream: [a] });
    a.addUpstream(b);
    const workflow = tool.workflow({ workflowArgs }).addTasks(a, b);
    await expect(workflow.run({ serverUrl: 'http://127.0.0.1:9' })).rejects.toThrow(WorkflowDefinitionError);
    expect(workflow.id).toBeUndefined();
  });

  it('a failing task ends FAILED; after fixing the cause, resume ends DONE', async () => {
    const flag = path.join(dir, 'gate.open');
    script('gate.sh', `echo "$1" >> ${dir}/gate.log; [ -f ${flag} ]\n`);
    script('ok.sh', `echo "$1" >> ${dir}/gate.log\n`);
    const { tool, sh, workflowArgs } = setup();
    const first = sh.createTask({ args: { script: 'ok.sh', name: 'first' } });
    const gate = sh.createTask({
      args: { script: 'gate.sh', name: 'gate' },
      upstream: [first],
      maxAttempts: 1,
    });
    const last = sh.createTask({ args: { script: 'ok.sh', name: 'last' }, upstream: [gate] });
    const workflow = tool.workflow({ workflowArgs }).addTasks(first, gate, last);
    const failed = await workflow.run({ serverUrl: server.url });
    expect(failed.status).toBe('FAILED');
    expect(failed.counts).toMatchObject({ DONE: 1, ERROR_FATAL: 1 });
    // The result names the failed tasks (Jobmon users then look at them) and the time it took.
    const { workflow: view } = await new JobmonClient({ serverUrl: server.url }).query<
      { workflow: { tasks: { nodes: { id: string; name: string }[] } } },
      { id: string }
    >('query($id: ID!) { workflow(id: $id) { tasks(first: 10) { nodes { id name } } } }', {
      id: workflow.id!,
    });
    const gateId = view.tasks.nodes.find((task) => task.name.includes('gate'))!.id;
    expect(failed.failedTaskIds).toEqual([gateId]);
    expect(failed.elapsedMs).toBeGreaterThan(0);

    fs.writeFileSync(flag, '');
    const events: WorkflowProgressEvent[] = [];
    const resumed = await workflow.resume({ mode: 'COLD', onProgress: (event) => events.push(event) });
    expect(resumed).toMatchObject({ workflowId: workflow.id, status: 'DONE', counts: { DONE: 3, total: 3 } });
    expect(events.at(-1)).toMatchObject({ final: true, status: 'DONE' });
    expect(lines('gate.log')).toEqual(['first', 'gate', 'gate', 'last']);
  });

  it('run({ resume: true }) reruns what did not finish, as Jobmon users write it; run() alone does not', async () => {
    const flag = path.join(dir, 'resume-gate.open');
    script('resume-gate.sh', `echo "$1" >> ${dir}/resume.log; [ -f ${flag} ]\n`);
    script('resume-ok.sh', `echo "$1" >> ${dir}/resume.log\n`);
    const { tool, sh, workflowArgs } = setup();
    // A script as its author reruns it: a new process builds the same workflow again.
    const build = () => {
      const first = sh.createTask({ args: { script: 'resume-ok.sh', name: 'first' } });
      const gate = sh.createTask({
        args: { script: 'resume-gate.sh', name: 'gate' },
        upstream: [first],
        maxAttempts: 1,
      });
      const last = sh.createTask({ args: { script: 'resume-ok.sh', name: 'last' }, upstream: [gate] });
      return tool.workflow({ workflowArgs }).addTasks(first, gate, last);
    };
    expect((await build().run({ serverUrl: server.url })).status).toBe('FAILED');
    // Without resume the existing workflow is found and its end reported: nothing runs again.
    expect((await build().run({ serverUrl: server.url })).status).toBe('FAILED');
    expect(lines('resume.log')).toEqual(['first', 'gate']);

    fs.writeFileSync(flag, '');
    const resumed = await build().run({ serverUrl: server.url, resume: true });
    expect(resumed).toMatchObject({ status: 'DONE', counts: { DONE: 3, total: 3 } });
    expect(lines('resume.log')).toEqual(['first', 'gate', 'gate', 'last']);
    // A DONE workflow stays DONE: resume has nothing to do.
    expect((await build().run({ serverUrl: server.url, resume: true })).status).toBe('DONE');
    expect(lines('resume.log')).toHaveLength(4);
  });

  it('stop on a long task ends the followed run HALTED', async () => {
    script('long.sh', `echo $$ > ${dir}/long.pid; exec sleep 30\n`);
    const { tool, sh, workflowArgs } = setup();
    const workflow = tool
      .workflow({ workflowArgs })
      .addTasks(sh.createTask({ args: { script: 'long.sh', name: 'long' } }));
    let markRunning: () => void = () => undefined;
    const running = new Promise<void>((resolve) => (markRunning = resolve));
    const run = workflow.run({
      serverUrl: server.url,
      onProgress: (event) => {
        if (event.counts.RUNNING > 0) markRunning();
      },
    });
    await running;
    const stopped = await workflow.stop('test stop');
    expect(stopped.workflowId).toBe(workflow.id);
    const result = await run;
    expect(result.status).toBe('HALTED');
    expect(result.counts).toMatchObject({ ERROR_FATAL: 1, total: 1 });
  });

  it('run({ timeoutSeconds }) stops following and says so; the run goes on on the server', async () => {
    const flag = path.join(dir, 'timeout.open');
    script('timeout.sh', `while [ ! -f ${flag} ]; do sleep 0.1; done\n`);
    const { tool, sh, workflowArgs } = setup();
    const workflow = tool
      .workflow({ workflowArgs })
      .addTasks(sh.createTask({ args: { script: 'timeout.sh', name: 'slow' } }));
    const timedOut = await workflow.run({ serverUrl: server.url, timeoutSeconds: 0.5 }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(timedOut).toBeInstanceOf(WorkflowRunTimeoutError);
    const error = timedOut as WorkflowRunTimeoutError;
    expect(error).toMatchObject({ workflowId: workflow.id, timeoutSeconds: 0.5 });
    expect(['QUEUED', 'RUNNING']).toContain(error.status);
    expect(error.elapsedMs).toBeGreaterThanOrEqual(500);
    expect(error.message).toMatch(/did not end within 0.5 s .*goes on on the server/);
    // Nothing was stopped: once the task may end, following again sees it DONE.
    fs.writeFileSync(flag, '');
    const result = await new JobmonClient({ serverUrl: server.url }).followWorkflow(workflow.id!);
    expect(result).toMatchObject({ status: 'DONE', failedTaskIds: [] });
  });

  it('follows by polling when the subscription socket is unavailable', async () => {
    script('quick.sh', `echo "$1" >> ${dir}/poll.log\n`);
    const { tool, sh, workflowArgs } = setup();
    const workflow = tool
      .workflow({ workflowArgs })
      .addTasks(sh.createTask({ args: { script: 'quick.sh', name: 'polled' } }));
    const client = new JobmonClient({ serverUrl: server.url });
    const id = await workflow.submit({ client });
    // HTTP reaches the server, the socket never connects (a closed port).
    const events: WorkflowProgressEvent[] = [];
    const followPolling = new JobmonClient({
      serverUrl: server.url,
      subscriptionUrl: 'ws://127.0.0.1:9/graphql',
    });
    const result = await followPolling.followWorkflow(id, {
      pollIntervalMs: 100,
      onProgress: (event) => events.push(event),
    });
    expect(result.status).toBe('DONE');
    expect(events.at(-1)).toMatchObject({ source: 'poll', final: true });
  });
});
