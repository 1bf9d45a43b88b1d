import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, EmbeddedLog, Registry, SqliteStore } from '@fleetline/platform';
import { generateSecret, hashSecret } from '../src/credentials.js';
import { type GatewayOptions, type RunningGateway, startGateway } from '../src/gateway.js';
import { RegistryIdentity } from '../src/registry-identity.js';

/**
 * Gateways under test with a registry (SQLite) and a log (embedded) of their own in a
 * temporary folder; close() stops them all and removes the folder.
 */
export class GatewayHarness {
  readonly dir: string;
  readonly store: SqliteStore;
  readonly log: EmbeddedLog;
  readonly metrics = new Registry();
  /** The secret of every device registered here. */
  readonly secrets = new Map<string, string>();
  private readonly gateways: RunningGateway[] = [];

  constructor(name: string) {
    this.dir = mkdtempSync(join(tmpdir(), `fleetline-${name}-`));
    this.store = new SqliteStore({ path: join(this.dir, 'store.sqlite'), samplesTtlDays: 0 });
    this.log = new EmbeddedLog({ path: join(this.dir, 'log.sqlite'), defaultPartitions: 1 });
  }

  /** Registers a device with a fresh secret (and revokes it at once with `revoked`). */
  async register(deviceId: string, { revoked = false } = {}): Promise<string> {
    const secret = generateSecret();
    this.secrets.set(deviceId, secret);
    const secretHash = await hashSecret(secret);
    await this.store.addDevice({ deviceId, secretHash, createdMs: Date.now() });
    if (revoked) await this.store.revokeDevice(deviceId, Date.now());
    return secret;
  }

  /** A gateway on loopback, any free port, authenticating against this registry by default. */
  async start(options: Partial<GatewayOptions> = {}): Promise<RunningGateway> {
    const gateway = await startGateway({
      host: '127.0.0.1',
      port: 0,
      gatewayId: `gw-${this.gateways.length + 1}`,
      producer: await this.log.createProducer(),
      identity: new RegistryIdentity(this.store),
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
    await this.store.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
