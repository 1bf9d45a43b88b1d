import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createLogger,
  EmbeddedLog,
  fleetlineTopics,
  loadConfig,
  Registry,
} from '@fleetline/platform';
import {
  type Command,
  decodeCommand,
  encodeCommand,
  kafkaTopics,
  mqttTopic,
} from '@fleetline/proto';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/infra.js';
import { commandDisposition } from '../src/downlink.js';
import type { RunningGateway } from '../src/gateway.js';
import { startGatewayService } from '../src/service.js';

const command = (over: Partial<Command> = {}): Command => ({
  commandId: 'c-1',
  deviceId: 'veh-1',
  issuedAtMs: 1_000_000,
  expiresAtMs: 0,
  action: { kind: 'ping' },
  ...over,
});

describe('commandDisposition', () => {
  const now = 10_000_000;
  it('should deliver a fresh command and refuse a stale or expired one', () => {
    const plain = encodeCommand(command());
    expect(commandDisposition(plain, now - 1000, now, 60_000).deliver).toBe(true);
    expect(commandDisposition(plain, now - 61_000, now, 60_000)).toEqual({
      deliver: false,
      reason: 'expired',
    });
    const expiring = encodeCommand(command({ expiresAtMs: now + 1 }));
    // An explicit expiry wins over the age limit.
    expect(commandDisposition(expiring, now - 3_600_000, now, 60_000).deliver).toBe(true);
    const expired = encodeCommand(command({ expiresAtMs: now - 1 }));
    expect(commandDisposition(expired, now, now, 60_000).deliver).toBe(false);
  });

  it('should call anything that is not a command invalid', () => {
    expect(commandDisposition(Uint8Array.from([0xff, 0x01]), 0, 0, 1)).toEqual({
      deliver: false,
      reason: 'invalid',
    });
  });
});

describe('downlink across gateways', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fleetline-downlink-'));
  const log = new EmbeddedLog({ path: join(dir, 'log.sqlite'), defaultPartitions: 2 });
  const gateways: RunningGateway[] = [];
  const clients: mqtt.MqttClient[] = [];
  afterAll(async () => {
    for (const c of clients) await c.endAsync(true);
    for (const g of gateways) await g.close();
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should bring a command to the device on the other gateway, once', async () => {
    const logger = createLogger('downlink-test', 'silent');
    const start = async (gatewayId: string) => {
      const config = loadConfig({
        env: {},
        overrides: { mqttHost: '127.0.0.1', mqttPort: 0, gatewayId, deviceAuth: 'open' },
      });
      const g = await startGatewayService(config, {
        log,
        logger,
        metrics: new Registry(),
        devices: { getDevice: async () => undefined },
      });
      gateways.push(g);
      return g;
    };
    await log.ensureTopics(fleetlineTopics({ topicPartitions: 2, topicReplication: 1 }));
    const [a, b] = [await start('gw-a'), await start('gw-b')];
    // The vehicle is connected to gateway B only.
    const device = await mqtt.connectAsync(`mqtt://127.0.0.1:${b.port}`, {
      clientId: 'veh-7',
      clean: false,
      reconnectPeriod: 0,
    });
    clients.push(device);
    await device.subscribeAsync(mqttTopic('veh-7', 'commands'), { qos: 1 });
    const received: Command[] = [];
    device.on('message', (_topic, payload) => received.push(decodeCommand(payload)));

    // The cloud side produces the command to the log; neither gateway is told directly.
    const producer = await log.createProducer();
    const sent = command({ commandId: 'cmd-42', deviceId: 'veh-7', issuedAtMs: Date.now() });
    await producer.send([
      { topic: kafkaTopics.commands, key: 'veh-7', value: encodeCommand(sent) },
    ]);
    await producer.close();

    await eventually(() => received.length === 1, 'the command at the device', 10_000);
    expect(received[0]).toEqual(sent);
    const outcomes = async (g: RunningGateway) =>
      Object.fromEntries(
        ((await g.commandsMetric.get()).values ?? []).map((v) => [v.labels.outcome, v.value]),
      );
    await eventually(
      async () => (await outcomes(a))['not-connected-here'] === 1,
      'gateway A skipped it',
      10_000,
    );
    expect((await outcomes(b)).delivered).toBe(1);
    expect((await outcomes(a)).delivered).toBeUndefined();
    expect(received).toHaveLength(1);
  });
});
