import { signalId } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import {
  DriveModel,
  FleetVehicleDrive,
  fleetSignals,
  fleetStepMs,
  type SpeedProfile,
  samplesBySignal,
} from '../src/index.js';
import { cloudAlerts, raisedTypes } from './model/cloud-alerts.js';
import { hashOf } from './model/support.js';

const everySecond = {
  defaultMs: 1000,
  speedMs: 1000,
  accelerationMs: 1000,
  accelerationEventMs: 1000,
  crankingMs: 1000,
};

describe('fleet vehicle', () => {
  it('should step as coarsely as its sample interval allows', () => {
    expect(fleetStepMs(1000)).toBe(100);
    expect(fleetStepMs(250)).toBe(50);
    expect(fleetStepMs(60)).toBe(20);
    expect(fleetStepMs(30)).toBe(10);
  });

  it('should sample each of its signals once per interval, the same for the same seed', () => {
    const start = Date.UTC(2026, 5, 1, 7);
    const drive = () => new FleetVehicleDrive(7, 'sim-0007', start, 1000);
    const a = drive().samplesUntil(start + 60_000);
    expect(hashOf({ samples: a, events: [] })).toBe(
      hashOf({ samples: drive().samplesUntil(start + 60_000), events: [] }),
    );
    const by = samplesBySignal(a);
    expect([...by.keys()].sort()).toEqual([...fleetSignals].sort());
    for (const [name, samples] of by) {
      const times = samples.map((s) => s.timeMs - start);
      // Position samples skip seconds without a GPS fix; a fleet vehicle has no outage.
      expect(times, name).toEqual(Array.from({ length: 61 }, (_, i) => i * 1000));
    }
  });

  it.each<SpeedProfile>(['city', 'highway', 'stopAndGo'])(
    'should drive a %s drive at a 100-ms step as it does at 10 ms',
    (profile) => {
      const fifteenMinutes = 900_000;
      const [fine, coarse] = ([10, 100] as const).map((stepMs) => {
        const model = new DriveModel(
          { seed: 5, profile, rates: everySecond, ambientC: 20, coolantC: 20 },
          { stepMs },
        );
        const by = samplesBySignal(model.advance(fifteenMinutes).samples);
        const values = (name: Parameters<typeof by.get>[0]) =>
          (by.get(name) ?? []).map((s) => s.value);
        const speeds = values('Vehicle.Speed');
        const odometer = values('Vehicle.TraveledDistance');
        const fuel = values('Vehicle.Powertrain.FuelSystem.RelativeLevel');
        return {
          meanKmh: speeds.reduce((a, b) => a + b, 0) / speeds.length,
          km: (odometer.at(-1) ?? 0) - (odometer[0] ?? 0),
          coolantC: values('Vehicle.Powertrain.CombustionEngine.ECT').at(-1) ?? 0,
          fuelUsedPct: (fuel[0] ?? 0) - (fuel.at(-1) ?? 0),
          samples: speeds.length,
        };
      }) as [
        { meanKmh: number; km: number; coolantC: number; fuelUsedPct: number; samples: number },
        { meanKmh: number; km: number; coolantC: number; fuelUsedPct: number; samples: number },
      ];
      expect(coarse.samples).toBe(fine.samples);
      expect(coarse.meanKmh).toBeGreaterThan(5);
      expect(Math.abs(coarse.meanKmh / fine.meanKmh - 1)).toBeLessThan(0.02);
      expect(Math.abs(coarse.km / fine.km - 1)).toBeLessThan(0.02);
      expect(Math.abs(coarse.coolantC - fine.coolantC)).toBeLessThan(0.5);
      expect(Math.abs(coarse.fuelUsedPct / fine.fuelUsedPct - 1)).toBeLessThan(0.05);
    },
  );

  it('should raise no alert in the cloud detectors on an ordinary fleet drive', () => {
    for (const seed of [1, 2, 3, 4]) {
      const start = Date.UTC(2026, 0, 1, 8);
      const drive = new FleetVehicleDrive(seed, 'sim-0001', start, 1000);
      const samples = drive.samplesUntil(start + 600_000);
      expect(samples.some((s) => s.signalId === signalId('Vehicle.Speed') && s.value > 10)).toBe(
        true,
      );
      expect(raisedTypes(cloudAlerts({ samples, events: [] })), `seed ${seed}`).toEqual([]);
    }
  });
});

describe('drive model step', () => {
  it('should refuse a coarse step for a drive with crash or pothole pulses', () => {
    expect(
      () =>
        new DriveModel(
          {
            seed: 1,
            rates: everySecond,
            events: [{ kind: 'crash', atMs: 30_000, direction: 'front' }],
          },
          { stepMs: 100 },
        ),
    ).toThrow('a crash needs the 10-ms step (stepMs 100)');
  });

  it('should refuse a sample rate that is not a multiple of the step', () => {
    expect(() => new DriveModel({ seed: 1 }, { stepMs: 100 })).toThrow(
      'rates.accelerationEventMs 10 ms is not a multiple of stepMs 100',
    );
  });
});
