import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createLogger,
  fleetlineTopics,
  type Log,
  PostgresRecordsDb,
  type ProduceRecord,
  type RecordsDb,
  Registry,
  SqliteRecordsDb,
  type TelemetryDb,
} from '@fleetline/platform';
import { encodeEvent, encodeTelemetryBatch, kafkaTopics, signalId } from '@fleetline/proto';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/infra.js';
import { createTestDatabase, postgres, type TestDatabase } from '../../test-support/postgres.js';
import { startAlertRecorder } from '../src/alerts/alert-recorder.js';
import { vehicleDetectors } from '../src/detectors/vehicle.js';
import { type RunningProcessor, startProcessor } from '../src/processor.js';
import { processorSetups } from './support/processor-setups.js';

/**
 * Scale-out: a second processor joins the group under load and later leaves. Every sample is
 * stored, each vehicle's one DTC raises one alert, and each processor's detectors see each
 * vehicle's batches in order with none twice.
 */

const dir = mkdtempSync(join(tmpdir(), 'fleetline-rebalance-'));
const databases: TestDatabase[] = [];
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  for (const d of databases.splice(0)) await d.drop();
});

const postgresInfra = await postgres();
type Setup = { log: Log; telemetryDb: TelemetryDb; recordsDb: RecordsDb };
// The embedded pair with SQLite records; Kafka + Cassandra with PostgreSQL records.
const setups = (await processorSetups('rebalance', 6)).map((s) => ({
  name: s.kind === 'kafka' ? `${s.name} + PostgreSQL` : s.name,
  skip: s.skip ?? (s.kind === 'kafka' ? postgresInfra.reason : undefined),
  open: async (): Promise<Setup> => ({
    ...(await s.open()),
    recordsDb:
      s.kind === 'kafka'
        ? await PostgresRecordsDb.open({ url: await testDatabase(), poolSize: 4 })
        : new SqliteRecordsDb({ path: join(dir, 'records.sqlite') }),
  }),
}));

/** A database of its own on the tests' PostgreSQL, dropped after the suite; its URL. */
async function testDatabase(): Promise<string> {
  const db = await createTestDatabase('rebalance');
  databases.push(db);
  return db.url;
}

const SPEED = signalId('Vehicle.Speed');
const VEHICLES = 24;
const ROUNDS = 120;
// Vehicle v's times start v·10⁹ ms (11.6 days) after t0: all of them well in the past, as a
// telemetry database holds no row further ahead of now than devices' clocks may be.
const t0 = Date.UTC(2025, 0, 6, 9, 0, 0);

