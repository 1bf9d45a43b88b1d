import { mqttTopic } from '@fleetline/proto';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../src/gateway.js';
import { GatewayHarness } from './support.js';

/** MQTT over WebSocket: the same identity, topic rules and packet bound as over TCP. */

const h = new GatewayHarness('ws');
let gateway: RunningGateway;
let secret: string;

beforeAll(async () => {
  secret = await h.register('ws-1');
  gateway = await h.start({ webSocketPort: 0, maxPacketBytes: 4096 });
});

afterAll(() => h.close());

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

  it('should answer a plain HTTP request with 426 at once', async () => {
    const res = await fetch(`http://127.0.0.1:${gateway.webSocketPort}/mqtt`);
    expect(res.status).toBe(426);
    expect(await res.text()).toMatch(/MQTT over WebSocket only/);
  });
});
