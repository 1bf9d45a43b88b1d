import { describe, expect, it } from 'vitest';
import { hold, merged, ramp, runInBatches, series } from '../../../test-support/drive-profiles.js';
import { dtc } from '../../src/detectors/dtc.js';
import { harshDriving } from '../../src/detectors/harsh-driving.js';

const t0 = Date.UTC(2026, 10, 25, 8, 0, 0);
const LON = 'Vehicle.Acceleration.Longitudinal' as const;
const LAT = 'Vehicle.Acceleration.Lateral' as const;
const VERT = 'Vehicle.Acceleration.Vertical' as const;
const HZ50 = 20;

describe('trouble codes', () => {
  it('should raise a code when it appears, once, and clear it when it is gone', () => {
    const detector = dtc();
    let s = detector.initial;
    const step = (codes: string[], at: number) => {
      const r = detector.step(s, { codes, timeMs: at, receivedAtMs: at + 200 });
      s = r.state;
      return r.findings;
    };
    const first = step(['P0420'], t0);
    expect(first.raised).toEqual([
      {
        type: 'dtc',
        key: 'P0420',
        severity: 'warning',
        timeMs: t0,
        evidence: { code: 'P0420' },
        clearsWhen: 'the vehicle no longer reports P0420',
      },
    ]);
    // Reported again, with a misfire added and spelled loosely: only the new one is raised.
    const second = step([' p0420', 'P0301'], t0 + 1000);
    expect(second.raised.map((r) => [r.key, r.severity])).toEqual([['P0301', 'critical']]);
    expect(second.cleared).toEqual([]);
    const third = step(['P0301'], t0 + 2000);
    expect(third.raised).toEqual([]);
    expect(third.cleared).toEqual([
      { type: 'dtc', key: 'P0420', timeMs: t0 + 2000, evidence: { code: 'P0420' } },
    ]);
    expect(step([], t0 + 3000).cleared.map((c) => c.key)).toEqual(['P0301']);
  });

  it('should call lost communication critical', () => {
    const detector = dtc();
    const report = { codes: ['U0100'], timeMs: t0, receivedAtMs: t0 };
    expect(detector.step(detector.initial, report).findings.raised[0]?.severity).toBe('critical');
  });
});

describe('harsh driving', () => {
  const detector = harshDriving();
  /** 50 Hz longitudinal trace: cruise, a braking pulse of `g`, for `ms`, cruise. */
  const braking = (startMs: number, peak: number, ms: number) =>
    series(LON, startMs, HZ50, [
      ...hold(0.2, 25),
      ...ramp(0, peak, 15),
      ...hold(peak, ms / HZ50),
      ...ramp(peak, 0, 15),
      ...hold(0.1, 25),
    ]);

  it('should report a hard braking once, with its peak and duration', () => {
    const r = runInBatches(detector, braking(t0, -5, 1500), 50);
    expect(r.raised).toHaveLength(1);
    expect(r.raised[0]).toMatchObject({ type: 'harsh_braking', severity: 'warning' });
    expect(r.raised[0]?.evidence.peakG).toBeCloseTo(0.51, 2);
    expect(r.raised[0]?.evidence.durationMs).toBeGreaterThan(1500);
  });

  it('should call an emergency stop critical', () => {
    const r = runInBatches(detector, braking(t0, -8, 1200), 50);
    expect(r.raised.map((x) => [x.type, x.severity])).toEqual([['harsh_braking', 'critical']]);
  });

  it('should take a pothole for nothing', () => {
    // A 30 ms shock, mostly vertical, with a sharp longitudinal component.
    const shock = [...hold(0, 50), -15, -12, 0.3, ...hold(0, 50)];
    const r = runInBatches(
      detector,
      merged(
        series(LON, t0, HZ50, shock),
        series(
          VERT,
          t0,
          HZ50,
          shock.map((v) => v * 3),
        ),
      ),
      17,
    );
    expect(r.raised).toEqual([]);
  });

  it('should count a braking broken by a short release as one manoeuvre, and two far apart as two', () => {
    const close = merged(braking(t0, -5, 800), braking(t0 + 3000, -5, 800));
    expect(runInBatches(detector, close, 40).raised).toHaveLength(1);
    const apart = merged(braking(t0, -5, 800), braking(t0 + 20_000, -5, 800));
    expect(runInBatches(detector, apart, 40).raised.map((r) => r.type)).toEqual([
      'harsh_braking',
      'harsh_braking',
    ]);
  });

  it('should report hard acceleration and cornering either way', () => {
    const launch = series(LON, t0, HZ50, [...hold(0, 10), ...hold(4, 40), ...hold(1, 10)]);
    const left = series(LAT, t0 + 10_000, HZ50, [...hold(0, 10), ...hold(5, 50), ...hold(0, 10)]);
    const right = series(LAT, t0 + 30_000, HZ50, [...hold(0, 10), ...hold(-5, 50), ...hold(0, 10)]);
    const r = runInBatches(detector, merged(launch, left, right), 64);
    expect(r.raised.map((x) => x.type)).toEqual([
      'harsh_acceleration',
      'harsh_cornering',
      'harsh_cornering',
    ]);
  });

  it('should find the same in any batching', () => {
    const drive = merged(braking(t0, -6.5, 900), braking(t0 + 9000, -4.5, 500));
    expect(runInBatches(detector, drive, 1)).toEqual(runInBatches(detector, drive, drive.length));
  });
});
