import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeStatus, encodeTelemetryBatch } from '@fleetline/proto';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { TestBroker } from '../../../test-support/broker.js';
import { cleanupAfterEach } from '../../../test-support/cleanup.js';
import { eventually } from '../../../test-support/infra.js';
import { Delivery, uplinkOptions } from '../../src/agent/delivery.js';
import { agentMetrics } from '../../src/agent/metrics.js';
import { AGENT_VERSION } from '../../src/agent/version.js';
import { Spool } from '../../src/spool/spool.js';

// A closer may find its thing stopped by the test already.
const cleanup = cleanupAfterEach({ ignoreFailures: true });

async function spoolWith(batches: number): Promise<Spool> {
  const dir = mkdtempSync(join(tmpdir(), 'fleetline-delivery-'));
  cleanup.defer(async () => rmSync(dir, { recursive: true, force: true }));
  const spool = await Spool.open({ dir, maxBytes: 1024 * 1024 });
  cleanup.defer(() => spool.close());
  for (let i = 0; i < batches; i++) {
    await spool.add('telemetry', (seq, seqEpoch) =>
      encodeTelemetryBatch({ deviceId: 'veh-1', seq, seqEpoch, samples: [] }),
    );
  }
  return spool;
}

const gauge = async (g: { get(): Promise<{ values: { value: number }[] }> }) =>
  (await g.get()).values[0]?.value;

describe('uplinkOptions', () => {
  it('should pass the credentials given, and no others', () => {
    const base = { deviceId: 'veh-1', uplink: { url: 'mqtts://gw:8883' } };
    expect(uplinkOptions(base)).toEqual({
      url: 'mqtts://gw:8883',
      deviceId: 'veh-1',
      agentVersion: AGENT_VERSION,
      tls: {},
    });
    expect(
      uplinkOptions({ ...base, uplink: { ...base.uplink, username: 'veh-1', password: '' } }),
    ).toMatchObject({ username: 'veh-1', password: '' });
  });

  it('should read the TLS files it names, and only those', () => {
    const read: string[] = [];
    const readFile = (path: string) => {
      read.push(path);
      return Buffer.from(`pem of ${path}`);
    };
    const options = uplinkOptions(
      {
        deviceId: 'veh-1',
        uplink: { url: 'mqtts://gw:8883', caFile: '/etc/ca.pem', keyFile: '/etc/key.pem' },
      },
      readFile,
    );
    expect(read).toEqual(['/etc/ca.pem', '/etc/key.pem']);
    expect(options.tls).toEqual({
      ca: Buffer.from('pem of /etc/ca.pem'),
      key: Buffer.from('pem of /etc/key.pem'),
    });
  });
});

describe('Delivery', () => {
  it('should send the spool, report the connection, drain and close cleanly', async () => {
    const broker = await TestBroker.start();
    cleanup.defer(() => broker.stop());
    const spool = await spoolWith(3);
    const metrics = agentMetrics();
    const delivery = new Delivery(
      spool,
      { deviceId: 'veh-1', uplink: { url: broker.url } },
      metrics,
      pino({ level: 'silent' }),
    );
    cleanup.defer(() => delivery.close());
    await eventually(async () => (await gauge(metrics.uplinkOnline)) === 1, 'online gauge');
    expect(await delivery.drain(10_000)).toBe(true);
    expect(spool.stats().telemetryDepth).toBe(0);
    expect(broker.received.filter((r) => r.topic === 'v1/veh-1/telemetry')).toHaveLength(3);
    await delivery.close();
    // A clean close announces OFFLINE itself (a forced one leaves that to the last will).
    const status = broker.received.filter((r) => r.topic === 'v1/veh-1/status');
    expect(decodeStatus(status.at(-1)?.payload as Uint8Array).state).toBe('offline');
    expect(await gauge(metrics.uplinkOnline)).toBe(0);
  });

  it('should keep the spool when the broker is away, and close at once', async () => {
    const spool = await spoolWith(2);
    const delivery = new Delivery(
      spool,
      { deviceId: 'veh-1', uplink: { url: 'mqtt://127.0.0.1:1' } },
      agentMetrics(),
      pino({ level: 'silent' }),
    );
    expect(await delivery.drain(50)).toBe(false);
    await delivery.close();
    expect(delivery.uplink.state).toBe('closed');
    expect(spool.stats().telemetryDepth).toBe(2);
  });
});
