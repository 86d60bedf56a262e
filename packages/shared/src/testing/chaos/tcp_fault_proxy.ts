import { createServer, type Server, type Socket, connect } from "node:net";

/**
 * A loopback TCP relay placed between the function instances and an emulator, so a test can
 * cut the link at an exact moment: `cut()` resets every open connection and refuses new
 * ones (what clients see when the server dies), `restore()` relays again. The emulator
 * behind it can then be stopped and restarted on its own port while no client reaches it.
 */
export class TcpFaultProxy {
  private readonly sockets = new Set<Socket>();
  private open = true;

  private constructor(
    private readonly server: Server,
    /** `127.0.0.1:PORT`, the value for the instances' `*_EMULATOR_HOST`. */
    readonly host: string,
    private readonly target: { host: string; port: number },
  ) {}

  /** Listens on a free loopback port and relays to `targetHost` (`127.0.0.1:PORT`). */
  static async start(targetHost: string): Promise<TcpFaultProxy> {
    const [host, port] = targetHost.split(":");
    let proxy: TcpFaultProxy | undefined;
    const server = createServer((socket) => proxy?.accept(socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const listenPort = typeof address === "object" && address ? address.port : 0;
    proxy = new TcpFaultProxy(server, `127.0.0.1:${listenPort}`, {
      host: host ?? "127.0.0.1",
      port: Number(port),
    });
    return proxy;
  }

  /** Resets every relayed connection and refuses new ones until `restore()`. */
  cut(): void {
    this.open = false;
    for (const socket of this.sockets) socket.resetAndDestroy();
    this.sockets.clear();
  }

  /** Relays new connections again. */
  restore(): void {
    this.open = true;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    if (!this.open) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(this.target.port, this.target.host);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
      // A reset on one side is passed on to the other; the error itself is expected.
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
