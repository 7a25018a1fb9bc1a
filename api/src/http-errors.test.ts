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
