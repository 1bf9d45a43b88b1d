import type { LogRecord } from '@fleetline/platform';
import { kafkaTopics, pb, signalId } from '@fleetline/proto';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/infra.js';
import { embeddedRig } from './support/embedded-rig.js';

/**
 * Detectors compute with what devices send, and finite inputs can still overflow: a device
 * that sends its acceleration as doubles near the largest finite one (valid on the wire) makes
 * the crash rule's integrated velocity and peak infinite. The alert goes out all the same —
 * its evidence says "Infinity" in words — and the vehicle's processing carries on.
 */

const rig = await embeddedRig('evidence');
afterAll(() => rig.close());

const t0 = Date.UTC(2026, 10, 25, 12, 0, 0);
const SPEED = signalId('Vehicle.Speed');
const LONGITUDINAL = signalId('Vehicle.Acceleration.Longitudinal');

/** A batch written as a device may write it: speed at 60 km/h, acceleration as raw doubles. */
function batch(seq: number, accelerations: number[]): Uint8Array {
  return pb.telemetry.v1.TelemetryBatch.encode({
    deviceId: 'veh-huge',
    seq,
    baseTimeMs: t0 + seq * 1000,
    series: [
      {
        signalId: SPEED,
        timeDeltaMs: [0],
        intervalMs: 100,
        valueDelta: [6000, ...new Array(9).fill(0)],
      },
      { signalId: LONGITUDINAL, timeDeltaMs: [0], intervalMs: 10, value: accelerations },
    ],
  }).finish();
}

describe('alert evidence a detector computes as ±∞ or NaN', () => {
  it('should reach alerts.v1 in words, and the vehicle’s later batches should be stored', async () => {
    await rig.watchAlerts();
    await rig.startProcessor();
    const deadLetters: LogRecord[] = [];
    const reader = await rig.log.consume({
      groupId: 'dead-letter-reader',
      topics: [kafkaTopics.deadLetter],
      handle: async (records) => void deadLetters.push(...records),
    });
    try {
      const producer = await rig.log.createProducer();
      const crash = [0, 0, 0, -1e308, -1e308, -1e308, 0, 0, 0, 0];
      await producer.send([
        { topic: kafkaTopics.telemetry, key: 'veh-huge', value: batch(1, new Array(100).fill(0)) },
        { topic: kafkaTopics.telemetry, key: 'veh-huge', value: batch(2, crash) },
        { topic: kafkaTopics.telemetry, key: 'veh-huge', value: batch(3, new Array(100).fill(0)) },
      ]);
      await producer.close();
      const alert = await eventually(
        () => rig.alertChanges.find((a) => a.deviceId === 'veh-huge' && a.type === 'collision'),
        'the collision alert on alerts.v1',
        20_000,
      );
      expect(alert.evidence).toMatchObject({ peakG: 'Infinity', deltaVKmh: 'Infinity' });
      // Batch 3 came after the one that overflowed: stored, nothing dead-lettered.
      await eventually(
        async () =>
          (
            await rig.telemetryDb.querySamples({
              deviceId: 'veh-huge',
              signalId: SPEED,
              fromMs: t0 + 3000,
              toMs: t0 + 4000,
              limit: 100,
            })
          ).length === 10,
        'the batch after the overflow stored',
        20_000,
      );
      expect(deadLetters).toEqual([]);
    } finally {
      await reader.close();
    }
  });
});
