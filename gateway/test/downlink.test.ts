import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createLogger,
  EmbeddedLog,
  fleetlineTopics,
  loadConfig,
  Registry,
  SqliteTelemetryDb,
} from '@fleetline/platform';
import {
  type Command,
  decodeCommand,
  encodeCommand,
  kafkaTopics,
  mqttTopic,
} from '@fleetline/proto';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  // The gateways share one telemetry database, as they share the registry in production.
  const telemetryDb = new SqliteTelemetryDb({ path: join(dir, 'store.sqlite'), samplesTtlDays: 0 });
  const logger = createLogger('downlink-test', 'silent');
  const gateways: RunningGateway[] = [];
  const clients: mqtt.MqttClient[] = [];
  let a: RunningGateway;
  let b: RunningGateway;

  const start = async (gatewayId: string) => {
    const config = loadConfig({
      env: {},
      overrides: { mqttHost: '127.0.0.1', mqttPort: 0, gatewayId, deviceAuth: 'open' },
    });
    const g = await startGatewayService(config, {
      log,
      logger,
      metrics: new Registry(),
      telemetryDb,
    });
    gateways.push(g);
    return g;
  };

  beforeAll(async () => {
    await log.ensureTopics(fleetlineTopics({ topicPartitions: 2, topicReplication: 1 }));
    [a, b] = [await start('gw-a'), await start('gw-b')];
  });
  afterAll(async () => {
    for (const c of clients) await c.endAsync(true);
    for (const g of gateways) await g.close();
    await log.close();
    await telemetryDb.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The cloud side produces commands to the log; no gateway is told directly. */
  const issue = async (...commands: Command[]) => {
    const producer = await log.createProducer();
    await producer.send(
      commands.map((c) => ({
        topic: kafkaTopics.commands,
        key: c.deviceId,
        value: encodeCommand(c),
      })),
    );
    await producer.close();
  };
  const outcomes = async (g: RunningGateway) =>
    Object.fromEntries(
      ((await g.commandsMetric.get()).values ?? []).map((v) => [v.labels.outcome, v.value]),
    );
  /** A device on a gateway, subscribed to its commands, collecting what it receives. */
  const connect = async (g: RunningGateway, deviceId: string, clean = true) => {
    const device = await mqtt.connectAsync(`mqtt://127.0.0.1:${g.port}`, {
      clientId: deviceId,
      clean,
      reconnectPeriod: 0,
    });
    clients.push(device);
    const received: Command[] = [];
    device.on('message', (_topic, payload) => received.push(decodeCommand(payload)));
    await device.subscribeAsync(mqttTopic(deviceId, 'commands'), { qos: 1 });
    return { device, received };
  };

  it('should bring a command to the device on the other gateway, once', async () => {
    // The vehicle is connected to gateway B only.
    const { received } = await connect(b, 'veh-7', false);
    const sent = command({ commandId: 'cmd-42', deviceId: 'veh-7', issuedAtMs: Date.now() });
    await issue(sent);

    await eventually(() => received.length === 1, 'the command at the device', 10_000);
    expect(received[0]).toEqual(sent);
    await eventually(
      async () => (await outcomes(a))['not-connected-here'] === 1,
      'gateway A skipped it',
      10_000,
    );
    expect((await outcomes(b)).delivered).toBe(1);
    expect((await outcomes(a)).delivered).toBeUndefined();
    // The device's PUBACK settles it for every gateway.
    await eventually(async () => (await outcomes(b)).acknowledged === 1, 'the PUBACK', 10_000);
    await eventually(
      async () => (await telemetryDb.pendingCommands('veh-7', Date.now())).length === 0,
      'nothing left pending for the device',
      10_000,
    );
    expect(received).toHaveLength(1);
  });

  it('should hold commands for a device connected nowhere and deliver them, in order, when it comes back', async () => {
    const sent = [1, 2, 3].map((n) =>
      command({ commandId: `off-${n}`, deviceId: 'veh-off', issuedAtMs: Date.now() }),
    );
    await issue(...sent);
    // Both gateways have read them and found the device nowhere.
    await eventually(
      async () => (await telemetryDb.pendingCommands('veh-off', Date.now())).length === 3,
      'three commands held',
      10_000,
    );
    const before = { a: await outcomes(a), b: await outcomes(b) };

    // It comes back on gateway A with a clean session.
    const first = await connect(a, 'veh-off');
    await eventually(() => first.received.length === 3, 'the held commands at the device', 10_000);
    expect(first.received).toEqual(sent);
    await eventually(
      async () => (await telemetryDb.pendingCommands('veh-off', Date.now())).length === 0,
      'all three acknowledged',
      10_000,
    );
    expect((await outcomes(a))['delivered-held']).toBe((before.a['delivered-held'] ?? 0) + 3);
    await first.device.endAsync();

    // Back again on gateway B: what it acknowledged does not come again; a new command does.
    const second = await connect(b, 'veh-off');
    const next = command({ commandId: 'off-4', deviceId: 'veh-off', issuedAtMs: Date.now() });
    await issue(next);
    await eventually(() => second.received.length >= 1, 'the new command', 10_000);
    expect(second.received).toEqual([next]);
    expect((await outcomes(b))['delivered-held'] ?? 0).toBe(before.b['delivered-held'] ?? 0);
  });

  it('should not deliver a held command that expired while the device was away', async () => {
    const expiring = command({
      commandId: 'exp-1',
      deviceId: 'veh-late',
      issuedAtMs: Date.now(),
      expiresAtMs: Date.now() + 1_000,
    });
    await issue(expiring);
    await eventually(
      async () => (await telemetryDb.pendingCommands('veh-late', Date.now())).length === 1,
      'the command held',
      10_000,
    );
    await eventually(
      async () => (await telemetryDb.pendingCommands('veh-late', Date.now())).length === 0,
      'the command expired',
      10_000,
    );
    const { received } = await connect(a, 'veh-late');
    const fresh = command({ commandId: 'exp-2', deviceId: 'veh-late', issuedAtMs: Date.now() });
    await issue(fresh);
    await eventually(() => received.length >= 1, 'the fresh command', 10_000);
    expect(received.map((c) => c.commandId)).toEqual(['exp-2']);
  });
});
