import { describe, expect, it } from 'vitest';
import { setUpDrive } from '../../src/model/drive-setup.js';

const lengthM = 6000;
/** A setup's drawn values, without its random streams. */
function drawn(seed: number, scenario = {}) {
  const { driveRandom, noise, ...rest } = setUpDrive({ seed, ...scenario }, lengthM, 2000);
  return { ...rest, drive: driveRandom(), noise: noise() };
}

describe('setUpDrive', () => {
  it('should make the same vehicle of the same seed, and another of another', () => {
    expect(drawn(1)).toEqual(drawn(1));
    expect(drawn(2)).not.toEqual(drawn(1));
  });

  it('should start somewhere on the route, stopped until a few seconds after the engine start', () => {
    const d = drawn(5);
    expect(d.startDistanceM).toBeGreaterThanOrEqual(0);
    expect(d.startDistanceM).toBeLessThan(lengthM);
    expect(d.firstStopS).toBeGreaterThanOrEqual(5);
    expect(d.firstStopS).toBeLessThan(8);
  });

  it('should draw nothing for what the scenario sets; the driver and noise streams stay', () => {
    const free = drawn(7);
    const set = drawn(7, { ambientC: 30, odometerKm: 12_345, fuelPct: 10 });
    expect([set.ambientC, set.odometerKm, set.fuelPct]).toEqual([30, 12_345, 10]);
    expect(set.drive).toBe(free.drive);
    expect(set.noise).toBe(free.noise);
  });

  it('should put the odometer the asked distance before the next service', () => {
    const d = drawn(8, { odometerKm: 23_000, serviceDueInKm: 500 });
    expect(d.odometerKm).toBe(29_500);
    expect(d.lastServiceKm).toBe(20_000);
  });
});
