import { readFileSync } from 'node:fs';
import type { LogRecord } from '@fleetline/platform';
import {
  encodeEvent,
  encodeTelemetryBatch,
  kafkaHeaders,
  kafkaTopics,
  type Sample,
  signalId,
} from '@fleetline/proto';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/infra.js';
import { embeddedRig } from './support/embedded-rig.js';

/**
 * Snapshots written by older code: a deploy must carry every existing vehicle on. The
 * fixtures are snapshots as the code before snapshot version 2 wrote them (layout 1): one
 * with every detector of today, one from a set of detectors that lacked one of today's
 * (low battery) and had one that is gone since. Each vehicle's actor restores from it and
 * goes on where it was: the batch held for a gap, the seqs handled, the open DTC alert, the
 * coolant's 30 s above 110 °C counted from before the snapshot.
 */

const rig = await embeddedRig('snapshot');
const { log, telemetryDb } = rig;
afterAll(() => rig.close());

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const t0 = Date.UTC(2026, 10, 25, 12, 0, 0);
/** The open DTC alert's id in the fixtures. */
const DTC_ALERT = 'Wd5yjzfxLrv-NPhzTh3KtD';
const SPEED = signalId('Vehicle.Speed');

/** The fixtures' drive: 5-s batches k = 0, 1, … of speed 50, coolant 112 °C and so on. */
function samples(k: number): Sample[] {
  const s = (name: Parameters<typeof signalId>[0], t: number, v: number) => ({
    signalId: signalId(name),
    timeMs: t,
    value: v,
  });
  return [0, 1, 2, 3, 4].flatMap((i) => {
    const t = t0 + k * 5000 + i * 1000;
    return [
      s('Vehicle.Speed', t, 50),
      s('Vehicle.Powertrain.CombustionEngine.ECT', t, 112),
      s('Vehicle.Powertrain.FuelSystem.RelativeLevel', t, 41),
      s('Vehicle.LowVoltageBattery.CurrentVoltage', t, 14.1),
      s('Vehicle.Powertrain.CombustionEngine.Speed', t, 1800),
      s('Vehicle.TraveledDistance', t, 31000 + k * 0.07 + i * 0.014),
    ];
  });
}

async function carryOn(deviceId: string, snapshotFile: string) {
  await telemetryDb.saveSnapshot({
    actorId: deviceId,
    data: fixture(snapshotFile),
    savedMs: t0 + 26_000,
  });
  const producer = await log.createProducer();
  const batch = (seq: number, k: number) => ({
    topic: kafkaTopics.telemetry,
    key: deviceId,
    value: encodeTelemetryBatch({ deviceId, seq, samples: samples(k) }),
  });
  await producer.send([
    batch(3, 2), // handled before the snapshot: a redelivery
    batch(5, 3), // the gap the held batch 6 waits for
    batch(7, 5),
    batch(8, 6),
    {
      topic: kafkaTopics.events,
      key: deviceId,
      // The trouble code is gone: the open DTC alert clears.
      value: encodeEvent({
        deviceId,
        seq: 9,
        timeMs: t0 + 35_000,
        payload: { kind: 'troubleCodes', codes: [] },
      }),
    },
  ]);
  await producer.close();
}

describe('a vehicle snapshot written by older code', () => {
  it('should be restored, each vehicle carrying on where it was', async () => {
    await rig.watchAlerts();
    const deadLetters: LogRecord[] = [];
    const reader = await log.consume({
      groupId: 'dead-letter-reader',
      topics: [kafkaTopics.deadLetter],
      handle: async (records) => void deadLetters.push(...records),
    });
    try {
      await carryOn('veh-v1', 'vehicle-snapshot-v1.json');
      await carryOn('veh-v1-other', 'vehicle-snapshot-v1-other-detectors.json');
      await rig.startProcessor();

      const changes = (id: string) =>
        rig.alertChanges
          .filter((c) => c.deviceId === id)
          .map((c) => `${c.type} ${c.transition}${c.type === 'dtc' ? ` ${c.alertId}` : ''}`)
          .sort();
      for (const id of ['veh-v1', 'veh-v1-other']) {
        await eventually(
          () => changes(id).length >= 2,
          () =>
            `${id}'s alert changes (so far ${changes(id).join(', ') || 'none'}; dead letters: ${deadLetters.map((d) => d.headers[kafkaHeaders.reason]).join('; ')})`,
          15_000,
        );
        // Overheat: 30 s at 112 °C counted from t0, before the snapshot; the DTC alert the
        // snapshot holds open is cleared by its id.
        expect(changes(id)).toEqual([`dtc cleared ${DTC_ALERT}`, 'overheat raised']);
        // Alert changes are published before the samples are written.
        const speeds = await eventually(async () => {
          const rows = await telemetryDb.querySamples({
            deviceId: id,
            signalId: SPEED,
            fromMs: t0,
            toMs: t0 + 60_000,
            limit: 100,
          });
          return rows.length >= 15 && rows;
        }, `${id}'s samples stored`);
        // Batches 5, 7 and 8 (k = 3, 5, 6); batch 3 was handled before the snapshot.
        expect(speeds.map((s) => (s.timeMs - t0) / 1000)).toEqual([
          15, 16, 17, 18, 19, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34,
        ]);
      }
      expect(deadLetters).toEqual([]);
    } finally {
      await reader.close();
    }
  });
});
