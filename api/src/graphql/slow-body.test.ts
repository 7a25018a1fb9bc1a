import net from 'node:net';
import { Role } from '../domain';
import { createApiToken } from '../services/auth.service';
import { testDialects } from '../testing/databases';
import { startTestServer, type TestServer } from '../testing/server';

// A slow request body may not lock everyone else out of large bodies: each client (user, or address
// without a token) has a share of the large-body budget, and a body that trickles in slower than the
// minimum upload rate is cut with 408 REQUEST_TIMEOUT, which gives its share back.

const BODY_LIMIT = 256 * 1024;
const QUERY = '{ tools { name } }';

/** A JSON body of exactly `size` bytes asking QUERY. */
function bodyOf(size: number): Buffer {
  const prefix = JSON.stringify({ query: QUERY, extensions: { padding: '' } }).slice(0, -3);
  return Buffer.from(`${prefix}${'x'.repeat(size - prefix.length - 3)}"}}`);
}

interface RawAnswer {
  status: number;
  code: string | null;
}

/**
 * A POST on a raw socket that declares `body` but sends only `sent` bytes of it until `finish()` is
 * called (never, for a trickle). Resolves with the answer, whenever the server gives one.
 */
function heldPost(url: string, body: Buffer, sent: number, token?: string) {
  const { port } = new URL(url);
  const socket = net.connect(Number(port), '127.0.0.1');
  const headers = [
    'POST /graphql HTTP/1.1',
    `Host: 127.0.0.1:${port}`,
    'Content-Type: application/json',
    `Content-Length: ${body.length}`,
    ...(token ? [`Authorization: Bearer ${token}`] : []),
  ];
  socket.write(`${headers.join('\r\n')}\r\n\r\n`);
  socket.write(body.subarray(0, sent));
  const answer = new Promise<RawAnswer>((resolve, reject) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const status = /^HTTP\/1\.1 (\d+)/.exec(text);
      const end = text.indexOf('\r\n\r\n');
      if (!status || end < 0) return;
      const length = /content-length: (\d+)/i.exec(text.slice(0, end));
      if (!length || text.length - end - 4 < Number(length[1])) return;
      const payload = JSON.parse(text.slice(end + 4)) as { errors?: { extensions?: { code?: string } }[] };
      resolve({ status: Number(status[1]), code: payload.errors?.[0]?.extensions?.code ?? null });
    });
    socket.on('error', (error) => reject(error));
  });
  return {
    answer,
    finish: () => socket.write(body.subarray(sent)),
    close: () => socket.destroy(),
  };
}

async function post(url: string, body: Buffer, token?: string): Promise<RawAnswer> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  const payload = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
  return { status: response.status, code: payload.errors?.[0]?.extensions?.code ?? null };
}

describe.each(testDialects())('slow request bodies [%s]', (dialect) => {
  describe('with a share of the large-body budget per client', () => {
    let server: TestServer;
    const tokens = {} as Record<'alice' | 'bob', string>;

    beforeAll(async () => {
      // A minimum rate nobody falls under here: only the shares are tested.
      server = await startTestServer(dialect, {
        auth: true,
        bodyLimit: `${BODY_LIMIT}b`,
        minUploadBytesPerSecond: 0,
      });
      tokens.alice = (await createApiToken(server.db, { user: 'alice', role: Role.USER })).token;
      tokens.bob = (await createApiToken(server.db, { user: 'bob', role: Role.USER })).token;
    });
    afterAll(async () => server?.stop());

    it("one client's slow large body takes its share, not everyone's large bodies", async () => {
      // The held body must be admitted before alice's other bodies: if one of those is admitted first (the
      // server reads the two connections' headers in either order on a loaded machine), the held one is
      // refused SERVER_BUSY at once, and alice's next bodies are all read. Then it is held again.
      for (let tries = 1; ; tries += 1) {
        const held = heldPost(server.url, bodyOf(BODY_LIMIT - 1024), 1024, tokens.alice);
        let heldAnswer: RawAnswer | undefined;
        held.answer.then(
          (answer) => (heldAnswer = answer),
          () => undefined,
        );
        try {
          let refused = await post(server.url, bodyOf(BODY_LIMIT / 2), tokens.alice);
          while (refused.status !== 503 && heldAnswer === undefined) {
            expect(refused.status).toBe(200);
            refused = await post(server.url, bodyOf(BODY_LIMIT / 2), tokens.alice);
          }
          if (heldAnswer !== undefined && refused.status !== 503) {
            expect(heldAnswer).toEqual({ status: 503, code: 'SERVER_BUSY' });
            expect(tries).toBeLessThan(5);
            continue;
          }
          expect(refused.code).toBe('SERVER_BUSY');
          // Bob's large body is read meanwhile: the budget holds a body at the limit per client.
          expect(await post(server.url, bodyOf(BODY_LIMIT - 1024), tokens.bob)).toEqual({
            status: 200,
            code: null,
          });
          held.finish();
          expect(await held.answer).toEqual({ status: 200, code: null });
          return;
        } finally {
          held.close();
        }
      }
    }, 60_000);
  });

  describe('with a minimum upload rate', () => {
    let server: TestServer;

    beforeAll(async () => {
      server = await startTestServer(dialect, {
        bodyLimit: `${BODY_LIMIT}b`,
        minUploadBytesPerSecond: 64 * 1024,
        uploadGraceMs: 50,
      });
    });
    afterAll(async () => server?.stop());

    it('cuts a body that trickles in with 408 and gives its share back', async () => {
      const held = heldPost(server.url, bodyOf(BODY_LIMIT - 1024), 1024);
      try {
        expect(await held.answer).toEqual({ status: 408, code: 'REQUEST_TIMEOUT' });
      } finally {
        held.close();
      }
      // The same client's next large body is read: nothing of the cut one is left in the budget.
      expect(await post(server.url, bodyOf(BODY_LIMIT - 1024))).toEqual({ status: 200, code: null });
    }, 60_000);
  });
});
