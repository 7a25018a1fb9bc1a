import http from 'node:http';
import WebSocket from 'ws';
import { MAX_FIELDS_PER_RESPONSE_PATH, MAX_QUERY_TOKENS } from './limits';
import { testDialects } from '../testing/databases';
import { tableRowCounts } from '../testing/row-counts';
import { chain, submission } from '../testing/fixtures';
import { startTestServer, type TestServer } from '../testing/server';
import { connectClient, SubscriptionRecorder, wsUrlOf } from '../testing/subscriptions';

// Request limits under a flood of abusive requests: each is refused with its stable status and code,
// nothing is written, and ordinary queries sent meanwhile all answer correctly.

const BODY_LIMIT = 256 * 1024;

interface Answer {
  status: number;
  codes: string[];
  retryAfter?: string | null;
}

const SUBMIT = 'mutation($input: WorkflowSubmission!) { submitWorkflow(input: $input) { workflow { id } } }';

/** A query nested `levels` deep through Task.upstream. */
function deepQuery(levels: number): string {
  let selection = 'id';
  for (let level = 0; level < levels; level += 1) selection = `upstream { ${selection} }`;
  return `query($id: ID!) { workflow(id: $id) { tasks(first: 1) { edges { node { ${selection} } } } } }`;
}

async function answerOf(response: Response): Promise<Answer> {
  const text = await response.text();
  let codes: string[] = [];
  try {
    const body = JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] };
    codes = (body.errors ?? []).map((error) => error.extensions?.code ?? 'NONE');
  } catch {
    codes = ['NOT_JSON'];
  }
  return { status: response.status, codes, retryAfter: response.headers.get('retry-after') };
}

/** A POST through node:http, for what fetch cannot send: a Content-Length without its body, chunked bodies. */
function rawPost(
  url: string,
  options: { contentLength?: number; chunks?: Buffer[]; holdOpen?: boolean },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-type': 'application/json' };
    if (options.contentLength !== undefined) headers['content-length'] = options.contentLength;
    const request = http.request(`${url}/graphql`, { method: 'POST', headers }, (response) => {
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('end', () => {
        const body = JSON.parse(Buffer.concat(parts).toString('utf8')) as {
          errors?: { extensions?: { code?: string } }[];
        };
        resolve({
          status: response.statusCode ?? 0,
          codes: (body.errors ?? []).map((error) => error.extensions?.code ?? 'NONE'),
        });
        request.destroy();
      });
    });
    // The server may stop reading once it has answered; what the socket says after that does not matter.
    request.on('error', (error) => (request.writableEnded ? undefined : reject(error)));
    request.flushHeaders();
    for (const chunk of options.chunks ?? []) request.write(chunk);
    if (!options.holdOpen) request.end();
  });
}

/** Sends one graphql-ws message larger than the server accepts; resolves with the socket's close code. */
function oversizedWsMessage(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrlOf(url), 'graphql-transport-ws');
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: {} })));
    socket.on('message', (data: WebSocket.RawData) => {
      if ((JSON.parse(String(data)) as { type: string }).type !== 'connection_ack') return;
      const query = `subscription { workflowProgress(workflowId: "1") { status } }`;
      socket.send(
        JSON.stringify({
          id: '1',
          type: 'subscribe',
          payload: { query, variables: { padding: 'x'.repeat(2 * 1024 * 1024) } },
        }),
      );
    });
    socket.on('close', (code) => resolve(code));
    socket.on('error', (error) => (socket.readyState === WebSocket.CLOSED ? undefined : reject(error)));
  });
}

