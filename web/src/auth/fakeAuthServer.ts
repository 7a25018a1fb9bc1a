// Component tests only: a fake Jobmon API behind the real Apollo Client of createApolloClient (its fetch
// and its WebSocket), answering as the API does with authentication on or off: `viewer` always (an
// unknown token: UNAUTHENTICATED), any other query (`{ probe }`) only with a known token (HTTP 401
// otherwise), and a graphql-ws connection_init with a refused token closed with 4401.

export interface FakeUser {
  user: string;
  role: 'USER' | 'DISTRIBUTOR' | 'ADMIN';
}

interface GraphqlRequest {
  operationName: string | null;
  query: string;
}

export class FakeAuthServer {
  /** Token → its user; delete one to revoke it. */
  readonly tokens = new Map<string, FakeUser>();
  /** Operation names and Authorization headers of the HTTP requests, in order. */
  readonly requests: { operationName: string | null; authorization: string | null }[] = [];
  /** connection_init payloads of the WebSocket connections, in order. */
  readonly connectionInits: unknown[] = [];
  readonly sockets: FakeWebSocket[] = [];

  /** While true, every request fails as when the server cannot be reached. */
  unreachable = false;

  constructor(public authRequired: boolean) {}

  /** The fetch for createApolloClient. */
  readonly fetch = async (_url: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const headers = (init?.headers ?? {}) as Record<string, string>;
    const authorization = headers.authorization ?? null;
    if (this.unreachable) throw new TypeError('Failed to fetch');
    const request = JSON.parse(String(init?.body)) as GraphqlRequest;
    this.requests.push({ operationName: request.operationName, authorization });
    const principal = this.principal(authorization);
    if (principal === 'refused')
      return fakeResponse(401, {
        errors: [{ message: 'Invalid token: unknown or revoked', extensions: { code: 'UNAUTHENTICATED' } }],
      });
    if (request.operationName === 'Viewer')
      return fakeResponse(200, {
        data: {
          viewer: {
            __typename: 'Viewer',
            authRequired: this.authRequired,
            user: this.authRequired ? (principal?.user ?? null) : null,
            role: this.authRequired ? (principal?.role ?? null) : null,
          },
        },
      });
    if (this.authRequired && !principal)
      return fakeResponse(401, {
        errors: [{ message: 'Authentication required', extensions: { code: 'UNAUTHENTICATED' } }],
      });
    return fakeResponse(200, { data: { probe: 'ok' } });
  };

  /** The WebSocket class for createApolloClient. */
  readonly WebSocket: typeof FakeWebSocket = fakeWebSocketClass(this);

  /** null: no token; 'refused': an unknown (or revoked) one. */
  principal(authorization: string | null | undefined): FakeUser | null | 'refused' {
    if (!authorization) return null;
    const token = /^Bearer (\S+)$/.exec(authorization)?.[1];
    return (token && this.tokens.get(token)) || 'refused';
  }
}

function fakeWebSocketClass(server: FakeAuthServer): typeof FakeWebSocket {
  return class extends FakeWebSocket {
    constructor(url: string, protocol: string) {
      super(url, protocol, server);
    }
  };
}

function fakeResponse(status: number, body: unknown): Response {
  const text = JSON.stringify(body);
  return {
    status,
    ok: status < 300,
    headers: new Map([['content-type', 'application/json; charset=utf-8']]),
    text: async () => text,
  } as unknown as Response;
}

/** Enough of a browser WebSocket for graphql-ws, speaking graphql-transport-ws as the API does. */
export class FakeWebSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;

  readyState = FakeWebSocket.CONNECTING;
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number; reason: string; wasClean: boolean }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  /** Subscriptions open on this socket: id → operation name. */
  readonly subscriptions = new Map<string, string | null>();

  constructor(
    readonly url: string,
    readonly protocol: string,
    private readonly server: FakeAuthServer,
  ) {
    server.sockets.push(this);
    setTimeout(() => {
      if (this.readyState !== FakeWebSocket.CONNECTING) return;
      this.readyState = FakeWebSocket.OPEN;
      this.onopen?.();
    }, 0);
  }

  send(data: string): void {
    const message = JSON.parse(data) as { type: string; id?: string; payload?: Record<string, unknown> };
    if (message.type === 'connection_init') {
      this.server.connectionInits.push(message.payload);
      const principal = this.server.principal(message.payload?.authorization as string | undefined);
      if (principal === 'refused' || (this.server.authRequired && !principal))
        this.closeFromServer(4401, 'Unauthorized');
      else this.receive({ type: 'connection_ack' });
    } else if (message.type === 'subscribe')
      this.subscriptions.set(message.id!, (message.payload?.operationName as string | undefined) ?? null);
    else if (message.type === 'complete') this.subscriptions.delete(message.id!);
  }

  close(code = 1000, reason = ''): void {
    if (this.readyState === FakeWebSocket.CLOSED) return;
    this.readyState = FakeWebSocket.CLOSED;
    setTimeout(() => this.onclose?.({ code, reason, wasClean: true }), 0);
  }

  /** The server closes the connection (e.g. 4401 when the token was revoked). */
  closeFromServer(code: number, reason: string): void {
    this.close(code, reason);
  }

  private receive(message: unknown): void {
    setTimeout(() => {
      if (this.readyState === FakeWebSocket.OPEN) this.onmessage?.({ data: JSON.stringify(message) });
    }, 0);
  }
}
