import { describe, expect, it } from 'vitest';
import {
  CRANKING_MS,
  engineAt,
  engineManagement,
  fuelFlowLps,
  gearFor,
  type Powertrain,
  powertrainAfter,
  roadPowerW,
  rpmInGear,
} from '../../src/model/powertrain.js';
import { IDLE_RPM } from '../../src/model/vehicle.js';

const parked: Powertrain = { gear: 0, engineRpm: 0, fuelPct: 50, consumptionL100: 0, loadPct: 0 };
const noDraw = () => {
  throw new Error('drew noise');
};

describe('engineAt', () => {
  it('should crank from the key-turn and run after the starter’s time', () => {
    expect(engineAt('off', 1999, 2000, false)).toBe('off');
    expect(engineAt('off', 2000, 2000, false)).toBe('cranking');
    expect(engineAt('cranking', 2000 + CRANKING_MS - 1, 2000, false)).toBe('cranking');
    expect(engineAt('cranking', 2000 + CRANKING_MS, 2000, false)).toBe('running');
  });

  it('should not start a crashed car, and not stop a running one', () => {
    expect(engineAt('off', 5000, 2000, true)).toBe('off');
    expect(engineAt('running', 5000, 2000, true)).toBe('running');
  });
});

describe('gearbox', () => {
  it('should turn the engine by the gear and final drive', () => {
    expect(rpmInGear(1, 10)).toBeCloseTo((10 / 1.95) * 60 * 3.6 * 3.9, 9);
    expect(rpmInGear(6, 10)).toBeLessThan(rpmInGear(5, 10));
  });

  it('should hold neutral at a stop, pull away in first and shift one gear at a time', () => {
    expect(gearFor(3, 0.2)).toBe(0);
    expect(gearFor(0, 1)).toBe(1);
    expect(gearFor(1, 10)).toBe(2); // 4,300 rpm in first
    expect(gearFor(6, 5)).toBe(5); // 600 rpm in sixth
    expect(gearFor(6, 40)).toBe(6);
  });
});

describe('road load and fuel', () => {
  it('should need no power standing, more at speed, and none while braking', () => {
    expect(roadPowerW(0, 0)).toBe(0);
    expect(roadPowerW(30, 0)).toBeGreaterThan(roadPowerW(15, 0));
    expect(roadPowerW(20, -3)).toBe(0);
  });

  it('should burn 0.9 L/h at idle', () => {
    expect(fuelFlowLps(0) * 3600).toBeCloseTo(0.9, 12);
  });
});

describe('powertrainAfter', () => {
  const at = { v: 0, powerW: 0, runningForMs: 10_000, dt: 0.01 };

  it('should be still with the engine off, drawing no noise', () => {
    expect(powertrainAfter(parked, { ...at, engine: 'off' }, noDraw)).toEqual(parked);
  });

  it('should turn at about 200 rpm while cranking, burning nothing', () => {
    const p = powertrainAfter(parked, { ...at, engine: 'cranking' }, () => 1);
    expect(p).toEqual({ ...parked, engineRpm: 230 });
  });

  it('should idle, flaring just after the start, and burn fuel while running', () => {
    const warm = powertrainAfter(parked, { ...at, engine: 'running' }, () => 0);
    expect(warm.engineRpm).toBeCloseTo(IDLE_RPM, 0);
    expect(warm.fuelPct).toBeLessThan(parked.fuelPct);
    expect(warm.loadPct).toBe(18);
    const fresh = powertrainAfter(parked, { ...at, engine: 'running', runningForMs: 0 }, () => 0);
    expect(fresh.engineRpm).toBe(IDLE_RPM + 450);
  });

  it('should follow the wheels in gear and report consumption on the move', () => {
    const v = 20;
    const p = powertrainAfter(
      { ...parked, gear: 3 },
      { ...at, engine: 'running', v, powerW: roadPowerW(v, 0) },
      () => 0,
    );
    expect(p.gear).toBe(4);
    expect(p.engineRpm).toBeCloseTo(rpmInGear(4, v), 9);
    expect(p.consumptionL100).toBeGreaterThan(3);
    expect(p.consumptionL100).toBeLessThan(10);
  });
});

describe('engineManagement', () => {
  it('should report nothing with the engine off', () => {
    expect(engineManagement(false, 5000, 1000)).toEqual({ mafGs: 0, throttlePct: 0, runTimeS: 0 });
  });

  it('should report air flow from fuel flow, a throttle and the time since the start', () => {
    const em = engineManagement(true, 0, 61_000);
    expect(em.mafGs).toBeCloseTo((0.9 / 3600) * 0.745 * 1000 * 14.7, 12);
    expect(em.throttlePct).toBe(3.5);
    expect(em.runTimeS).toBe(61);
  });
});
