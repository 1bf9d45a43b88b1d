import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, EmbeddedLog, Registry, SqliteTelemetryDb } from '@fleetline/platform';
import mqttPacket from 'mqtt-packet';
import { generateSecret, hashSecret } from '../src/credentials.js';
import { type GatewayOptions, type RunningGateway, startGateway } from '../src/gateway.js';
import { RegistryIdentity } from '../src/registry-identity.js';

/**
 * Gateways under test with a registry (SQLite) and a log (embedded) of their own in a
 * temporary folder; close() stops them all and removes the folder.
 */
export class GatewayHarness {
  readonly dir: string;
  readonly telemetryDb: SqliteTelemetryDb;
  readonly log: EmbeddedLog;
  readonly metrics = new Registry();
  /** The secret of every device registered here. */
  readonly secrets = new Map<string, string>();
  private readonly gateways: RunningGateway[] = [];

  constructor(name: string) {
    this.dir = mkdtempSync(join(tmpdir(), `fleetline-${name}-`));
    this.telemetryDb = new SqliteTelemetryDb({
      path: join(this.dir, 'store.sqlite'),
      samplesTtlDays: 0,
    });
    this.log = new EmbeddedLog({ path: join(this.dir, 'log.sqlite'), defaultPartitions: 1 });
  }

  /** Registers a device with a fresh secret (and revokes it at once with `revoked`). */
  async register(deviceId: string, { revoked = false } = {}): Promise<string> {
    const secret = generateSecret();
    this.secrets.set(deviceId, secret);
    const secretHash = await hashSecret(secret);
    await this.telemetryDb.addDevice({ deviceId, secretHash, createdMs: Date.now() });
    if (revoked) await this.telemetryDb.revokeDevice(deviceId, Date.now());
    return secret;
  }

  /** A gateway on loopback, any free port, authenticating against this registry by default. */
  async start(options: Partial<GatewayOptions> = {}): Promise<RunningGateway> {
    const gateway = await startGateway({
      host: '127.0.0.1',
      port: 0,
      gatewayId: `gw-${this.gateways.length + 1}`,
      producer: await this.log.createProducer(),
      identity: new RegistryIdentity(this.telemetryDb),
      logger: createLogger('gateway-test', 'silent'),
      metrics: this.metrics,
      ...options,
    });
    this.gateways.push(gateway);
    return gateway;
  }

  /** The values of a counter by one label, e.g. refusals by reason. */
  async counts(metric: string, label: string): Promise<Record<string, number>> {
    const m = await this.metrics.getSingleMetric(metric)?.get();
    return Object.fromEntries((m?.values ?? []).map((v) => [String(v.labels[label]), v.value]));
  }

  async close(): Promise<void> {
    for (const g of this.gateways.splice(0).reverse()) await g.close();
    await this.log.close();
    await this.telemetryDb.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A raw MQTT 3.1.1 connection: packets written as given, packets read as parsed. */
export class RawClient {
  readonly packets: mqttPacket.Packet[] = [];
  readonly closed: Promise<void>;
  private waiters: (() => void)[] = [];
  /** Packets before this index were returned by next() already. */
  private read = 0;

  private constructor(readonly socket: Socket) {
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    parser.on('packet', (p) => {
      this.packets.push(p);
      for (const w of this.waiters.splice(0)) w();
    });
    socket.on('data', (d) => parser.parse(d));
    socket.on('error', () => {});
    this.closed = new Promise((r) =>
      socket.once('close', () => {
        for (const w of this.waiters.splice(0)) w();
        r();
      }),
    );
  }

  /**
   * Opens a TCP connection to the gateway on loopback. `localAddress` picks the source
   * address (any 127.x.y.z on Linux), so one test can speak from several addresses.
   */
  static async open(port: number, localAddress = '127.0.0.1'): Promise<RawClient> {
    const socket = connect({ host: '127.0.0.1', port, localAddress });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawClient(socket);
  }

  send(packet: mqttPacket.Packet): void {
    this.socket.write(mqttPacket.generate(packet));
  }

  /**
   * The next packet of a kind not returned before (packets of other kinds in between are
   * passed over), or undefined when the connection closes first.
   */
  async next<C extends mqttPacket.Packet['cmd']>(
    cmd: C,
  ): Promise<Extract<mqttPacket.Packet, { cmd: C }> | undefined> {
    for (;;) {
      const i = this.packets.findIndex((p, n) => n >= this.read && p.cmd === cmd);
      if (i >= 0) {
        this.read = i + 1;
        return this.packets[i] as Extract<mqttPacket.Packet, { cmd: C }>;
      }
      if (this.socket.destroyed || this.socket.readableEnded) return undefined;
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

/**
 * Connects on a raw socket and resolves with the CONNACK return code ('closed' when the
 * connection ends without one) and the time it took; the connection is closed after.
 */
export async function rawConnack(
  port: number,
  o: { clientId: string; username?: string; password?: string; localAddress?: string },
): Promise<{ code: number | 'closed'; ms: number }> {
  const started = performance.now();
  const c = await RawClient.open(port, o.localAddress);
  try {
    c.send({
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: 4,
      clean: true,
      keepalive: 30,
      clientId: o.clientId,
      ...(o.username === undefined ? {} : { username: o.username }),
      ...(o.password === undefined ? {} : { password: Buffer.from(o.password) }),
    });
    const connack = await c.next('connack');
    return { code: connack?.returnCode ?? 'closed', ms: performance.now() - started };
  } finally {
    c.close();
  }
}
