import net from 'node:net';

/**
 * A TCP relay in front of a server (a database, an API server) that a test can break as a network
 * failure, a load balancer or a restart would:
 * - `cut()` drops every connection and stops listening, until `open()` listens again on the same port;
 * - `cutWebSockets()` drops the open WebSocket connections only and holds new ones (connected to
 *   nothing, like a server that is not back yet) until `reopenWebSockets()`, while plain HTTP requests go
 *   on working (an HTTP request cut in flight would make a test depend on timing).
 * Bytes pass through unchanged and at once, whichever side speaks first (MySQL's server does).
 */
export class Relay {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  private readonly webSockets = new Set<net.Socket>();
  private readonly waiting: { client: net.Socket; head: Buffer }[] = [];
  private holdingWebSockets = false;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  /** A relay listening on a free local port to the server at `targetUrl` (http://host:port). */
  static async start(targetUrl: string): Promise<Relay> {
    const target = new URL(targetUrl);
    const relay = new Relay({ host: target.hostname, port: Number(target.port) });
    await relay.open();
    return relay;
  }

  /** The relay's base URL (http://127.0.0.1:port), for a relay in front of an HTTP server. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Listens (again, on the same port after a cut). */
  async open(): Promise<void> {
    const server = net.createServer((client) => this.accept(client));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as net.AddressInfo).port;
  }

  /** Drops every connection through it and stops listening. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    for (const { client } of this.waiting.splice(0)) client.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  /** Drops every open WebSocket connection; new ones wait until reopenWebSockets(). */
  cutWebSockets(): void {
    this.holdingWebSockets = true;
    for (const socket of this.webSockets) socket.destroy();
    this.webSockets.clear();
  }

  /** Lets the held WebSocket connections, and new ones, through again. */
  reopenWebSockets(): void {
    this.holdingWebSockets = false;
    for (const { client, head } of this.waiting.splice(0)) {
      if (client.destroyed) continue;
      this.webSockets.add(client);
      this.forward(client, head);
    }
  }

  /** Drops everything and stops listening for good. */
  async close(): Promise<void> {
    await this.cut();
  }

  private accept(client: net.Socket): void {
    this.sockets.add(client);
    client.on('close', () => {
      this.sockets.delete(client);
      this.webSockets.delete(client);
    });
    client.on('error', () => client.destroy());
    if (!this.holdingWebSockets) {
      this.forward(client, undefined);
      // The first bytes say whether this is a WebSocket handshake (an HTTP request with Upgrade).
      client.once('data', (head: Buffer) => {
        if (isWebSocketHandshake(head)) this.webSockets.add(client);
      });
      return;
    }
    // Holding: a WebSocket handshake waits; anything else goes through (HTTP clients speak first).
    client.once('data', (head: Buffer) => {
      client.pause();
      if (isWebSocketHandshake(head) && this.holdingWebSockets) {
        this.waiting.push({ client, head });
        return;
      }
      if (isWebSocketHandshake(head)) this.webSockets.add(client);
      this.forward(client, head);
    });
  }

  /** Connects `client` to the target; `head`: bytes already read from the client. */
  private forward(client: net.Socket, head: Buffer | undefined): void {
    const upstream = net.connect(this.target.port, this.target.host);
    this.sockets.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(upstream);
    };
    for (const socket of [client, upstream]) {
      socket.on('error', drop);
      socket.on('close', drop);
    }
    if (head) upstream.write(head);
    client.pipe(upstream);
    upstream.pipe(client);
    client.resume();
  }
}

function isWebSocketHandshake(head: Buffer): boolean {
  return /^upgrade:\s*websocket/im.test(head.toString('latin1'));
}
