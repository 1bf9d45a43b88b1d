import { mkdtempSync, rmSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, EmbeddedLog, Registry } from '@fleetline/platform';
import { mqttTopic } from '@fleetline/proto';
import mqtt from 'mqtt';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/infra.js';
import { type GatewayOptions, type RunningGateway, startGateway } from '../src/gateway.js';
import { clientIdIdentity } from '../src/identity.js';

/**
 * The gateway's bounds: packet size (cut before the body is read), new connections per
 * address, open connections. Each refusal is counted by reason; devices within the bounds
 * carry on.
 */

const dir = mkdtempSync(join(tmpdir(), 'fleetline-limits-'));
const log = new EmbeddedLog({ path: join(dir, 'log.sqlite'), defaultPartitions: 1 });
const running: (RunningGateway | mqtt.MqttClient)[] = [];
afterEach(async () => {
  for (const r of running.splice(0).reverse()) {
    if (r instanceof mqtt.MqttClient) await r.endAsync(true);
    else await r.close();
  }
});
afterAll(async () => {
  await log.close();
  rmSync(dir, { recursive: true, force: true });
});

async function gateway(limits: Partial<GatewayOptions>) {
  const metrics = new Registry();
  const g = await startGateway({
    host: '127.0.0.1',
    port: 0,
    gatewayId: 'gw-limits',
    producer: await log.createProducer(),
    identity: clientIdIdentity,
    logger: createLogger('gateway-test', 'silent'),
    metrics,
    ...limits,
  });
  running.push(g);
  const refused = async (reason: string) => {
    const m = await metrics.getSingleMetric('fleetline_gateway_connections_refused_total')?.get();
    return m?.values.find((v) => v.labels.reason === reason)?.value ?? 0;
  };
  return { g, url: `mqtt://127.0.0.1:${g.port}`, refused };
}

/** Connects; resolves true on CONNACK, false when the connection closes first. */
async function connects(url: string, clientId: string): Promise<boolean> {
  const client = mqtt.connect(url, { clientId, reconnectPeriod: 0, connectTimeout: 5000 });
  running.push(client);
  return new Promise((resolve) => {
    client.once('connect', () => resolve(true));
    client.once('close', () => resolve(false));
  });
}

describe('gateway limits', () => {
  it('should cut a connection at an oversized packet, count it, and keep serving others', async () => {
    const { url, refused } = await gateway({ maxPacketBytes: 4096 });
    const big = await mqtt.connectAsync(url, { clientId: 'big-1', reconnectPeriod: 0 });
    running.push(big);
    const small = await mqtt.connectAsync(url, { clientId: 'small-1', reconnectPeriod: 0 });
    running.push(small);
    const closed = new Promise<void>((r) => big.once('close', () => r()));
    let acked = false;
    big.publish(mqttTopic('big-1', 'telemetry'), Buffer.alloc(10_000), { qos: 1 }, (err) => {
      if (!err) acked = true;
    });
    await closed;
    expect(acked).toBe(false);
    expect(await refused('oversized-packet')).toBe(1);
    // Just under the limit still passes (the gateway dead-letters it, and acknowledges).
    await small.publishAsync(mqttTopic('small-1', 'telemetry'), Buffer.alloc(3000), { qos: 1 });
  });

  it('should refuse new connections from an address beyond its rate, and count them', async () => {
    // One every 2 s, a burst of 1: the second connection, however slow the machine, is early.
    const { url, refused } = await gateway({ connectRatePerAddress: 0.5 });
    expect(await connects(url, 'rate-1')).toBe(true);
    expect(await connects(url, 'rate-2')).toBe(false);
    expect(await refused('rate')).toBe(1);
  });

  it('should refuse connections beyond the bound, and count them', async () => {
    const { url, refused } = await gateway({ maxConnections: 2 });
    expect(await connects(url, 'max-1')).toBe(true);
    expect(await connects(url, 'max-2')).toBe(true);
    expect(await connects(url, 'max-3')).toBe(false);
    expect(await refused('max-connections')).toBe(1);
  });

  it('should notice a device whose link dies without a goodbye', async () => {
    const { g, url } = await gateway({});
    expect(await connects(url, 'alive-1')).toBe(true);
    // A raw CONNECT on a socket that is then destroyed: no DISCONNECT, no FIN handshake.
    const socket = tcpConnect(g.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    const connect = Buffer.from([
      0x10,
      0x15,
      0x00,
      0x04,
      0x4d,
      0x51,
      0x54,
      0x54,
      0x04,
      0x02,
      0x00,
      0x1e,
      0x00,
      0x09,
      ...Buffer.from('dying-001'),
    ]);
    socket.write(connect);
    await eventually(() => g.connectedClients === 2, 'the raw client connected', 5000);
    socket.resetAndDestroy();
    await eventually(() => g.connectedClients === 1, 'the dead link noticed', 5000);
  });
});
