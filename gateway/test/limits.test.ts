import { mkdtempSync, rmSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, EmbeddedLog, Registry } from '@fleetline/platform';
import { kafkaTopics, mqttTopic } from '@fleetline/proto';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { eventually } from '../../test-support/infra.js';
import { type GatewayOptions, type RunningGateway, startGateway } from '../src/gateway.js';
import { clientIdIdentity } from '../src/identity.js';
import { RawClient } from './support.js';

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
  const counts = async (metric: string) => {
    const m = await metrics.getSingleMetric(metric)?.get();
    return Object.fromEntries((m?.values ?? []).map((v) => [String(v.labels.reason), v.value]));
  };
  return { g, url: `mqtt://127.0.0.1:${g.port}`, refused, counts };
}

/** The records of a device's uplink the gateway has put in the log (forwarded or not). */
function uplinkInLog(deviceId: string): number {
  let n = 0;
  for (const topic of [kafkaTopics.telemetry, kafkaTopics.deadLetter]) {
    const end = log.endOffset(topic, 0);
    n += log.fetch(topic, 0, 0, end).filter((r) => r.key === deviceId).length;
  }
  return n;
}

/** Opens a WebSocket carrying MQTT and sends nothing over it. */
async function idleWebSocket(port: number): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/mqtt`, 'mqtt');
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return ws;
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

  it('should take a device’s publishes up to its bytes a minute, then close without PUBACK', async () => {
    const { url, counts } = await gateway({ maxPacketBytes: 4096, deviceBytesPerMinute: 10_000 });
    const greedy = await mqtt.connectAsync(url, { clientId: 'greedy-1', reconnectPeriod: 0 });
    running.push(greedy);
    const other = await mqtt.connectAsync(url, { clientId: 'modest-1', reconnectPeriod: 0 });
    running.push(other);
    const topic = mqttTopic('greedy-1', 'telemetry');
    for (let i = 0; i < 3; i++) await greedy.publishAsync(topic, Buffer.alloc(3000, i), { qos: 1 });
    const closed = new Promise<void>((r) => greedy.once('close', () => r()));
    let acked = false;
    greedy.publish(topic, Buffer.alloc(3000, 3), { qos: 1 }, (err) => {
      if (!err) acked = true;
    });
    await closed;
    // No PUBACK, so the device keeps it and sends it again after reconnecting; and it was
    // not stored, so nothing acknowledged is missing and nothing unacknowledged was kept.
    expect(acked).toBe(false);
    expect(uplinkInLog('greedy-1')).toBe(3);
    expect((await counts('fleetline_gateway_publishes_refused_total'))['over-rate']).toBe(1);
    // Another device has a budget of its own.
    await other.publishAsync(mqttTopic('modest-1', 'telemetry'), Buffer.alloc(3000), { qos: 1 });
    expect(uplinkInLog('modest-1')).toBe(1);
  });

  it('should count connections of every listener against one bound, before CONNECT', async () => {
    const { g, url, refused } = await gateway({ maxConnections: 2, webSocketPort: 0 });
    // Two WebSocket connections that never send CONNECT hold their places all the same.
    const idle = [
      await idleWebSocket(g.webSocketPort as number),
      await idleWebSocket(g.webSocketPort as number),
    ];
    try {
      expect(await connects(url, 'max-tcp-1')).toBe(false);
      expect(await refused('max-connections')).toBe(1);
    } finally {
      for (const ws of idle) ws.terminate();
    }
    await eventually(
      async () => connects(url, 'max-tcp-2'),
      'a place freed by a closed WebSocket',
      5000,
    );
  });

  it('should bound open connections per address, and count the refusals', async () => {
    const { g, refused } = await gateway({ maxConnectionsPerAddress: 2 });
    const held = [
      await RawClient.open(g.port, '127.0.6.1'),
      await RawClient.open(g.port, '127.0.6.1'),
    ];
    const third = await RawClient.open(g.port, '127.0.6.1');
    await third.closed;
    expect(await refused('max-connections-per-address')).toBe(1);
    // Another address is not affected.
    const elsewhere = await RawClient.open(g.port, '127.0.6.2');
    elsewhere.send({
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: 4,
      clean: true,
      keepalive: 30,
      clientId: 'addr-ok-1',
    });
    expect((await elsewhere.next('connack'))?.returnCode).toBe(0);
    for (const c of [...held, elsewhere]) c.close();
  });

  it('should write a bounded number of refusal lines, and say how many it left out', async () => {
    const lines: { msg: string; suppressed?: Record<string, number> }[] = [];
    const logger = pino(
      { level: 'info' },
      { write: (l: string) => void lines.push(JSON.parse(l)) },
    );
    const { g } = await gateway({ logger });
    for (let i = 0; i < 40; i++) {
      const c = await RawClient.open(g.port, '127.0.7.1');
      // Not a valid device id: refused by the identity, one log line each until the limit.
      c.send({
        cmd: 'connect',
        protocolId: 'MQTT',
        protocolVersion: 4,
        clean: true,
        keepalive: 30,
        clientId: 'not a device id!',
      });
      expect((await c.next('connack'))?.returnCode).toBe(4);
      c.close();
    }
    running.splice(running.indexOf(g), 1);
    await g.close(); // what was left out is told at the latest when the gateway closes
    const refusals = lines.filter((l) => l.msg === 'connection refused');
    expect(refusals.length).toBe(10);
    // One line per refusal at most: the connection's end is not logged again.
    expect(lines.filter((l) => l.msg === 'client connection closed on error')).toEqual([]);
    const summary = lines.find((l) => l.msg === 'log lines left out');
    expect(summary?.suppressed).toEqual({ 'connection refused': 30 });
  });
});