describe.each(testDialects())('request limits under a flood [%s]', (dialect) => {
  let server: TestServer;
  let workflowId: string;
  const post = (body: string) =>
    fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    }).then(answerOf);
  const gql = (query: string, variables: Record<string, unknown> = {}) =>
    post(JSON.stringify({ query, variables }));
  const rowCounts = () => tableRowCounts(server.db, ['workflow', 'task', 'audit_event']);

  beforeAll(async () => {
    server = await startTestServer(dialect, { bodyLimit: `${BODY_LIMIT}b`, auth: false });
    const submitted = await server.graphql<{ submitWorkflow: { workflow: { id: string } } }>(SUBMIT, {
      input: submission(chain(20)),
    });
    workflowId = submitted.data!.submitWorkflow.workflow.id;
  });
  afterAll(async () => server.stop());

  it('refuses every abusive request with its code while normal queries all answer correctly', async () => {
    const before = await rowCounts();
    const distinctAliases = `{ ${Array.from({ length: MAX_QUERY_TOKENS }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    const repeatedField = `{ ${'tools { id } '.repeat(MAX_FIELDS_PER_RESPONSE_PATH * 10)} }`;
    const fragmentNames = Array.from({ length: MAX_FIELDS_PER_RESPONSE_PATH * 10 }, (_, i) => `F${i}`);
    const repeatedThroughFragments =
      `{ ${fragmentNames.map((name) => `...${name}`).join(' ')} } ` +
      fragmentNames.map((name) => `fragment ${name} on Query { tools { id } }`).join(' ');
    // 2^40 fields once expanded, in about 1.6 KB: refused without expanding it (limits.test.ts).
    let doublingFragments = '{ ...F40 } fragment F0 on Query { tools { id } }';
    for (let i = 1; i <= 40; i += 1)
      doublingFragments += ` fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }`;
    const costlyPage = 'tasks(first: 1000) { edges { node { id } } }';
    const nestedRepeats = `{ ${`workflow(id: "${workflowId}") { ${`tasks(first: 1) { edges { ${'node { id } '.repeat(6)} } } `.repeat(6)} } `.repeat(6)} }`;
    const abusive: { name: string; send: () => Promise<Answer>; status: number; code: string }[] = [
      {
        name: 'over-deep query',
        send: () => gql(deepQuery(20), { id: workflowId }),
        status: 400,
        code: 'QUERY_TOO_COMPLEX',
      },
      {
        name: 'over-cost query',
        send: () => gql(`{ workflows(first: 1000) { edges { node { ${costlyPage} } } } }`),
        status: 400,
        code: 'QUERY_TOO_COMPLEX',
      },
      {
        name: 'first: 1000000',
        send: () => gql('{ workflows(first: 1000000) { edges { node { id } } } }'),
        status: 400,
        code: 'QUERY_TOO_COMPLEX',
      },
      {
        name: 'first over the page size, cheap enough',
        send: () => gql('{ workflows(first: 5000) { edges { cursor } } }'),
        status: 400, // bad input is answered 400
        code: 'BAD_USER_INPUT',
      },
      {
        name: 'over-cost mutation (nothing may be bound)',
        send: () =>
          gql(
            `mutation($input: WorkflowSubmission!) { submitWorkflow(input: $input) { workflow { tasks(first: 1000) { edges { node { workflow { ${costlyPage} } } } } } } }`,
            { input: submission(chain(5)) },
          ),
        status: 400,
        code: 'QUERY_TOO_COMPLEX',
      },
      {
        name: 'malformed GraphQL',
        send: () => gql('{ workflows(first: '),
        status: 400,
        code: 'GRAPHQL_PARSE_FAILED',
      },
      {
        name: 'malformed JSON',
        send: () => post('{"query": "{ tools { id } }"'),
        status: 400,
        code: 'BAD_REQUEST',
      },
      {
        name: 'a submission over the body limit',
        send: () => gql(SUBMIT, { input: submission(chain(5), { description: 'x'.repeat(BODY_LIMIT) }) }),
        status: 413,
        code: 'PAYLOAD_TOO_LARGE',
      },
      {
        name: 'a chunked body over the limit',
        send: () =>
          rawPost(server.url, {
            chunks: Array.from({ length: 5 }, () => Buffer.alloc(BODY_LIMIT / 4, 'x')),
          }),
        status: 413,
        code: 'PAYLOAD_TOO_LARGE',
      },
      {
        // Answered from the header alone: the body is never sent, the answer still comes.
        name: 'a Content-Length over the limit',
        send: () => rawPost(server.url, { contentLength: 1024 * 1024 * 1024, holdOpen: true }),
        status: 413,
        code: 'PAYLOAD_TOO_LARGE',
      },
      { name: 'too many tokens', send: () => gql(distinctAliases), status: 400, code: 'QUERY_TOO_COMPLEX' },
      {
        name: 'one field repeated',
        send: () => gql(repeatedField),
        status: 400,
        code: 'QUERY_TOO_COMPLEX',
      },
      {
        // No selection set repeats a field more than 6 times, but validation merges same-named parents.
        name: 'nested repeats',
        send: () => gql(nestedRepeats),
        status: 400,
        code: 'QUERY_TOO_COMPLEX',
      },
      {
        name: 'fragments doubling at every level',
        send: () => gql(doublingFragments),
        status: 400,
        code: 'QUERY_TOO_COMPLEX',
      },
      {
        name: 'one field repeated through fragments',
        send: () => gql(repeatedThroughFragments),
        status: 400,
        code: 'QUERY_TOO_COMPLEX',
      },
    ];

    let flooding = true;
    const normal: { ok: boolean; detail: string }[] = [];
    const normalStream = (async () => {
      while (flooding) {
        const answer = await fetch(`${server.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            query: 'query($id: ID!) { workflow(id: $id) { id tasks(first: 3) { edges { node { key } } } } }',
            variables: { id: workflowId },
          }),
        });
        const body = (await answer.json()) as {
          data?: { workflow: { id: string; tasks: { edges: { node: { key: string } }[] } } };
        };
        const keys = body.data?.workflow.tasks.edges.map((edge) => edge.node.key);
        normal.push({
          ok:
            answer.status === 200 &&
            body.data?.workflow.id === workflowId &&
            JSON.stringify(keys) === JSON.stringify(['t0', 't1', 't2']),
          detail: JSON.stringify(body).slice(0, 200),
        });
      }
    })();

    const ROUNDS = 4;
    const CONCURRENCY = 6;
    const refusals: { name: string; answer: Answer; status: number; code: string }[] = [];
    const queue = Array.from({ length: ROUNDS }, () => abusive).flat();
    const wsClosings: Promise<number>[] = [];
    try {
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          for (let item = queue.shift(); item; item = queue.shift()) {
            const answer = await item.send();
            refusals.push({ name: item.name, answer, status: item.status, code: item.code });
          }
        }),
      );
      for (let i = 0; i < ROUNDS; i += 1) wsClosings.push(oversizedWsMessage(server.url));
      expect(await Promise.all(wsClosings)).toEqual(Array.from({ length: ROUNDS }, () => 1009));
    } finally {
      flooding = false;
      await normalStream;
    }

    expect(refusals).toHaveLength(ROUNDS * abusive.length);
    for (const refusal of refusals)
      expect({ name: refusal.name, status: refusal.answer.status, codes: refusal.answer.codes }).toEqual({
        name: refusal.name,
        status: refusal.status,
        codes: [refusal.code],
      });
    expect(normal.length).toBeGreaterThan(0);
    expect(normal.filter((answer) => !answer.ok)).toEqual([]);
    expect(await rowCounts()).toEqual(before);
  }, 120_000);

  it('refuses an oversized document on graphql-ws with the same code, and keeps the connection', async () => {
    const client = connectClient(server.url);
    try {
      const refused = new SubscriptionRecorder<unknown>(
        client,
        `subscription { ${'workflowProgress(workflowId: "1") { status } '.repeat(MAX_FIELDS_PER_RESPONSE_PATH + 1)} }`,
        {},
        'workflowProgress',
      );
      await refused.until((r) => r.errors.length > 0 || r.failure !== null, 'the refusal');
      expect(refused.failure).toBeNull();
      expect(refused.errors.map((error) => error.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
      const live = new SubscriptionRecorder<{ status: string }>(
        client,
        'subscription($id: ID!) { workflowProgress(workflowId: $id) { status } }',
        { id: workflowId },
        'workflowProgress',
      );
      await live.until((r) => r.values.length > 0, 'a progress snapshot');
      expect(live.values[0]!.status).toBeDefined();
    } finally {
      await client.dispose();
    }
  });

  it('refuses a large body with 503 and Retry-After while the body budget is taken, never a small one', async () => {
    const query = '{ tools { name } }';
    const bodyOf = (size: number) => {
      const prefix = JSON.stringify({ query, extensions: { padding: '' } }).slice(0, -3);
      return Buffer.from(`${prefix}${'x'.repeat(size - prefix.length - 3)}"}}`);
    };
    // A large body of its own takes most of the budget (which is one body at the limit) while it is read.
    const held = bodyOf(BODY_LIMIT - 1024);
    let finishHeld!: () => void;
    const heldAnswer = new Promise<Answer>((resolve, reject) => {
      const request = http.request(
        `${server.url}/graphql`,
        { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': held.length } },
        (response) => {
          response.resume();
          response.on('end', () => resolve({ status: response.statusCode ?? 0, codes: [] }));
        },
      );
      request.on('error', reject);
      request.write(held.subarray(0, 1024));
      finishHeld = () => request.end(held.subarray(1024));
    });
    const second = () =>
      fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: bodyOf(BODY_LIMIT / 2),
      }).then(answerOf);
    // The held request is admitted once the server has read its headers: wait until a second is refused.
    let refused: Answer;
    for (refused = await second(); refused.status !== 503; refused = await second())
      expect(refused.status).toBe(200);
    expect(refused).toEqual({ status: 503, codes: ['SERVER_BUSY'], retryAfter: '1' });
    expect(await gql(query)).toMatchObject({ status: 200, codes: [] });
    finishHeld();
    expect((await heldAnswer).status).toBe(200);
    expect(await second()).toMatchObject({ status: 200, codes: [] });
  }, 60_000);
});
