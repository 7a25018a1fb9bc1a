import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { JobmonClient, JobmonRequestError, type Document } from './client';
import { WorkflowRunTimeoutError } from './errors';

/** A plain-string query without variables. */
const OK = '{ ok }' as Document<{ ok: boolean }, Record<string, never>>;

// What the client sends, seen by a stand-in server: the bearer token on HTTP and in graphql-ws's
// connection_init, and how errors are classified.

describe('JobmonClient', () => {
  let server: http.Server;
  let url: string;
  const seen: { authorization?: string; body?: unknown }[] = [];
  let answer: (response: http.ServerResponse) => void;
  const initPayloads: unknown[] = [];
  let wss: WebSocketServer;

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        seen.push({ authorization: request.headers.authorization, body: JSON.parse(body) });
        answer(response);
      });
    });
    wss = new WebSocketServer({ server, path: '/graphql' });
    wss.on('connection', (socket) =>
      socket.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString()) as { type: string; payload?: unknown };
        if (message.type === 'connection_init') initPayloads.push(message.payload);
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const socket of wss.clients) socket.terminate();
    wss.close();
    server.closeAllConnections(); // fetch keeps its connections alive
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    seen.length = 0;
    initPayloads.length = 0;
    answer = (response) => response.end(JSON.stringify({ data: { ok: true } }));
  });

  it('sends the JOBMON_TOKEN bearer token on HTTP and in the graphql-ws connection_init payload', async () => {
    const previous = process.env.JOBMON_TOKEN;
    process.env.JOBMON_TOKEN = 'secret-1';
    try {
      const client = new JobmonClient({ serverUrl: url });
      await client.query(OK);
      expect(seen[0]).toEqual({ authorization: 'Bearer secret-1', body: { query: '{ ok }', variables: {} } });

      const abort = new AbortController();
      const following = client.followWorkflow('1', { signal: abort.signal, pollIntervalMs: 60_000 });
      for (let i = 0; i < 200 && initPayloads.length === 0; i += 1)
        await new Promise((resolve) => setTimeout(resolve, 25));
      expect(initPayloads).toEqual([{ authorization: 'Bearer secret-1' }]);
      abort.abort(new Error('enough'));
      await expect(following).rejects.toThrow('enough');
    } finally {
      if (previous === undefined) delete process.env.JOBMON_TOKEN;
      else process.env.JOBMON_TOKEN = previous;
    }
  });

  it('sends no authorization header without a token; an explicit token wins over the environment', async () => {
    const previous = process.env.JOBMON_TOKEN;
    delete process.env.JOBMON_TOKEN;
    try {
      await new JobmonClient({ serverUrl: url }).query(OK);
      await new JobmonClient({ serverUrl: `${url}/graphql`, token: 'given' }).query(OK);
      expect(seen.map((request) => request.authorization)).toEqual([undefined, 'Bearer given']);
    } finally {
      if (previous !== undefined) process.env.JOBMON_TOKEN = previous;
    }
  });

  it('keeps the codes and problems of GraphQL errors; an answer that is not GraphQL is "unreachable"', async () => {
    answer = (response) =>
      response.end(
        JSON.stringify({
          errors: [
            {
              message: 'Invalid workflow submission',
              extensions: { code: 'BAD_USER_INPUT', problems: ['task "a": missing argument "x"'] },
            },
          ],
        }),
      );
    const client = new JobmonClient({ serverUrl: url });
    const refused = (await client.query(OK).catch((error: unknown) => error)) as JobmonRequestError;
    expect(refused).toBeInstanceOf(JobmonRequestError);
    expect(refused).toMatchObject({ codes: ['BAD_USER_INPUT'], unreachable: false });
    expect(refused.errors[0]!.problems).toEqual(['task "a": missing argument "x"']);

    answer = (response) => {
      response.statusCode = 502;
      response.end('<html>Bad gateway</html>');
    };
    const proxied = (await client.query(OK).catch((error: unknown) => error)) as JobmonRequestError;
    expect(proxied).toMatchObject({ unreachable: true, status: 502 });

    const closed = new JobmonClient({ serverUrl: 'http://127.0.0.1:9' });
    const down = (await closed.query(OK).catch((error: unknown) => error)) as JobmonRequestError;
    expect(down.unreachable).toBe(true);
    expect(down.message).toMatch(/^cannot reach http:\/\/127\.0\.0\.1:9\/graphql: /);
  });

  it('updateTaskResources sends resources in the server’s units, parsed from Jobmon’s', async () => {
    answer = (response) => response.end(JSON.stringify({ data: { updateTaskResources: [] } }));
    const client = new JobmonClient({ serverUrl: url });
    await client.updateTaskResources(['7', '8'], { memory: '2G', runtime: '1h30m', cores: 2 }, { memory: 1 });
    expect(seen[0]!.body).toMatchObject({
      variables: {
        taskIds: ['7', '8'],
        resources: { memoryMb: 2048, runtimeSeconds: 5400, cores: 2 },
        resourceScales: { memory: 1 },
      },
    });
  });

  it('updateTemplateTaskResources names the workflow and template; a list of scales is a factor per failure', async () => {
    answer = (response) =>
      response.end(
        JSON.stringify({
          data: { updateTemplateTaskResources: { workflow: { id: '3' }, templateName: 'fit', taskCount: 9 } },
        }),
      );
    const client = new JobmonClient({ serverUrl: url });
    const before = seen.length;
    expect(
      await client.updateTemplateTaskResources('3', 'fit', { memory: '4G' }, { memory: [0.5, 1] }),
    ).toEqual({
      workflowId: '3',
      templateName: 'fit',
      taskCount: 9,
    });
    expect(seen[before]!.body).toMatchObject({
      variables: {
        workflowId: '3',
        templateName: 'fit',
        resources: { memoryMb: 4096 },
        resourceScales: { memoryFactors: [0.5, 1] },
      },
    });
  });

  it('asks again after Retry-After when the server is busy reading other large bodies (SERVER_BUSY)', async () => {
    let busyAnswers = 2;
    const before = seen.length;
    answer = (response) => {
      if (busyAnswers > 0) {
        busyAnswers -= 1;
        response.statusCode = 503;
        response.setHeader('retry-after', '1');
        response.end(
          JSON.stringify({
            errors: [{ message: 'busy', extensions: { code: 'SERVER_BUSY', retryAfterSeconds: 0.1 } }],
          }),
        );
      } else response.end(JSON.stringify({ data: { ok: true } }));
    };
    const client = new JobmonClient({ serverUrl: url });
    await expect(client.query(OK)).resolves.toEqual({ ok: true });
    expect(seen.length - before).toBe(3);
  });

  it('followWorkflow({ timeoutSeconds }) stops following a workflow that goes on, with WorkflowRunTimeoutError', async () => {
    const counts = {
      total: 2,
      REGISTERING: 0,
      QUEUED: 1,
      INSTANTIATING: 0,
      LAUNCHED: 0,
      RUNNING: 1,
      DONE: 0,
      ERROR_RECOVERABLE: 0,
      ADJUSTING_RESOURCES: 0,
      ERROR_FATAL: 0,
      retrying: 0,
      byStatus: [],
    };
    // Every poll and the final state read see it RUNNING (the socket here never acknowledges).
    answer = (response) =>
      response.end(
        JSON.stringify({
          data: {
            workflow: {
              id: '7',
              status: 'RUNNING',
              statusCounts: counts,
              latestRun: { id: '1', status: 'RUNNING' },
            },
          },
        }),
      );
    const client = new JobmonClient({ serverUrl: url });
    const startedAt = Date.now() - 5_000; // run() started before following did
    const error = await client
      .followWorkflow('7', { timeoutSeconds: 0.2, pollIntervalMs: 50, startedAt })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(WorkflowRunTimeoutError);
    expect(error).toMatchObject({ workflowId: '7', timeoutSeconds: 0.2, status: 'RUNNING', counts });
    expect((error as WorkflowRunTimeoutError).elapsedMs).toBeGreaterThanOrEqual(5_000);
    await expect(client.followWorkflow('7', { timeoutSeconds: -1 })).rejects.toThrow(RangeError);
  });
});
