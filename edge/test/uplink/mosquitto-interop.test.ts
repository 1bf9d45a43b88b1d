import {
  decodeStatus,
  decodeTelemetryBatch,
  encodeTelemetryBatch,
  mqttTopic,
  type Sample,
  signalId,
} from '@fleetline/proto';
import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach } from '../../../test-support/cleanup.js';
import { eventually, reachable, requireInfra, uniqueName } from '../../../test-support/infra.js';
import { forgetDevices } from '../../../test-support/mosquitto.js';
import { MqttUplink } from '../../src/uplink/mqtt-uplink.js';

/**
 * Interop with an independent broker and an independent subscriber: the machine's Mosquitto
 * takes the uplink's publishes and a plain MQTT.js client receives payloads that decode with
 * the proto definitions.
 */

const MOSQUITTO = process.env.MOSQUITTO_URL ?? 'mqtt://127.0.0.1:1883';
const up = await reachable(new URL(MOSQUITTO).host, 1883);
if (!up && requireInfra)
  throw new Error(`REQUIRE_INFRA=1 but Mosquitto is not reachable at ${MOSQUITTO}`);

describe.skipIf(!up)('edge uplink with Mosquitto', () => {
  const cleanup = cleanupAfterEach();

  it('should deliver batches an independent subscriber decodes, and a retained ONLINE status', async () => {
    const deviceId = uniqueName('interop').replaceAll('_', '-');
    cleanup.defer(() => forgetDevices(MOSQUITTO, [deviceId]));
    const subscriber = await mqtt.connectAsync(MOSQUITTO, { clientId: uniqueName('sub') });
    cleanup.defer(() => subscriber.endAsync());
    const received: Buffer[] = [];
    subscriber.on('message', (topic, payload) => {
      if (topic === mqttTopic(deviceId, 'telemetry')) received.push(payload);
    });
    await subscriber.subscribeAsync(mqttTopic(deviceId, 'telemetry'), { qos: 1 });

    const uplink = new MqttUplink({ url: MOSQUITTO, deviceId, agentVersion: '9.9.9' });
    cleanup.defer(() => uplink.close());
    await uplink.waitOnline(10_000);
    const speed = signalId('Vehicle.Speed');
    const sent: Sample[][] = [];
    for (let seq = 1; seq <= 5; seq++) {
      const samples = Array.from({ length: 10 }, (_, i) => ({
        signalId: speed,
        timeMs: 1_764_000_000_000 + seq * 10_000 + i * 1000,
        value: seq * 10 + i / 4,
      }));
      sent.push(samples);
      await uplink.publishTelemetry(encodeTelemetryBatch({ deviceId, seq, samples }));
    }
    await eventually(() => received.length >= 5, '5 batches at the subscriber', 10_000);
    const batches = received.map((p) => decodeTelemetryBatch(p));
    expect(batches.map((b) => b.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(batches.map((b) => b.samples)).toEqual(sent);
    expect(batches.every((b) => b.deviceId === deviceId)).toBe(true);

    // The retained status tells a late subscriber the device is online.
    const late = await mqtt.connectAsync(MOSQUITTO, { clientId: uniqueName('late') });
    cleanup.defer(() => late.endAsync());
    const status = new Promise<Buffer>((resolve) => late.on('message', (_t, p) => resolve(p)));
    await late.subscribeAsync(mqttTopic(deviceId, 'status'), { qos: 1 });
    expect(decodeStatus(await status)).toMatchObject({
      deviceId,
      state: 'online',
      agentVersion: '9.9.9',
    });
  });

  it('should have the last will announce OFFLINE when the device vanishes', async () => {
    const deviceId = uniqueName('will').replaceAll('_', '-');
    cleanup.defer(() => forgetDevices(MOSQUITTO, [deviceId]));
    const watcher = await mqtt.connectAsync(MOSQUITTO, { clientId: uniqueName('watch') });
    cleanup.defer(() => watcher.endAsync());
    const states: string[] = [];
    watcher.on('message', (_t, p) => {
      if (p.length > 0) states.push(decodeStatus(p).state);
    });
    await watcher.subscribeAsync(mqttTopic(deviceId, 'status'), { qos: 1 });
    const uplink = new MqttUplink({ url: MOSQUITTO, deviceId, keepaliveSec: 1 });
    await uplink.waitOnline(10_000);
    await eventually(() => states.includes('online'), 'ONLINE status', 10_000);
    // Dropping the socket without DISCONNECT is what a power cut looks like to the broker.
    await uplink.close(true);
    await eventually(() => states.at(-1) === 'offline', 'OFFLINE from the last will', 10_000);
  });
});
