import { createLogger, Registry } from '@fleetline/platform';
import { signalId } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import { vehicleDetectors } from '../src/detectors/vehicle.js';
import { tellWhenAccepting, vehicleActors } from '../src/processor-actors.js';
import { processorMetrics } from '../src/processor-metrics.js';
import type { VehicleEffects } from '../src/vehicle-actor.js';
import type { TelemetryMessage } from '../src/vehicle-messages.js';

const SPEED = signalId('Vehicle.Speed');
const t0 = Date.UTC(2026, 10, 25, 7, 30, 0);

const effects: VehicleEffects = {
  publishAlerts: async () => {},
  writeSamples: async () => {},
  writeLatest: async () => {},
  writeEvents: async () => {},
  recordStatus: async () => {},
  markSeen: async () => {},
  saveSnapshot: async () => {},
  loadSnapshot: async () => undefined,
};

const telemetry = (seq: number, epoch?: number): TelemetryMessage => ({
  kind: 'telemetry',
  batch: {
    deviceId: 'veh',
    seq,
    ...(epoch === undefined ? {} : { seqEpoch: epoch }),
    baseTimeMs: t0 + seq,
    samples: [{ deviceId: 'veh', signalId: SPEED, timeMs: t0 + seq, value: 1 }],
  },
  receivedAtMs: t0 + seq,
});

describe('the processor’s vehicle actors', () => {
  it('should make one actor per vehicle and count what the actors report', async () => {
    const registry = new Registry();
    const actors = vehicleActors({
      effects,
      detectors: vehicleDetectors(),
      metrics: processorMetrics(registry),
      log: createLogger('actors-test', 'silent'),
      idleMs: 60_000,
      maxQueued: 100,
    });
    const tell = tellWhenAccepting(actors);
    try {
      const outcome = await tell('veh', [telemetry(1, 5), telemetry(1, 5), telemetry(1, 6)]);
      expect(outcome.duplicates).toEqual([1]);
      expect(actors.size).toBe(1);
      const value = async (name: string) =>
        (await registry.getSingleMetric(name)?.get())?.values.map((v) => [v.labels, v.value]);
      expect(await value('fleetline_processor_duplicates_total')).toEqual([
        [{ kind: 'telemetry' }, 1],
      ]);
      expect(await value('fleetline_processor_seq_restarts_total')).toEqual([
        [{ reason: 'new-epoch' }, 1],
      ]);
    } finally {
      await actors.stopAll();
    }
  });
});
