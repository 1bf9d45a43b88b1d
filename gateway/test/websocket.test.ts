import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, EmbeddedLog, Registry, SqliteStore } from '@fleetline/platform';
import { mqttTopic } from '@fleetline/proto';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSecret, hashSecret } from '../src/credentials.js';
import { type RunningGateway, startGateway } from '../src/gateway.js';
import { RegistryIdentity } from '../src/registry-identity.js';

/** MQTT over WebSocket: the same identity, topic rules and packet bound as over TCP. */

const dir = mkdtempSync(join(tmpdir(), 'fleetline-ws-'));
const store = new SqliteStore({ path: join(dir, 'store.sqlite'), samplesTtlDays: 0 });
const log = new EmbeddedLog({ path: join(dir, 'log.sqlite'), defaultPartitions: 1 });
const metrics = new Registry();
let gateway: RunningGateway;
const secret = generateSecret();

beforeAll(async () => {
  await store.addDevice({ deviceId: 'ws-1', secretHash: await hashSecret(secret), createdMs: 1 });
  gateway = await startGateway({
    host: '127.0.0.1',
    port: 0,
    webSocketPort: 0,
    maxPacketBytes: 4096,
    gatewayId: 'gw-ws',
    producer: await log.createProducer(),
    identity: new RegistryIdentity(store),
    logger: createLogger('gateway-test', 'silent'),
    metrics,
  });
});

afterAll(async () => {
  await gateway.close();
  await log.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const url = () => `ws://127.0.0.1:${gateway.webSocketPort}/mqtt`;

describe('gateway over WebSocket', () => {
  it('should admit a registered device and acknowledge its publishes', async () => {
    const client = await mqtt.connectAsync(url(), {
      clientId: 'ws-1',
      username: 'ws-1',
      password: secret,
      reconnectPeriod: 0,
    });
    await client.publishAsync(mqttTopic('ws-1', 'telemetry'), Buffer.alloc(100), { qos: 1 });
    await client.endAsync();
  });

  it('should refuse a wrong password', async () => {
    const err = await mqtt
      .connectAsync(url(), {
        clientId: 'ws-1',
        username: 'ws-1',
        password: 'x',
        reconnectPeriod: 0,
      })
      .then(
        async (c) => {
          await c.endAsync(true);
          return undefined;
        },
        (e: Error) => e,
      );
    expect(err?.message).toMatch(/Bad username or password/i);
  });

  it('should close the connection at an oversized packet', async () => {
    const client = await mqtt.connectAsync(url(), {
      clientId: 'ws-1',
      username: 'ws-1',
      password: secret,
      reconnectPeriod: 0,
    });
    const closed = new Promise<void>((r) => client.once('close', () => r()));
    let acked = false;
    client.publish(mqttTopic('ws-1', 'telemetry'), Buffer.alloc(10_000), { qos: 1 }, (err) => {
      if (!err) acked = true;
    });
    await closed;
    expect(acked).toBe(false);
    await client.endAsync(true);
  });
});
