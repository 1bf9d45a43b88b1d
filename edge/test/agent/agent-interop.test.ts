import { join } from 'node:path';
import { decodeTelemetryBatch, signalId } from '@fleetline/proto';
import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { TestBroker } from '../../../test-support/broker.js';
import { eventually, reachable, requireInfra, uniqueName } from '../../../test-support/infra.js';
import { forgetDevices } from '../../../test-support/mosquitto.js';
import { makeTestPki } from '../../../test-support/tls.js';
import { startAgent } from '../../src/agent/agent.js';
import { validateAgentConfig } from '../../src/agent/config.js';
import { buildInputs } from '../../src/agent/inputs.js';
import {
  cleanupAfterEachTest,
  decodeUplink,
  demoDbc,
  demoMappings,
  quietLogger,
  tempDir,
  writeDriveLog,
} from './support.js';

/** The agent with brokers it does not control: the machine's Mosquitto, and a TLS broker that wants credentials. */

const MOSQUITTO = process.env.MOSQUITTO_URL ?? 'mqtt://127.0.0.1:1883';
const mosquittoUp = await reachable(new URL(MOSQUITTO).host, 1883);
if (!mosquittoUp && requireInfra)
  throw new Error(`REQUIRE_INFRA=1 but Mosquitto is not reachable at ${MOSQUITTO}`);

const cleanup = cleanupAfterEachTest();

async function driveAgent(dir: string, deviceId: string, uplink: Record<string, unknown>) {
  await writeDriveLog(join(dir, 'drive.log'), 5);
  const config = validateAgentConfig(
    {
      deviceId,
      uplink: { batchIntervalMs: 100, ...uplink },
      spool: { dir: 'spool' },
      can: { source: { type: 'candump', file: 'drive.log' }, dbc: demoDbc },
      signals: demoMappings,
      collection: { default: { kind: 'period', periodMs: 100 } },
      crash: { enabled: false },
    },
    dir,
  );
  const agent = await startAgent(config, quietLogger(), buildInputs);
  cleanup(() => agent.stop(3000));
  return agent;
}

describe.skipIf(!mosquittoUp)('agent with Mosquitto', () => {
  it('should publish batches an independent subscriber decodes', async () => {
    const deviceId = uniqueName('agent').replaceAll('_', '-');
    cleanup(() => forgetDevices(MOSQUITTO, [deviceId]));
    const sub = await mqtt.connectAsync(MOSQUITTO, { clientId: uniqueName('sub') });
    cleanup(() => sub.endAsync());
    const batches: Buffer[] = [];
    sub.on('message', (_t, p) => batches.push(p));
    await sub.subscribeAsync(`v1/${deviceId}/telemetry`, { qos: 1 });
    const agent = await driveAgent(tempDir(), deviceId, { url: MOSQUITTO });
    await eventually(
      () =>
        agent.spool.stats().telemetryDepth === 0 &&
        batches.length > 0 &&
        agent.pipeline.openBatchSize === 0,
      'the drive published',
      20_000,
    );
    const decoded = batches.map((b) => decodeTelemetryBatch(b));
    expect(decoded.every((b) => b.deviceId === deviceId)).toBe(true);
    const speeds = decoded
      .flatMap((b) => b.samples)
      .filter((s) => s.signalId === signalId('Vehicle.Speed'));
    // 5 s of log at a 100 ms collection period.
    expect(speeds.length).toBeGreaterThanOrEqual(45);
    expect(new Set(decoded.map((b) => b.seq)).size).toBe(decoded.length);
  });
});

describe('agent over TLS', () => {
  it('should connect with the CA it is given and its credentials, and be refused with wrong ones', async () => {
    const dir = tempDir();
    const pki = makeTestPki(dir);
    const broker = await TestBroker.start(
      0,
      { key: pki.serverKey, cert: pki.serverCert },
      { username: 'veh-tls', password: 's3cret-device-password' },
    );
    cleanup(() => broker.stop());
    const url = `mqtts://127.0.0.1:${broker.port}`;
    await driveAgent(dir, 'veh-tls', {
      url,
      caFile: pki.caFile,
      username: 'veh-tls',
      password: 's3cret-device-password',
    });
    await eventually(
      () => decodeUplink(broker.received, 'veh-tls').telemetry.length > 0,
      'telemetry over TLS',
      20_000,
    );

    const other = tempDir();
    await driveAgent(other, 'veh-wrong', {
      url,
      caFile: pki.caFile,
      username: 'veh-tls',
      password: 'wrong',
    });
    await eventually(() => broker.authFailures > 0, 'the refused connection', 20_000);
    expect(decodeUplink(broker.received, 'veh-wrong').telemetry).toEqual([]);
  });
});
