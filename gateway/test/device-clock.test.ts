import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createLogger,
  EmbeddedLog,
  fleetlineTopics,
  type LogRecord,
  Registry,
} from '@fleetline/platform';
import {
  encodeEvent,
  encodeStatus,
  encodeTelemetryBatch,
  kafkaHeaders,
  kafkaTopics,
  mqttTopic,
  signalId,
} from '@fleetline/proto';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/infra.js';
import { routeUplink } from '../src/bridge.js';
import { startGateway } from '../src/gateway.js';
import { clientIdIdentity } from '../src/identity.js';

/**
 * A device whose clock is wrong: the gateway knows when it received a publish, so it refuses
 * times too far ahead of its own clock, and times from before 2000 (a clock never set reads
 * 1970). Such a publish is dead-lettered with the reason and a code — acknowledged, kept,
 * counted — so the device's spool moves on and nothing reaches the vehicle's data.
 */

const speed = signalId('Vehicle.Speed');
const now = Date.UTC(2026, 11, 5, 12, 0, 0);
const DAY = 86_400_000;
const telemetry = { deviceId: 'veh-1', kind: 'telemetry' } as const;
const batch = (...times: number[]) =>
  encodeTelemetryBatch({
    deviceId: 'veh-1',
    seq: 1,
    samples: times.map((timeMs, i) => ({ signalId: speed, timeMs, value: i })),
  });
const route = (payload: Uint8Array, kind: 'telemetry' | 'events' | 'status' = 'telemetry') =>
  routeUplink({ deviceId: 'veh-1', kind }, `v1/veh-1/${kind}`, payload, 'gw', now, {
    maxClockAheadMs: DAY,
  });

