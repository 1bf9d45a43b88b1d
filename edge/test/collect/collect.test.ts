import { signalId } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import { compileCondition } from '../../src/collect/expression.js';
import { Collector } from '../../src/collect/policy.js';
import { SampleHistory } from '../../src/collect/ring-buffer.js';
import { TriggerEngine } from '../../src/collect/triggers.js';

const speed = signalId('Vehicle.Speed');
const rpm = signalId('Vehicle.Powertrain.CombustionEngine.Speed');
const sample = (signal: number, timeMs: number, value: number) => ({
  signalId: signal,
  timeMs,
  value,
});

describe('Collector', () => {
  it('should take at most one sample per period', () => {
    const c = new Collector(() => ({ kind: 'period', periodMs: 1000 }));
    const taken = [0, 100, 999, 1000, 1500, 2100, 2200].filter((t) => c.take(sample(speed, t, t)));
    expect(taken).toEqual([0, 1000, 2100]);
  });

  it('should take changes beyond the deadband, no faster than the minimum interval, plus heartbeats', () => {
    const c = new Collector(() => ({
      kind: 'change',
      deadband: 0.5,
      minIntervalMs: 100,
      heartbeatMs: 5000,
    }));
    const series: [number, number][] = [
      [0, 10],
      [50, 12], // changed, too soon
      [150, 12], // changed vs 10, interval ok
      [200, 12.4], // within deadband
      [300, 13], // changed by 1
      [5400, 13], // unchanged, heartbeat
    ];
    const taken = series.filter(([t, v]) => c.take(sample(speed, t, v))).map(([t]) => t);
    expect(taken).toEqual([0, 150, 300, 5400]);
  });

  it('should ignore a sample older than the last one taken', () => {
    const c = new Collector(() => ({ kind: 'period', periodMs: 10 }));
    expect(c.take(sample(speed, 1000, 1))).toBe(true);
    expect(c.take(sample(speed, 500, 2))).toBe(false);
  });
});

describe('conditions', () => {
  const values: Record<string, number> = {
    'Vehicle.Speed': 130,
    'Vehicle.Acceleration.Lateral': -7,
  };
  const lookup = (n: string) => values[n] ?? Number.NaN;

  it('should evaluate comparisons, logic, arithmetic and functions over dotted signal names', () => {
    expect(compileCondition('Vehicle.Speed > 120').evaluate(lookup)).toBe(true);
    expect(
      compileCondition('Vehicle.Speed > 120 && abs(Vehicle.Acceleration.Lateral) >= 6').evaluate(
        lookup,
      ),
    ).toBe(true);
    expect(
      compileCondition('Vehicle.Speed / 2 < 60 || !(Vehicle.Speed != 130)').evaluate(lookup),
    ).toBe(true);
    expect(compileCondition('max(Vehicle.Speed, 200) == 200').evaluate(lookup)).toBe(true);
    expect(compileCondition('Vehicle.Speed > 120').signals).toEqual(['Vehicle.Speed']);
  });

  it('should read a signal without a value as false in every comparison', () => {
    expect(compileCondition('Vehicle.TraveledDistance > 0').evaluate(lookup)).toBe(false);
    expect(compileCondition('Vehicle.TraveledDistance <= 0').evaluate(lookup)).toBe(false);
  });

  it('should refuse anything but numbers, signals, operators and the three functions', () => {
    for (const bad of [
      'process.exit(1)',
      'Vehicle.Speed = 3',
      '"text" > 1',
      'Vehicle["Speed"] > 1',
      'x >',
      'eval(1)',
    ]) {
      expect(() => compileCondition(bad), bad).toThrow(/condition/);
    }
  });
});

