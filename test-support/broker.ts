import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';
import { Aedes } from 'aedes';

/**
 * A real MQTT broker (aedes on a TCP or TLS socket) for edge tests that need to stop and
 * restart "the cloud" or look at exactly what arrived. Every PUBLISH it receives is recorded
 * in arrival order.
 */
export interface Received {
  topic: string;
  payload: Buffer;
  clientId: string | undefined;
}

export class TestBroker {
  readonly received: Received[] = [];
  private broker: Aedes | undefined;
  private server: Server | undefined;
  private readonly sockets = new Set<import('node:net').Socket>();

  /** Connections refused for bad credentials. */
  authFailures = 0;

  private constructor(
    readonly port: number,
    private readonly tls: TlsOptions | undefined,
    private readonly credentials: { username: string; password: string } | undefined,
  ) {}

  static async start(
    port = 0,
    tls?: TlsOptions,
    credentials?: { username: string; password: string },
  ): Promise<TestBroker> {
    const b = new TestBroker(port, tls, credentials);
    return b.listen();
  }

  get url(): string {
    return `${this.tls ? 'mqtts' : 'mqtt'}://127.0.0.1:${this.port}`;
  }

  private async listen(): Promise<TestBroker> {
    const credentials = this.credentials;
    const broker = await Aedes.createBroker({
      authenticate: (_client, username, password, done) => {
        if (
          !credentials ||
          (username === credentials.username && password?.toString() === credentials.password)
        ) {
          return done(null, true);
        }
        this.authFailures++;
        done(
          Object.assign(new Error('bad username or password'), { returnCode: 4 as const }),
          false,
        );
      },
    });
    broker.on('publish', (packet, client) => {
      if (!client) return; // broker-internal ($SYS) messages
      this.received.push({
        topic: packet.topic,
        payload: Buffer.from(packet.payload),
        clientId: client.id,
      });
    });
    const handler = (socket: import('node:net').Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      broker.handle(socket);
    };
    const server = this.tls ? createTlsServer(this.tls, handler) : createServer(handler);
    server.listen(this.port, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    (this as { port: number }).port =
      typeof address === 'object' && address ? address.port : this.port;
    this.broker = broker;
    this.server = server;
    return this;
  }

  /** Stops listening and drops every connection (a broker outage). */
  async stop(): Promise<void> {
    const server = this.server;
    const broker = this.broker;
    this.server = undefined;
    this.broker = undefined;
    // Stop accepting first, then cut every connection, as a crashed broker would.
    const closed = new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((r) => (broker ? broker.close(() => r()) : r()));
    await closed;
  }

  /** Starts again on the same port. */
  async restart(): Promise<void> {
    await this.listen();
  }
}
