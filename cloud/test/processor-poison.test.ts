import type { LogRecord } from '@fleetline/platform';
import { encodeTelemetryBatch, kafkaHeaders, kafkaTopics, signalId } from '@fleetline/proto';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/infra.js';
import { vehicleDetectors } from '../src/detectors/vehicle.js';
import { embeddedRig } from './support/embedded-rig.js';

/**
 * Supervision: a message that makes its vehicle's detectors throw goes to the dead-letter
 * topic with the error; the actor restarts from its snapshot and the vehicle's later
 * messages, and every other vehicle's, carry on.
 */

const rig = await embeddedRig('poison');
const { log, telemetryDb } = rig;
afterAll(() => rig.close());

const SPEED = signalId('Vehicle.Speed');
const t0 = Date.UTC(2026, 10, 25, 12, 0, 0);

describe('a poison message', () => {
  it('should be dead-lettered with its error while the vehicle and the others carry on', async () => {
    // Detectors with a bug that a speed of exactly 999 km/h trips.
    const real = vehicleDetectors();
    const buggy: typeof real = {
      ...real,
      detect(state, input) {
        if (input.kind === 'telemetry' && input.samples.some((s) => s.value === 999)) {
          throw new TypeError('detector bug: cannot read properties of undefined');
        }
        return real.detect(state, input);
      },
    };
    await rig.startProcessor({ detectors: buggy });
    const deadLetters: LogRecord[] = [];
    const reader = await log.consume({
      groupId: 'dead-letter-reader',
      topics: [kafkaTopics.deadLetter],
      handle: async (records) => void deadLetters.push(...records),
    });
    try {
      const producer = await log.createProducer();
      const batch = (deviceId: string, seq: number, value: number) => ({
        topic: kafkaTopics.telemetry,
        key: deviceId,
        value: encodeTelemetryBatch({
          deviceId,
          seq,
          samples: [{ signalId: SPEED, timeMs: t0 + seq * 1000, value }],
        }),
      });
      await producer.send([
        batch('veh-p', 1, 40),
        batch('veh-ok', 1, 50),
        batch('veh-p', 2, 999),
        batch('veh-ok', 2, 51),
        batch('veh-p', 3, 42),
      ]);
      await producer.close();

      await eventually(() => deadLetters.length === 1, 'the poison message dead-lettered', 10_000);
      const letter = deadLetters[0] as LogRecord;
      expect(letter.key).toBe('veh-p');
      expect(letter.headers[kafkaHeaders.errorCode]).toBe('CLOUD_POISON_MESSAGE');
      expect(letter.headers[kafkaHeaders.reason]).toMatch(
        /veh-p cannot handle telemetry seq 2: detector bug/,
      );
      expect(letter.headers[kafkaHeaders.source]).toMatch(/^telemetry\.v1\//);
      // Both vehicles' other batches were stored, the poisoned vehicle's later one included.
      const speeds = async (id: string) =>
        (
          await telemetryDb.querySamples({
            deviceId: id,
            signalId: SPEED,
            fromMs: t0,
            toMs: t0 + 10_000,
            limit: 10,
          })
        ).map((s) => s.value);
      await eventually(
        async () => (await speeds('veh-p')).length === 2,
        'veh-p carried on',
        10_000,
      );
      expect(await speeds('veh-p')).toEqual([40, 42]);
      expect(await speeds('veh-ok')).toEqual([50, 51]);
    } finally {
      await reader.close();
    }
  });
});
