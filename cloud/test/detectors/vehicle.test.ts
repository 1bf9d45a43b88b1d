import type { VehicleEvent } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import { cityDriveBatches } from '../../../test-support/drive-profiles.js';
import type { RaisedCondition } from '../../src/detectors/findings.js';
import {
  type VehicleDetectorState,
  type VehicleInput,
  vehicleDetectors,
} from '../../src/detectors/vehicle.js';

const t0 = Date.UTC(2026, 10, 25, 7, 30, 0);

/** The drive's 5-second batches as the actor receives them. */
const cityDrive = (events: Parameters<typeof cityDriveBatches>[1]): VehicleInput[] =>
  cityDriveBatches(t0, events).map((samples, i) => ({
    kind: 'telemetry',
    samples,
    receivedAtMs: t0 + (i + 1) * 5000 + 200,
  }));

function run(inputs: readonly VehicleInput[], snapshotEvery = 0) {
  const detectors = vehicleDetectors();
  let state: VehicleDetectorState = detectors.initial();
  const raised: RaisedCondition[] = [];
  inputs.forEach((input, i) => {
    // A snapshot to the telemetry database and back, as passivation or a restart does.
    if (snapshotEvery && i % snapshotEvery === 0) state = JSON.parse(JSON.stringify(state));
    const r = detectors.detect(state, input);
    state = r.state;
    raised.push(...r.findings.raised);
  });
  return { state, raised };
}

describe('a vehicle’s detectors together', () => {
  it('should turn a simulated crash into one collision alert', () => {
    const r = run(cityDrive({ crashAtMs: 31_000 }));
    expect(r.raised.filter((x) => x.type === 'collision')).toMatchObject([
      { severity: 'critical', evidence: { source: 'acceleration samples', direction: 'front' } },
    ]);
  });

  it('should see hard braking and no collision in a drive with potholes and hard braking', () => {
    const r = run(cityDrive({ brakingAtMs: 20_000, potholesAtMs: [8_000, 8_700, 41_000, 47_250] }));
    expect(r.raised.map((x) => x.type)).toEqual(['harsh_braking']);
  });

  it('should find the same after snapshots to JSON and back as without', () => {
    const inputs = cityDrive({ crashAtMs: 12_345, potholesAtMs: [40_000] });
    expect(run(inputs, 1).raised).toEqual(run(inputs).raised);
    expect(run(inputs, 3).raised).toEqual(run(inputs).raised);
  });

  it('should take events and the clock: trouble codes, the edge’s collision, silence', () => {
    const detectors = vehicleDetectors({ offlineAfterMs: 3_600_000 });
    const codes: VehicleEvent = {
      deviceId: 'veh-1',
      seq: 9,
      timeMs: t0,
      payload: { kind: 'troubleCodes', codes: ['P0217'] },
    };
    const crash: VehicleEvent = {
      deviceId: 'veh-1',
      seq: 10,
      timeMs: t0 + 1000,
      payload: {
        kind: 'collision',
        collision: {
          severity: 'minor',
          peakG: 3.1,
          deltaVKmh: 11,
          direction: 'rear',
          speedBeforeKmh: 0,
          window: [],
        },
      },
    };
    let state = detectors.initial();
    const types: string[] = [];
    for (const input of [
      { kind: 'event', event: codes, receivedAtMs: t0 + 100 },
      { kind: 'event', event: crash, receivedAtMs: t0 + 1100 },
      { kind: 'event', event: crash, receivedAtMs: t0 + 1100 }, // delivered again
      { kind: 'tick', nowMs: t0 + 1_800_000 },
      { kind: 'tick', nowMs: t0 + 3_700_000 },
      { kind: 'tick', nowMs: t0 + 7_200_000 },
    ] satisfies VehicleInput[]) {
      const r = detectors.detect(state, input);
      state = r.state;
      types.push(...r.findings.raised.map((x) => `${x.type}:${x.key}:${x.severity}`));
    }
    expect(types).toEqual([
      'dtc:P0217:warning',
      'collision:edge-10:warning',
      'offline:offline:warning',
    ]);
  });
});
