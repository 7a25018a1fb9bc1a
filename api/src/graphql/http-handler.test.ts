import { testDialects } from '../testing/databases';
import { startTestServer, type TestServer } from '../testing/server';

describe.each(testDialects())('GraphQL over HTTP [%s]', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect);
  });
  afterAll(async () => server.stop());

  it('answers POST with JSON that is never cached', async () => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ tools { name } }' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ data: { tools: [] } });
  });

  it('answers a GET query that carries a preflight header', async () => {
    const response = await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ tools { id } }')}`, {
      headers: { 'apollo-require-preflight': '1' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { tools: [] } });
  });

  it('refuses a form-like POST as a possible CSRF, without a stack trace', async () => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ tools { name } }' }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      errors: { message: string; extensions: Record<string, unknown> }[];
    };
    expect(body.errors[0]!.message).toMatch(/Cross-Site Request Forgery/);
    expect(body.errors[0]!.extensions.stacktrace).toBeUndefined();
  });

  it('refuses a mutation over GET', async () => {
    const query = encodeURIComponent('mutation { abortWorkflowBinding(bindingId: "x") }');
    const response = await fetch(`${server.url}/graphql?query=${query}`, {
      headers: { 'apollo-require-preflight': '1' },
    });
    expect(response.status).toBe(405);
  });

  it('leaves other paths to the rest of the app', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    // Other GETs are the web UI's client-side routes (web-ui.test.ts); anything else is not found.
    expect((await fetch(`${server.url}/no-such-page`, { method: 'POST' })).status).toBe(404);
  });
});
