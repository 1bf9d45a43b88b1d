import { describe, expect, it } from 'vitest';
import { batteryCondition, batteryVoltage } from '../../src/model/battery.js';
import { CRANKING_MS } from '../../src/model/powertrain.js';

const healthy = batteryCondition(false, 0.5);
const weak = batteryCondition(true, 0.5);
const at = { crankingForMs: 0, runningForMs: 0, crashed: false };

describe('batteryCondition', () => {
  it('should rest a healthy battery at 12.55–12.65 V and a weak one at 11.75–11.85 V', () => {
    expect(healthy.restingV).toBeCloseTo(12.6, 12);
    expect(weak.restingV).toBeCloseTo(11.8, 12);
    expect(weak.crankDipV).toBeGreaterThan(healthy.crankDipV);
  });
});

describe('batteryVoltage', () => {
  it('should rest, and sit 0.1 V lower after a crash', () => {
    expect(batteryVoltage(healthy, { ...at, engine: 'off' }, 0)).toBe(healthy.restingV);
    const crashed = batteryVoltage(healthy, { ...at, engine: 'off', crashed: true }, 0);
    expect(crashed).toBeCloseTo(healthy.restingV - 0.1, 12);
  });

  it('should dip while cranking, deeper for a weak battery', () => {
    const lowest = (b: typeof healthy) =>
      Math.min(
        ...Array.from({ length: CRANKING_MS / 10 }, (_, i) =>
          batteryVoltage(b, { ...at, engine: 'cranking', crankingForMs: i * 10 }, 0),
        ),
      );
    expect(lowest(healthy)).toBeGreaterThan(10);
    expect(lowest(weak)).toBeLessThan(9);
  });

  it('should charge towards 14.2 V once the engine runs', () => {
    const start = batteryVoltage(healthy, { ...at, engine: 'running' }, 0);
    expect(start).toBeCloseTo(healthy.restingV - 0.3, 12);
    const later = batteryVoltage(healthy, { ...at, engine: 'running', runningForMs: 20_000 }, 0);
    expect(later).toBeCloseTo(14.2, 4);
  });

  it('should add the noise it is given', () => {
    const quiet = batteryVoltage(healthy, { ...at, engine: 'off' }, 0);
    expect(batteryVoltage(healthy, { ...at, engine: 'off' }, 1) - quiet).toBeCloseTo(0.005, 12);
  });
});
