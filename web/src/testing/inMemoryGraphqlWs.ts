import { makeServer, type ServerOptions, type SubscribePayload } from 'graphql-ws';

// A graphql-ws server (the library's own protocol core, makeServer) and the WebSocket class a graphql-ws
// client connects to it with, in memory: a test of the client side drives real graphql-ws on both ends,
// without a network or a Jobmon server, and can drop the connection when it chooses.

interface CloseEventLike {
  code: number;
  reason: string;
  wasClean: boolean;
}

export interface InMemoryGraphqlWs {
  /** For createClient's webSocketImpl. */
  readonly WebSocket: new (url: string, protocol: string) => unknown;
  /** The payload of every subscribe message the clients sent, in order. */
  readonly subscribes: SubscribePayload[];
  /** Errors the server's message handling threw (a test expects none). */
  readonly serverErrors: unknown[];
  /** Drops every open connection as a network failure does (close code 1006: the client reconnects). */
  drop(): void;
}

export function inMemoryGraphqlWs(options: ServerOptions): InMemoryGraphqlWs {
  const server = makeServer(options);
  const subscribes: SubscribePayload[] = [];
  const serverErrors: unknown[] = [];
  const open = new Set<MemoryWebSocket>();

  class MemoryWebSocket {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSING = 2;
    static readonly CLOSED = 3;

    readyState = MemoryWebSocket.CONNECTING;
    onopen: (() => void) | null = null;
    onclose: ((event: CloseEventLike) => void) | null = null;
    onerror: ((event: unknown) => void) | null = null;
    onmessage: ((event: { data: string }) => void) | null = null;
    private toServer: (data: string) => Promise<void> = async () => {};
    private serverClosed: (code?: number, reason?: string) => Promise<void> = async () => {};

    constructor(
      _url: string,
      readonly protocol: string,
    ) {
      // Opens after the client has set its handlers, as a real socket does.
      queueMicrotask(() => {
        if (this.readyState === MemoryWebSocket.CLOSED) return;
        this.serverClosed = server.opened(
          {
            protocol,
            send: (data) => {
              if (this.readyState === MemoryWebSocket.OPEN) this.onmessage?.({ data });
            },
            close: (code, reason) =>
              this.closed({ code: code ?? 1000, reason: reason ?? '', wasClean: true }),
            onMessage: (handle) => (this.toServer = handle),
          },
          {},
        );
        this.readyState = MemoryWebSocket.OPEN;
        open.add(this);
        this.onopen?.();
      });
    }

    send(data: string): void {
      const message = JSON.parse(data) as { type: string; payload?: SubscribePayload };
      if (message.type === 'subscribe' && message.payload)
        subscribes.push(JSON.parse(JSON.stringify(message.payload)) as SubscribePayload);
      // Not awaited: the server's handler of a subscribe message resolves only when the subscription ends.
      this.toServer(data).catch((error: unknown) => serverErrors.push(error));
    }

    close(code = 1000, reason = ''): void {
      this.closed({ code, reason, wasClean: true });
    }

    closed(event: CloseEventLike): void {
      if (this.readyState === MemoryWebSocket.CLOSED) return;
      this.readyState = MemoryWebSocket.CLOSED;
      open.delete(this);
      this.serverClosed(event.code, event.reason).catch((error: unknown) => serverErrors.push(error));
      this.onclose?.(event);
    }
  }

  return {
    WebSocket: MemoryWebSocket,
    subscribes,
    serverErrors,
    drop() {
      for (const socket of [...open]) socket.closed({ code: 1006, reason: '', wasClean: false });
    },
  };
}
