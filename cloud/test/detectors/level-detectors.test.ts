import { describe, expect, it } from 'vitest';
import { hold, ramp, runInBatches, series } from '../../../test-support/drive-profiles.js';
import { lowFuel } from '../../src/detectors/low-fuel.js';
import { overheat } from '../../src/detectors/overheat.js';

const t0 = Date.UTC(2026, 10, 25, 8, 0, 0);
const ECT = 'Vehicle.Powertrain.CombustionEngine.ECT' as const;
const FUEL = 'Vehicle.Powertrain.FuelSystem.RelativeLevel' as const;

describe('overheat', () => {
  it('should stay quiet through a normal warm-up to operating temperature', () => {
    // 10 minutes from cold to 95 °C, then an hour of driving around 92–98 °C.
    const values = [
      ...ramp(20, 95, 600),
      ...Array.from({ length: 3600 }, (_, i) => 95 + 3 * Math.sin(i / 60)),
    ];
    const r = runInBatches(overheat, series(ECT, t0, 1000, values), 60);
    expect(r.raised).toEqual([]);
  });

  it('should raise once when coolant stays hot, and clear once after it cooled down', () => {
    // A fan failure: 95 → 116 °C in 3 minutes, two minutes there, then back to 98 °C.
    const values = [
      ...hold(95, 60),
      ...ramp(95, 116, 180),
      ...hold(116, 120),
      ...ramp(116, 98, 120),
      ...hold(98, 180),
    ];
    const samples = series(ECT, t0, 1000, values);
    const r = runInBatches(overheat, samples, 10);
    expect(r.raised).toHaveLength(1);
    const raised = r.raised[0];
    const first110 = samples.find((s) => s.value >= 110)?.timeMs;
    expect(raised).toMatchObject({
      type: 'overheat',
      key: 'overheat',
      severity: 'warning',
      timeMs: first110,
    });
    expect(raised?.evidence.coolantC).toBeGreaterThanOrEqual(110);
    expect(r.cleared).toHaveLength(1);
    // Cleared 60 s after it first reached 100 °C on the way down.
    const first100 = samples.find((s) => s.timeMs > (first110 ?? 0) && s.value <= 100)?.timeMs ?? 0;
    expect(r.cleared[0]?.timeMs).toBe(first100 + 60_000);
  });

  it('should not raise for a short spike, nor flap while hovering between the thresholds', () => {
    const spike = [...hold(95, 30), ...hold(112, 20), ...hold(99, 30)];
    expect(runInBatches(overheat, series(ECT, t0, 1000, spike), 7).raised).toEqual([]);
    // Open, then hovering at 103–109 °C for ten minutes: still one open condition.
    const hover = [
      ...hold(112, 40),
      ...Array.from({ length: 600 }, (_, i) => 106 + 3 * Math.sin(i)),
    ];
    const r = runInBatches(overheat, series(ECT, t0, 1000, hover), 13);
    expect(r.raised).toHaveLength(1);
    expect(r.cleared).toEqual([]);
    expect(r.state.open).toBe(true);
  });

  it('should call 120 °C and over critical', () => {
    const r = runInBatches(
      overheat,
      series(ECT, t0, 1000, [...ramp(105, 124, 20), ...hold(124, 60)]),
      100,
    );
    expect(r.raised.map((x) => x.severity)).toEqual(['critical']);
  });

  it('should find the same whether the samples come in one batch or one by one', () => {
    const values = [
      ...hold(95, 60),
      ...ramp(95, 118, 100),
      ...hold(118, 100),
      ...ramp(118, 90, 100),
      ...hold(90, 100),
    ];
    const samples = series(ECT, t0, 1000, values);
    expect(runInBatches(overheat, samples, 1)).toEqual(
      runInBatches(overheat, samples, samples.length),
    );
  });
});

describe('low fuel', () => {
  it('should not raise while fuel sloshes around the threshold in corners', () => {
    // Around 10–12 %, dipping under 10 % for a few seconds at a time.
    const values = Array.from({ length: 900 }, (_, i) => (i % 10 < 3 ? 9 : 12));
    expect(runInBatches(lowFuel, series(FUEL, t0, 1000, values), 30).raised).toEqual([]);
  });

  it('should raise when the tank runs low and clear after refuelling', () => {
    const values = [...ramp(20, 8, 600), ...hold(8, 300), ...ramp(8, 60, 30), ...hold(60, 120)];
    const r = runInBatches(lowFuel, series(FUEL, t0, 1000, values), 25);
    expect(r.raised).toHaveLength(1);
    expect(r.raised[0]).toMatchObject({ type: 'low_fuel', severity: 'warning' });
    expect(r.raised[0]?.evidence.fuelPercent).toBeLessThanOrEqual(10);
    expect(r.cleared).toHaveLength(1);
    expect(r.state.open).toBe(false);
  });

  it('should call 5 % or less critical, and ignore other signals', () => {
    const r = runInBatches(
      lowFuel,
      [...series(FUEL, t0, 1000, hold(4, 90)), ...series(ECT, t0, 1000, hold(130, 90))].sort(
        (a, b) => a.timeMs - b.timeMs,
      ),
      50,
    );
    expect(r.raised.map((x) => [x.type, x.severity])).toEqual([['low_fuel', 'critical']]);
  });
});
