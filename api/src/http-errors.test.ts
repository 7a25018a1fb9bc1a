import { payloadErrorResponse } from './http-errors';
import { testDialects } from './testing/databases';
import { startTestServer, type TestServer } from './testing/server';

describe.each(testDialects())('HTTP-level refusals [%s]', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect, { bodyLimit: '2kb' });
  });
  afterAll(async () => server.stop());

  const post = (body: string) =>
    fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it('refuses a body over the limit with 413 and a JSON error naming the limit', async () => {
    const big = JSON.stringify({ query: `{ tools { name } }`, variables: { padding: 'x'.repeat(4096) } });
    const response = await post(big);
    expect(response.status).toBe(413);
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(body.errors[0]!.message).toMatch(/larger than the limit of 2048 bytes/);
  });

  it('refuses malformed JSON with 400 and a JSON error', async () => {
    const response = await post('{"query": "{ tools { name } }"');
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('BAD_REQUEST');
  });

  it('still answers normal requests after refusing bad ones', async () => {
    const result = await server.graphql<{ tools: unknown[] }>('{ tools { name } }');
    expect(result.status).toBe(200);
    expect(result.data?.tools).toEqual([]);
  });
});

describe('HTTP error bodies', () => {
  it('never echo the message of an error that is not a body error (file system errors name paths)', () => {
    // What express.static / res.sendFile pass on when a file vanishes (e.g. the UI rebuilt under a
    // running server).
    const missing = Object.assign(
      new Error("ENOENT: no such file or directory, stat '/srv/jobmon/web/dist/index.html'"),
      {
        status: 404,
        code: 'ENOENT',
        path: '/srv/jobmon/web/dist/index.html',
      },
    );
    const response = payloadErrorResponse(missing);
    expect(response.status).toBe(404);
    expect(JSON.stringify(response.body)).not.toContain('/srv/jobmon');
    expect(response.body).toEqual({ errors: [{ message: 'Not Found', extensions: { code: 'NOT_FOUND' } }] });
    const forbidden = payloadErrorResponse(
      Object.assign(new Error("EACCES: permission denied, open '/x'"), { status: 403 }),
    );
    expect(forbidden.body).toEqual({ errors: [{ message: 'Forbidden', extensions: { code: 'FORBIDDEN' } }] });
  });
});
