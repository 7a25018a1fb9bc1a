import net from 'node:net';

/**
 * A TCP proxy in front of a test server that can drop WebSocket connections, as a network failure, a
 * load balancer or a server restart would, while plain HTTP requests keep working (an HTTP request cut in
 * flight would make a test depend on timing). `cut()` drops every open WebSocket connection and holds new
 * ones (they wait, connected to nothing, like a server that is not back yet) until `reopen()`.
 */
export class TcpProxy {
  private readonly webSockets = new Set<net.Socket>();
  private readonly sockets = new Set<net.Socket>();
  private readonly waiting: { client: net.Socket; head: Buffer }[] = [];
  private held = false;

  private constructor(
    private readonly server: net.Server,
    private readonly target: { host: string; port: number },
  ) {}

  /** A proxy on a free local port to the server at `targetUrl` (http://host:port). */
  static async start(targetUrl: string): Promise<TcpProxy> {
    const target = new URL(targetUrl);
    const server = net.createServer();
    const proxy = new TcpProxy(server, { host: target.hostname, port: Number(target.port) });
    server.on('connection', (socket) => proxy.accept(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  /** Drops every open WebSocket connection; new ones wait until reopen(). */
  cut(): void {
    this.held = true;
    for (const socket of this.webSockets) socket.destroy();
    this.webSockets.clear();
  }

  reopen(): void {
    this.held = false;
    for (const { client, head } of this.waiting.splice(0))
      if (!client.destroyed) this.forward(client, head, true);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    for (const { client } of this.waiting.splice(0)) client.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    this.sockets.add(client);
    client.on('close', () => this.sockets.delete(client));
    client.on('error', () => client.destroy());
    // The first bytes say whether this is a WebSocket handshake (an HTTP request with Upgrade).
    client.once('data', (head: Buffer) => {
      client.pause();
      const webSocket = /^upgrade:\s*websocket/im.test(head.toString('latin1'));
      if (webSocket && this.held) this.waiting.push({ client, head });
      else this.forward(client, head, webSocket);
    });
  }

  private forward(client: net.Socket, head: Buffer, webSocket: boolean): void {
    const upstream = net.connect(this.target.port, this.target.host);
    this.sockets.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      this.webSockets.delete(client);
      this.sockets.delete(upstream);
    };
    if (webSocket) this.webSockets.add(client);
    for (const socket of [client, upstream]) {
      socket.on('error', drop);
      socket.on('close', drop);
    }
    upstream.write(head);
    client.pipe(upstream);
    upstream.pipe(client);
    client.resume();
  }
}
