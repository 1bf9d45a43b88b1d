import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createLogger,
  EmbeddedLog,
  fleetlineTopics,
  Registry,
  SqliteTelemetryDb,
} from '@fleetline/platform';
import { decodeTelemetryBatch, kafkaTopics } from '@fleetline/proto';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/infra.js';
import { repoRoot, Service } from '../../test-support/process.js';
import { makeTestPki } from '../../test-support/tls.js';
import { generateSecret, hashSecret } from '../src/credentials.js';
import { startGateway } from '../src/gateway.js';
import { RegistryIdentity } from '../src/registry-identity.js';

/** The real edge agent as a registered device, over TLS with its credentials, into the log. */

const dir = mkdtempSync(join(tmpdir(), 'fleetline-edge-gw-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('edge agent → gateway over TLS', () => {
  it('should deliver the agent’s batches into the log as a registered device', async () => {
    const pki = makeTestPki(dir);
    const telemetryDb = new SqliteTelemetryDb({
      path: join(dir, 'store.sqlite'),
      samplesTtlDays: 0,
    });
    const log = new EmbeddedLog({ path: join(dir, 'log.sqlite'), defaultPartitions: 1 });
    await log.ensureTopics(fleetlineTopics({ topicPartitions: 1, topicReplication: 1 }));
    const secret = generateSecret();
    await telemetryDb.addDevice({
      deviceId: 'edge-tls-1',
      secretHash: await hashSecret(secret),
      createdMs: 1,
    });
    const gateway = await startGateway({
      host: '127.0.0.1',
      port: 0,
      tls: { port: 0, key: pki.serverKey, cert: pki.serverCert },
      gatewayId: 'gw-edge',
      producer: await log.createProducer(),
      identity: new RegistryIdentity(telemetryDb),
      logger: createLogger('gateway-test', 'silent'),
      metrics: new Registry(),
    });
    const batches: { deviceId: string; seq: number; samples: number }[] = [];
    const consumer = await log.consume({
      groupId: 'edge-check',
      topics: [kafkaTopics.telemetry],
      handle: async (records) => {
        for (const r of records) {
          const b = decodeTelemetryBatch(r.value);
          batches.push({ deviceId: b.deviceId, seq: b.seq, samples: b.samples.length });
        }
      },
    });
    const config = join(dir, 'agent.json');
    writeFileSync(
      config,
      JSON.stringify({
        deviceId: 'edge-tls-1',
        logLevel: 'warn',
        uplink: {
          url: `mqtts://127.0.0.1:${gateway.tlsPort}`,
          caFile: pki.caFile,
          username: 'edge-tls-1',
          password: secret,
          batchIntervalMs: 200,
        },
        spool: { dir: join(dir, 'spool') },
        can: {
          source: { type: 'candump', file: join(repoRoot, 'edge/examples/drive.log') },
          dbc: join(repoRoot, 'simulator/dbc/fleetline-demo.dbc'),
        },
        signals: [{ from: 'can.VEHICLE_DYNAMICS.SPEED', to: 'Vehicle.Speed' }],
        collection: { default: { kind: 'period', periodMs: 1 } },
        crash: { enabled: false },
      }),
    );
    const agent = Service.start('agent', 'edge/bin/fleetline-edge.js', {}, [
      'run',
      '--config',
      config,
    ]);
    try {
      // The drive holds 6,000 VEHICLE_DYNAMICS frames; every speed sample reaches the log.
      const total = () => batches.reduce((n, b) => n + b.samples, 0);
      await eventually(() => total() >= 6000, 'the whole drive in the log', 30_000);
      expect(total()).toBe(6000);
      expect(batches.every((b) => b.deviceId === 'edge-tls-1')).toBe(true);
      expect(await agent.stop()).toBe(0);
    } catch (err) {
      console.error(agent.tail(30));
      throw err;
    } finally {
      await agent.kill();
      await consumer.close();
      await gateway.close();
      await log.close();
      await telemetryDb.close();
    }
  }, 60_000);
});