describe('TriggerEngine', () => {
  it('should capture pre and post windows on a rising edge and respect the minimum interval', () => {
    const history = new SampleHistory(60_000);
    const engine = new TriggerEngine(
      [
        {
          name: 'overspeed',
          when: 'Vehicle.Speed > 120',
          preMs: 2000,
          postMs: 3000,
          minIntervalMs: 10_000,
        },
      ],
      history,
    );
    const captures = [];
    // Above 120 from 5000, dips at 9000, rises again at 10000 (too soon: that edge is spent),
    // dips at 19000 and rises at 20000.
    for (let t = 0; t <= 30_000; t += 1000) {
      const v = (t >= 5000 && t < 9000) || (t >= 10_000 && t < 19_000) || t >= 20_000 ? 130 : 100;
      const s = sample(speed, t, v);
      history.add(s);
      history.add(sample(rpm, t, 2000));
      captures.push(...engine.update(s));
    }
    expect(captures.map((c) => c.triggeredAtMs)).toEqual([5000, 20_000]);
    const first = captures[0];
    const times = [...new Set(first?.window.map((s) => s.timeMs))].sort((a, b) => a - b);
    expect(times).toEqual([3000, 4000, 5000, 6000, 7000, 8000]);
    expect(new Set(first?.window.map((s) => s.signalId))).toEqual(new Set([speed, rpm]));
  });

  it('should close a window at the first sample past its end, with every signal at its very end', () => {
    const history = new SampleHistory(60_000);
    const engine = new TriggerEngine(
      [{ name: 'overspeed', when: 'Vehicle.Speed > 120', preMs: 2000, postMs: 3000 }],
      history,
    );
    const captures = [];
    // Each instant's samples one after another, as they are read: speed first, then rpm.
    for (let t = 0; t <= 10_000; t += 1000) {
      for (const s of [sample(speed, t, t >= 5000 ? 130 : 100), sample(rpm, t, 2000 + t)]) {
        history.add(s);
        const closed = engine.update(s);
        if (closed.length > 0) expect(s.timeMs, 'closed by the first sample past 8000').toBe(9000);
        captures.push(...closed);
      }
    }
    expect(captures).toHaveLength(1);
    const rpmTimes = captures[0]?.window.filter((s) => s.signalId === rpm).map((s) => s.timeMs);
    expect(rpmTimes).toEqual([3000, 4000, 5000, 6000, 7000, 8000]);
  });

  it('should close a window on the clock when samples stop', () => {
    const history = new SampleHistory(60_000);
    const engine = new TriggerEngine(
      [{ name: 't', when: 'Vehicle.Speed > 1', preMs: 0, postMs: 1000 }],
      history,
    );
    const s = sample(speed, 100, 5);
    history.add(s);
    expect(engine.update(s)).toEqual([]);
    expect(engine.tick(1099)).toEqual([]);
    expect(engine.tick(1100).map((c) => c.name)).toEqual(['t']);
  });

  it('should refuse a trigger on a signal that is not in the catalogue', () => {
    expect(
      () => new TriggerEngine([{ name: 'x', when: 'Vehicle.Nope > 1' }], new SampleHistory(1000)),
    ).toThrow(/not a catalogue signal/);
  });
});

describe('SampleHistory', () => {
  it('should forget what is older than its span and cap each signal', () => {
    const h = new SampleHistory(1000, 5);
    for (let t = 0; t < 3000; t += 100) h.add(sample(speed, t, t));
    const w = h.window(0, 10_000);
    expect(w.map((s) => s.timeMs)).toEqual([2500, 2600, 2700, 2800, 2900]);
    expect(h.latest(speed)?.value).toBe(2900);
  });

  it('should keep every sample in order while its rings grow past a wrap-around', () => {
    // Forgetting by span wraps the ring before it fills; growth must unroll it in order.
    const h = new SampleHistory(2000, 1000);
    const kept: number[] = [];
    for (let t = 0; t < 5000; t += 5) {
      h.add(sample(speed, t, t));
      kept.push(t);
    }
    const expected = kept.filter((t) => t >= 5000 - 5 - 2000);
    expect(h.window(0, 10_000).map((s) => s.timeMs)).toEqual(expected.slice(-1000));
    // A dense burst past the span's worth is capped at maxPerSignal, newest kept.
    for (let t = 5000; t < 5375; t += 0.25) h.add(sample(speed, t, t));
    const w = h.window(0, 10_000).map((s) => s.timeMs);
    expect(w).toHaveLength(1000);
    expect(w[0]).toBe(5125);
    expect(w.at(-1)).toBe(5374.75);
    expect(w).toEqual([...w].sort((a, b) => a - b));
  });
});
