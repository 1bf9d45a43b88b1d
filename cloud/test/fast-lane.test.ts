import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createLogger,
  fleetlineTopics,
  type ProduceRecord,
  Registry,
  type SampleRow,
  SqliteRecordsDb,
  type TelemetryDb,
} from '@fleetline/platform';
import { encodeEvent, encodeTelemetryBatch, kafkaTopics, signalId } from '@fleetline/proto';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, uniqueName } from '../../test-support/infra.js';
import { startAlertRecorder } from '../src/alerts/alert-recorder.js';
import type { DetectorInput } from '../src/detectors/detector.js';
import { vehicleDetectors } from '../src/detectors/vehicle.js';
import { startProcessor } from '../src/processor.js';
import { processorSetups } from './support/processor-setups.js';

/**
 * The fast lane: a collision reported by the edge while the processor is held up writing a
 * batch of telemetry — its sample writes made to wait until the test lets them go — is stored
 * as an alert in the alert book before that batch completes, and the vehicle's detectors still
 * see its telemetry once each, in seq order, with the event among it.
 */

const dir = mkdtempSync(join(tmpdir(), 'fleetline-fast-lane-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const setups = await processorSetups('fastlane', 2);

const SPEED = signalId('Vehicle.Speed');
const t0 = Date.UTC(2026, 10, 30, 8, 0, 0);
const CRASH = 'veh-crash';
const OTHER = 'veh-other';

/** Telemetry batch `seq` of a vehicle: one second at 50 km/h (the other vehicle 1e9 ms later). */
function telemetry(deviceId: string, seq: number): ProduceRecord {
  const base = t0 + (deviceId === OTHER ? 1e9 : 0) + seq * 1000;
  return {
    topic: kafkaTopics.telemetry,
    key: deviceId,
    value: encodeTelemetryBatch({
      deviceId,
      seq,
      samples: [0, 500].map((dt) => ({ signalId: SPEED, timeMs: base + dt, value: 50 })),
    }),
  };
}

const collision: ProduceRecord = {
  topic: kafkaTopics.events,
  key: CRASH,
  value: encodeEvent({
    deviceId: CRASH,
    seq: 100,
    timeMs: t0 + 6_000,
    payload: {
      kind: 'collision',
      collision: {
        severity: 'severe',
        peakG: 24,
        deltaVKmh: 41,
        direction: 'front',
        speedBeforeKmh: 50,
        window: [],
      },
    },
  }),
};

/**
 * The telemetry database with its sample writes held at a gate while it is closed: a write
 * that reaches it waits until release().
 */
function heldSamples(db: TelemetryDb) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const state = { waiting: 0, completed: 0, released: false };
  const writeSamples = async (rows: readonly SampleRow[]) => {
    if (!state.released) {
      state.waiting++;
      await gate;
    }
    await db.writeSamples(rows);
    state.completed++;
  };
  const slowed = new Proxy(db, {
    get: (target, name) => {
      if (name === 'writeSamples') return writeSamples;
      const value = Reflect.get(target, name, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    db: slowed,
    state,
    release: () => {
      state.released = true;
      open();
    },
  };
}

/** The crash vehicle's detector inputs, in the order its detectors saw them. */
function observedDetectors(into: string[]) {
  const real = vehicleDetectors();
  const note = (input: DetectorInput) => {
    if (input.kind === 'telemetry') {
      const first = input.samples[0];
      if (first && first.timeMs < t0 + 1e9) into.push(`t${Math.round((first.timeMs - t0) / 1000)}`);
    }
    if (input.kind === 'event' && input.event.deviceId === CRASH) into.push(`e${input.event.seq}`);
  };
  return {
    ...real,
    detect: ((state, input) => {
      note(input);
      return real.detect(state, input);
    }) as typeof real.detect,
  };
}

for (const setup of setups) {
  describe.skipIf(setup.skip)(`fast lane: ${setup.name}`, () => {
    it('should store a collision as an alert while a telemetry batch is held up, keeping the vehicle’s order', async () => {
      const { log, telemetryDb } = await setup.open();
      const recordsDb = new SqliteRecordsDb({ path: join(dir, `${uniqueName('records')}.sqlite`) });
      await log.ensureTopics(fleetlineTopics({ topicPartitions: 2, topicReplication: 1 }));
      const held = heldSamples(telemetryDb);
      const seen: string[] = [];
      const options = (name: string) => ({
        log,
        groupId: name,
        logger: createLogger(name, 'silent'),
        metrics: new Registry(),
        onFatal: (err: Error) => {
          throw err;
        },
      });
      const recorder = await startAlertRecorder({ ...options('recorder'), recordsDb });
      const processor = await startProcessor({
        ...options('processors'),
        telemetryDb: held.db,
        detectors: observedDetectors(seen),
        partitions: 2,
      });
      const producer = await log.createProducer();
      const collisions = () =>
        recordsDb.listAlerts({
          fromMs: 0,
          toMs: Number.MAX_SAFE_INTEGER,
          deviceId: CRASH,
          type: 'collision',
          limit: 10,
        });
      try {
        const first = [1, 2, 3, 4, 5].flatMap((seq) => [
          telemetry(CRASH, seq),
          telemetry(OTHER, seq),
        ]);
        await producer.send(first);
        await eventually(() => held.state.waiting > 0, 'a telemetry batch held up writing samples');
        // More telemetry behind it, and the crash.
        await producer.send([6, 7, 8].map((seq) => telemetry(CRASH, seq)));
        await producer.send([collision]);
        await eventually(
          async () => (await collisions()).length > 0,
          'the collision in the alert book',
        );
        // Stored while the held batch had not written a single sample.
        expect(held.state.completed).toBe(0);
        expect(held.state.released).toBe(false);
        held.release();
        await eventually(
          () => seen.filter((s) => s.startsWith('t')).length >= 8,
          'all telemetry seen',
        );
        await eventually(() => held.state.completed >= 2, 'the held samples written');
        // Every batch once, in seq order; the event once, after the batches it was sent after.
        const batches = seen.filter((s) => s.startsWith('t'));
        expect(batches).toEqual(['t1', 't2', 't3', 't4', 't5', 't6', 't7', 't8']);
        expect(seen.filter((s) => s === 'e100')).toHaveLength(1);
        expect(seen.indexOf('e100')).toBeGreaterThan(seen.indexOf('t5'));
        expect(await collisions()).toHaveLength(1);
      } finally {
        held.release();
        await producer.close();
        await processor.close();
        await recorder.close();
        await log.close();
        await telemetryDb.close();
        await recordsDb.close();
      }
    });
  });
}
