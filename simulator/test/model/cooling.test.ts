import { describe, expect, it } from 'vitest';
import {
  coolantAfter,
  intakeAfter,
  oilAfter,
  type ThermalConditions,
  temperaturesAfter,
} from '../../src/model/cooling.js';

const running: ThermalConditions = {
  running: true,
  fanFailed: false,
  load: 0.2,
  v: 15,
  ambientC: 15,
  dt: 1,
};
/** Runs `fn` for `seconds` one-second steps. */
function after(seconds: number, start: number, fn: (x: number) => number): number {
  let x = start;
  for (let i = 0; i < seconds; i++) x = fn(x);
  return x;
}

describe('coolant', () => {
  it('should warm up from cold and settle at the thermostat', () => {
    const fiveMin = after(300, 15, (c) => coolantAfter(c, running));
    expect(fiveMin).toBeGreaterThan(40);
    expect(fiveMin).toBeLessThan(88);
    const hour = after(3600, 15, (c) => coolantAfter(c, running));
    expect(hour).toBeGreaterThan(89);
    expect(hour).toBeLessThan(92);
  });

  it('should climb past 110 °C with a failed fan, faster in slow traffic', () => {
    const slow = { ...running, fanFailed: true, v: 2 };
    const fast = { ...running, fanFailed: true, v: 30 };
    expect(after(300, 90, (c) => coolantAfter(c, slow))).toBeGreaterThan(110);
    expect(after(60, 90, (c) => coolantAfter(c, slow))).toBeGreaterThan(
      after(60, 90, (c) => coolantAfter(c, fast)),
    );
  });

  it('should cool towards the air with the engine off', () => {
    const off = { ...running, running: false };
    const cooled = after(1800, 90, (c) => coolantAfter(c, off));
    expect(cooled).toBeLessThan(90);
    expect(cooled).toBeGreaterThan(15);
  });
});

describe('oil and intake', () => {
  it('should bring the oil towards the coolant, a little hotter under load', () => {
    expect(after(3600, 15, (o) => oilAfter(o, 90, running))).toBeCloseTo(91, 1);
  });

  it('should heat the intake air when the car is slow', () => {
    const slow = after(600, 15, (i) => intakeAfter(i, { ...running, v: 0 }));
    const fast = after(600, 15, (i) => intakeAfter(i, { ...running, v: 30 }));
    expect(slow).toBeCloseTo(33, 1);
    expect(fast).toBeCloseTo(19, 1);
  });

  it('should move the oil with the coolant’s new temperature in the same step', () => {
    const t = temperaturesAfter({ coolantC: 50, oilC: 50, intakeC: 15 }, running);
    expect(t.coolantC).toBeCloseTo(50.21, 12);
    expect(t.oilC).toBeCloseTo(50 + (50.21 + 1 - 50) / 180, 12);
  });
});
