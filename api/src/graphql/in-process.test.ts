import { ErrorCode, GraphQLClient, GraphQLRequestError, type GraphQLTransport } from '@jobmon/core';
import { Role } from '../domain';
import { createApiToken, revokeApiToken } from '../services/auth.service';
import { testDialects } from '../testing/databases';
import { startTestServer, type TestServer } from '../testing/server';

// The in-process transport (the embedded distributor's): the same answers and the same refusals as the
// same requests over HTTP, with the caller's token checked at every request.

const VIEWER = '{ viewer { authRequired user role } }';
const REGISTER = `mutation ($input: RegisterDistributorInput!) {
  registerDistributor(input: $input) { id name owner }
}`;
const register = (name: string) => ({
  input: { name, backend: 'local', hostname: 'h', capacity: 2, queues: [{ name: 'local' }] },
});

/** The request's failure (it must fail). */
const failure = (transport: GraphQLTransport, query: string, variables?: Record<string, unknown>) =>
  transport.request(query, variables).then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error as GraphQLRequestError,
  );

describe.each(testDialects())('in-process transport [%s]', (dialect) => {
  let server: TestServer;
  let distributorToken: { id: number; token: string };
  let userToken: string;

  beforeAll(async () => {
    server = await startTestServer(dialect, { auth: true });
    const created = await createApiToken(server.db, { user: 'dora', role: Role.DISTRIBUTOR });
    distributorToken = { id: created.info.id, token: created.token };
    userToken = (await createApiToken(server.db, { user: 'ursula', role: Role.USER })).token;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('answers as over HTTP, as the token’s user', async () => {
    const http = new GraphQLClient({ serverUrl: server.url, token: distributorToken.token });
    const inProcess = server.inProcess(distributorToken.token);
    const viewer = await inProcess.request(VIEWER, undefined);
    expect(viewer).toEqual(await http.request(VIEWER, undefined));
    expect(viewer).toEqual({ viewer: { authRequired: true, user: 'dora', role: 'DISTRIBUTOR' } });
    const registered = await inProcess.request<
      { registerDistributor: { name: string; owner: string } },
      unknown
    >(REGISTER, register('in-process'));
    expect(registered.registerDistributor).toMatchObject({ name: 'in-process', owner: 'dora' });
  });

  it('refuses what HTTP refuses, with the same codes', async () => {
    const viaHttp = await failure(
      new GraphQLClient({ serverUrl: server.url, token: userToken }),
      REGISTER,
      register('u'),
    );
    const inProcess = await failure(server.inProcess(userToken), REGISTER, register('u'));
    expect(viaHttp.codes).toEqual([ErrorCode.FORBIDDEN]);
    expect(inProcess.codes).toEqual(viaHttp.codes);
    expect(inProcess.retryable).toBe(false);
    // Without a token, on a server that wants one.
    expect((await failure(server.inProcess(undefined), REGISTER, register('n'))).codes).toEqual(
      (await failure(new GraphQLClient({ serverUrl: server.url }), REGISTER, register('n'))).codes,
    );
  });

  it('checks the token at every request: a revoked one is refused at once', async () => {
    const { id, token } = await createApiToken(server.db, { user: 'dora', role: Role.DISTRIBUTOR }).then(
      (created) => ({ id: created.info.id, token: created.token }),
    );
    const inProcess = server.inProcess(token);
    await inProcess.request(VIEWER, undefined);
    await revokeApiToken(server.db, id, null, server.tokens);
    const refused = await failure(inProcess, VIEWER);
    expect(refused.codes).toEqual([ErrorCode.UNAUTHENTICATED]);
    expect(refused.status).toBe(401);
    expect(refused.retryable).toBe(false);
  });
});
