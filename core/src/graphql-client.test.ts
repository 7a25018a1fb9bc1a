import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLClient, GraphQLRequestError, graphqlEndpoint } from './graphql-client';

// The transport against a stand-in server: what it sends, and how each kind of failure is classified
// (the distributor retries what is retryable; the CLI's exit codes follow codes and unreachable).

describe('GraphQLClient', () => {
  let server: http.Server;
  let url: string;
  const seen: { authorization?: string; body: unknown }[] = [];
  let answer: (response: http.ServerResponse) => void;

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        seen.push({ authorization: request.headers.authorization, body: JSON.parse(body) });
        answer(response);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections(); // fetch keeps its connections alive
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    seen.length = 0;
  });

  const failure = (client: GraphQLClient) =>
    client.request('{ ok }', undefined).then(
      () => {
        throw new Error('expected a failure');
      },
      (error: unknown) => error as GraphQLRequestError,
    );

  it('posts the query and variables with the bearer token, and returns the data', async () => {
    answer = (response) => response.end(JSON.stringify({ data: { ok: true } }));
    const client = new GraphQLClient({ serverUrl: `${url}/`, token: 'secret' });
    expect(client.endpoint).toBe(`${url}/graphql`);
    await expect(client.request('query ($a: Int) { ok }', { a: 1 })).resolves.toEqual({ ok: true });
    await client.request('{ ok }', undefined);
    expect(seen).toEqual([
      { authorization: 'Bearer secret', body: { query: 'query ($a: Int) { ok }', variables: { a: 1 } } },
      { authorization: 'Bearer secret', body: { query: '{ ok }', variables: {} } },
    ]);
  });

  it('keeps the codes, problems and extensions of GraphQL errors; transient codes are retryable', async () => {
    answer = (response) =>
      response.end(
        JSON.stringify({
          errors: [
            { message: 'bad', extensions: { code: 'BAD_USER_INPUT', problems: ['task "a": missing "x"'] } },
            { message: 'no code' },
          ],
        }),
      );
    const refused = await failure(new GraphQLClient({ serverUrl: url }));
    expect(refused).toBeInstanceOf(GraphQLRequestError);
    expect(refused).toMatchObject({
      message: 'bad; no code',
      codes: ['BAD_USER_INPUT', 'UNKNOWN'],
      unreachable: false,
      retryable: false,
      status: 200,
    });
    expect(refused.errors[0]!.problems).toEqual(['task "a": missing "x"']);

    answer = (response) => {
      response.statusCode = 503;
      response.end(
        JSON.stringify({ errors: [{ message: 'db down', extensions: { code: 'SERVICE_UNAVAILABLE' } }] }),
      );
    };
    expect(await failure(new GraphQLClient({ serverUrl: url }))).toMatchObject({
      codes: ['SERVICE_UNAVAILABLE'],
      retryable: true,
    });
  });

  it('calls an answer that is not GraphQL, or no answer, unreachable', async () => {
    answer = (response) => {
      response.statusCode = 502;
      response.end('<html>Bad gateway</html>');
    };
    expect(await failure(new GraphQLClient({ serverUrl: url }))).toMatchObject({
      unreachable: true,
      retryable: true,
      status: 502,
    });
    answer = (response) => {
      response.statusCode = 404;
      response.end('{}');
    };
    expect(await failure(new GraphQLClient({ serverUrl: url }))).toMatchObject({
      unreachable: true,
      retryable: false,
      status: 404,
    });
    const down = await failure(new GraphQLClient({ serverUrl: 'http://127.0.0.1:9' }));
    expect(down).toMatchObject({ unreachable: true, retryable: true });
    expect(down.message).toMatch(/^cannot reach http:\/\/127\.0\.0\.1:9\/graphql: /);
  });

  it('finds the endpoint from a base URL or the endpoint itself', () => {
    expect(graphqlEndpoint('http://h:4000')).toBe('http://h:4000/graphql');
    expect(graphqlEndpoint('http://h:4000/graphql/')).toBe('http://h:4000/graphql');
  });
});