describe('routeUplink and the device clock', () => {
  it('should forward times up to the allowed lead over the gateway clock', () => {
    expect(route(batch(now - 30 * DAY, now, now + DAY)).outcome).toBe('forward');
  });

  it('should dead-letter a batch with a sample too far ahead, naming it and the clocks', () => {
    const routed = route(batch(now - 1000, now + DAY + 1));
    expect(routed.outcome).toBe('dead-letter');
    expect(routed.record.topic).toBe(kafkaTopics.deadLetter);
    expect(routed.record.headers?.[kafkaHeaders.errorCode]).toBe('GATEWAY_CLOCK_AHEAD');
    const reason = routed.record.headers?.[kafkaHeaders.reason];
    expect(reason).toMatch(/TelemetryBatch sample time 2026-12-06T12:00:00.001Z \(signal \d+\)/);
    expect(reason).toMatch(/ahead of the gateway's clock \(2026-12-05T12:00:00.000Z\)/);
    expect(reason).toMatch(/at most 86400 s ahead/);
  });

  it('should dead-letter times from before 2000 as a clock that was never set', () => {
    const routed = route(batch(5_000, 6_000));
    expect(routed.outcome).toBe('dead-letter');
    expect(routed.record.headers?.[kafkaHeaders.errorCode]).toBe('GATEWAY_CLOCK_UNSET');
    expect(routed.record.headers?.[kafkaHeaders.reason]).toMatch(
      /TelemetryBatch.base_time_ms 1970-01-01T00:00:05.000Z is before 2000-01-01/,
    );
  });

  it('should check event, window, trigger and status times too', () => {
    const ahead = now + 2 * DAY;
    const cases: [Uint8Array, 'events' | 'status', RegExp][] = [
      [
        encodeEvent({
          deviceId: 'veh-1',
          seq: 2,
          timeMs: ahead,
          payload: { kind: 'troubleCodes', codes: ['P0301'] },
        }),
        'events',
        /Event\.time_ms/,
      ],
      [
        encodeEvent({
          deviceId: 'veh-1',
          seq: 3,
          timeMs: now,
          payload: {
            kind: 'collision',
            collision: {
              severity: 'severe',
              peakG: 5,
              deltaVKmh: 20,
              direction: 'front',
              speedBeforeKmh: 50,
              window: [{ signalId: speed, timeMs: ahead, value: 1 }],
            },
          },
        }),
        'events',
        /Event\.collision\.window sample time/,
      ],
      [
        encodeEvent({
          deviceId: 'veh-1',
          seq: 4,
          timeMs: now,
          payload: {
            kind: 'triggerCapture',
            capture: { name: 'brake', triggeredAtMs: ahead, relatedSeq: 0, window: [] },
          },
        }),
        'events',
        /Event\.trigger_capture\.triggered_at_ms/,
      ],
      [
        encodeStatus({ deviceId: 'veh-1', timeMs: ahead, state: 'online', agentVersion: '1' }),
        'status',
        /DeviceStatus\.time_ms/,
      ],
    ];
    for (const [payload, kind, field] of cases) {
      const routed = route(payload, kind);
      expect(routed.outcome, String(field)).toBe('dead-letter');
      expect(routed.record.headers?.[kafkaHeaders.errorCode]).toBe('GATEWAY_CLOCK_AHEAD');
      expect(routed.record.headers?.[kafkaHeaders.reason]).toMatch(field);
    }
  });

  it('should keep the check off the default path of an unchanged caller (one day ahead)', () => {
    const routed = routeUplink(telemetry, 'v1/veh-1/telemetry', batch(now + 2 * DAY), 'gw', now);
    expect(routed.outcome).toBe('dead-letter');
    expect(
      routeUplink(telemetry, 'v1/veh-1/telemetry', batch(now + DAY - 1), 'gw', now).outcome,
    ).toBe('forward');
  });
});

describe('a device with a clock far ahead, over MQTT', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fleetline-clock-'));
  const log = new EmbeddedLog({ path: join(dir, 'log.sqlite'), defaultPartitions: 1 });
  afterAll(async () => {
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should get its PUBACK, its publish kept in the dead-letter topic and counted, and carry on', async () => {
    await log.ensureTopics(fleetlineTopics({ topicPartitions: 1, topicReplication: 1 }));
    const metrics = new Registry();
    const gateway = await startGateway({
      host: '127.0.0.1',
      port: 0,
      gatewayId: 'gw-clock',
      producer: await log.createProducer(),
      identity: clientIdIdentity,
      logger: createLogger('gateway-test', 'silent'),
      metrics,
      maxClockAheadMs: 60_000,
    });
    const records: LogRecord[] = [];
    const consumer = await log.consume({
      groupId: 'clock-check',
      topics: [kafkaTopics.telemetry, kafkaTopics.deadLetter],
      handle: async (batchOfRecords) => {
        records.push(...batchOfRecords);
      },
    });
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${gateway.port}`, {
      clientId: 'veh-clock',
      reconnectPeriod: 0,
    });
    try {
      const at = Date.now();
      const payload = (seq: number, timeMs: number) =>
        Buffer.from(
          encodeTelemetryBatch({
            deviceId: 'veh-clock',
            seq,
            samples: [{ signalId: speed, timeMs, value: seq }],
          }),
        );
      // 9e15 ms cannot even be encoded; a year ahead is what a wrong clock sends.
      await client.publishAsync(mqttTopic('veh-clock', 'telemetry'), payload(1, at + 365 * DAY), {
        qos: 1,
      });
      await client.publishAsync(mqttTopic('veh-clock', 'telemetry'), payload(2, at), { qos: 1 });
      await eventually(() => records.length >= 2, 'both publishes in the log');
      const dead = records.find((r) => r.topic === kafkaTopics.deadLetter);
      expect(dead?.headers[kafkaHeaders.errorCode]).toBe('GATEWAY_CLOCK_AHEAD');
      expect(dead?.headers[kafkaHeaders.reason]).toMatch(/ahead of the gateway's clock/);
      expect(records.filter((r) => r.topic === kafkaTopics.telemetry)).toHaveLength(1);
      const published = await metrics.getSingleMetric('fleetline_gateway_publishes_total')?.get();
      expect(published?.values).toContainEqual(
        expect.objectContaining({
          labels: { kind: 'telemetry', outcome: 'dead-letter' },
          value: 1,
        }),
      );
    } finally {
      await client.endAsync(true);
      await consumer.close();
      await gateway.close();
    }
  });
});
