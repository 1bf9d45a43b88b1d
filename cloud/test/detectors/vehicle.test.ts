import type { Sample, VehicleEvent } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import type { RaisedCondition } from '../../src/detectors/findings.js';
import {
  type VehicleDetectorState,
  type VehicleInput,
  vehicleDetectors,
} from '../../src/detectors/vehicle.js';
import { merged, series } from './profile.js';

const G = 9.80665;
const t0 = Date.UTC(2026, 10, 25, 7, 30, 0);

/**
 * A one-minute city drive as an older agent sends it: acceleration at 100 Hz, speed at 10 Hz,
 * coolant, fuel, voltage, engine speed and odometer at 1 Hz, in 5-second batches. `events`
 * adds what happens on the way.
 */
function cityDrive(events: {
  crashAtMs?: number;
  brakingAtMs?: number;
  potholesAtMs?: number[];
}): VehicleInput[] {
  const speedAt = (t: number) => {
    if (events.crashAtMs !== undefined && t >= events.crashAtMs + 100) return 0;
    if (events.brakingAtMs !== undefined && t >= events.brakingAtMs)
      return Math.max(0, 50 - ((t - events.brakingAtMs) / 1500) * 50);
    return 50;
  };
  const lon = (t: number) => {
    let a = 0.3 * Math.sin(t / 900); // ordinary traffic
    const c = events.crashAtMs;
    if (c !== undefined && t >= c && t <= c + 100)
      a -= 26 * G * Math.sin((Math.PI * (t - c)) / 100) ** 2;
    const b = events.brakingAtMs;
    if (b !== undefined && t >= b && t < b + 1500) a -= 0.95 * G;
    for (const p of events.potholesAtMs ?? []) if (t >= p && t < p + 10) a -= 4 * G;
    return a;
  };
  const ms = 60_000;
  const at100 = Array.from({ length: ms / 10 }, (_, i) => i * 10);
  const samples: Sample[] = merged(
    series('Vehicle.Acceleration.Longitudinal', t0, 10, at100.map(lon)),
    series(
      'Vehicle.Acceleration.Lateral',
      t0,
      10,
      at100.map((t) => 0.2 * Math.cos(t / 1300)),
    ),
    series(
      'Vehicle.Speed',
      t0,
      100,
      Array.from({ length: ms / 100 }, (_, i) => speedAt(i * 100)),
    ),
    series('Vehicle.Powertrain.CombustionEngine.ECT', t0, 1000, Array(60).fill(92)),
    series('Vehicle.Powertrain.FuelSystem.RelativeLevel', t0, 1000, Array(60).fill(41)),
    series('Vehicle.LowVoltageBattery.CurrentVoltage', t0, 1000, Array(60).fill(14.1)),
    series('Vehicle.Powertrain.CombustionEngine.Speed', t0, 1000, Array(60).fill(1800)),
    series(
      'Vehicle.TraveledDistance',
      t0,
      1000,
      Array.from({ length: 60 }, (_, i) => 31_000 + i * 0.014),
    ),
  );
  const inputs: VehicleInput[] = [];
  for (let from = t0; from < t0 + ms; from += 5000) {
    inputs.push({
      kind: 'telemetry',
      samples: samples.filter((s) => s.timeMs >= from && s.timeMs < from + 5000),
      receivedAtMs: from + 5200,
    });
  }
  return inputs;
}

function run(inputs: readonly VehicleInput[], snapshotEvery = 0) {
  const detectors = vehicleDetectors();
  let state: VehicleDetectorState = detectors.initial();
  const raised: RaisedCondition[] = [];
  inputs.forEach((input, i) => {
    // A snapshot to the store and back, as passivation or a restart does.
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