for (const setup of setups) {
  describe.skipIf(setup.skip)(`rebalance: ${setup.name}`, () => {
    it('should lose nothing, double nothing and keep each vehicle’s order while a processor joins and leaves', async () => {
      const { log, telemetryDb, recordsDb } = await setup.open();
      await log.ensureTopics(fleetlineTopics({ topicPartitions: 6, topicReplication: 1 }));
      // Each processor's detectors note the batches they see, per vehicle (the batch's seq is
      // in its sample times).
      const seen = [new Map<string, number[]>(), new Map<string, number[]>()];
      const observed = (into: Map<string, number[]>) => {
        const real = vehicleDetectors();
        return {
          ...real,
          detect: ((state, input) => {
            if (input.kind === 'telemetry') {
              const first = input.samples[0];
              const id = first ? `veh-${Math.floor((first.timeMs - t0) / 1e9)}` : '';
              const seq = first ? Math.round(((first.timeMs - t0) % 1e9) / 1000) : -1;
              into.set(id, [...(into.get(id) ?? []), seq]);
            }
            return real.detect(state, input);
          }) as typeof real.detect,
        };
      };
      const start = (i: 0 | 1) =>
        startProcessor({
          log,
          telemetryDb,
          groupId: 'processors',
          logger: createLogger(`processor-${i}`, 'silent'),
          metrics: new Registry(),
          partitions: 6,
          detectors: observed(seen[i] as Map<string, number[]>),
          onFatal: (err) => {
            throw err;
          },
        });
      const recorder = await startAlertRecorder({
        log,
        recordsDb,
        groupId: 'recorder',
        logger: createLogger('recorder', 'silent'),
        metrics: new Registry(),
        onFatal: (err) => {
          throw err;
        },
      });
      const first: RunningProcessor = await start(0);
      let second: RunningProcessor | undefined;
      const producer = await log.createProducer();
      try {
        for (let round = 1; round <= ROUNDS; round++) {
          const records: ProduceRecord[] = [];
          for (let v = 0; v < VEHICLES; v++) {
            const deviceId = `veh-${v}`;
            // Vehicle v's batch `round`: its sample times carry both (see observed()).
            const base = t0 + v * 1e9 + round * 1000;
            records.push({
              topic: kafkaTopics.telemetry,
              key: deviceId,
              value: encodeTelemetryBatch({
                deviceId,
                seq: round,
                samples: [0, 250, 500, 750].map((dt, i) => ({
                  signalId: SPEED,
                  timeMs: base + dt,
                  value: (v + round + i) % 120,
                })),
              }),
            });
            if (round === ROUNDS / 2) {
              records.push({
                topic: kafkaTopics.events,
                key: deviceId,
                value: encodeEvent({
                  deviceId,
                  seq: 100_000 + round,
                  timeMs: base,
                  payload: { kind: 'troubleCodes', codes: ['P0301'] },
                }),
              });
            }
          }
          await producer.send(records);
          if (round === 20) second = await start(1);
          if (round === 80) {
            await second?.close();
            second = undefined;
          }
          await new Promise((r) => setTimeout(r, 50)); // the load's pace, not a wait for a result
        }
        const stored = async (v: number) =>
          (
            await telemetryDb.querySamples({
              deviceId: `veh-${v}`,
              signalId: SPEED,
              fromMs: t0 + v * 1e9,
              toMs: t0 + v * 1e9 + (ROUNDS + 1) * 1000,
              limit: 10_000,
            })
          ).length;
        await eventually(
          async () => {
            for (let v = 0; v < VEHICLES; v++) if ((await stored(v)) < ROUNDS * 4) return false;
            return true;
          },
          'every sample stored',
          90_000,
          500,
        );
        for (let v = 0; v < VEHICLES; v++) expect(await stored(v), `veh-${v}`).toBe(ROUNDS * 4);

        // Both processors worked, and each saw each vehicle's batches in order, none twice.
        const [one, two] = seen as [Map<string, number[]>, Map<string, number[]>];
        expect(two.size, 'vehicles the second processor handled').toBeGreaterThan(0);
        let overlap = 0;
        for (let v = 0; v < VEHICLES; v++) {
          const id = `veh-${v}`;
          const a = one.get(id) ?? [];
          const b = two.get(id) ?? [];
          for (const seqs of [a, b]) {
            expect(
              seqs.every((s, i) => i === 0 || s > (seqs[i - 1] as number)),
              `${id} in order`,
            ).toBe(true);
          }
          const union = new Set([...a, ...b]);
          expect(union.size, `${id}: every batch seen`).toBe(ROUNDS);
          overlap += a.length + b.length - union.size;
        }
        expect(overlap, 'batches seen by both processors').toBe(0);

        // One DTC alert per vehicle.
        await eventually(
          async () =>
            (
              await recordsDb.listAlerts({
                fromMs: t0,
                toMs: t0 + VEHICLES * 1e9,
                type: 'dtc',
                limit: 1000,
              })
            ).length >= VEHICLES,
          'a DTC alert per vehicle',
          30_000,
        );
        const alerts = await recordsDb.listAlerts({
          fromMs: t0,
          toMs: t0 + VEHICLES * 1e9,
          type: 'dtc',
          limit: 1000,
        });
        expect(alerts).toHaveLength(VEHICLES);
        expect(new Set(alerts.map((a) => a.deviceId)).size).toBe(VEHICLES);
      } finally {
        await producer.close();
        await second?.close();
        await first.close();
        await recorder.close();
        await log.close();
        await telemetryDb.close();
        await recordsDb.close();
      }
    }, 180_000);
  });
}
