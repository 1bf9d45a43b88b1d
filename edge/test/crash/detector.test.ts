import { STANDARD_GRAVITY as G } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import { type CollisionDetection, CrashDetector } from '../../src/crash/detector.js';

/**
 * Recorded-style profiles at 1 kHz (EDR rate) and 100 Hz (a typical MEMS IMU setting):
 * crash pulses are haversine decelerations, the usual shape of barrier and car-to-car tests.
 */

interface Profile {
  /** Vehicle-frame acceleration at time t (ms from start). */
  accel(t: number): { x: number; y: number };
  speedKmh(t: number): number;
  durationMs: number;
}

function run(profile: Profile, hz: number): CollisionDetection[] {
  const d = new CrashDetector();
  const out: CollisionDetection[] = [];
  const t0 = 1_764_000_000_000;
  const step = 1000 / hz;
  for (let t = 0; t <= profile.durationMs; t += step) {
    if (Math.round(t) % 100 === 0) d.speed(t0 + t, profile.speedKmh(t));
    const a = profile.accel(t);
    const hit = d.acceleration(t0 + t, { longitudinal: a.x, lateral: a.y });
    if (hit) out.push({ ...hit, timeMs: hit.timeMs - t0 });
  }
  return out;
}

/** A haversine pulse of the given Δv (km/h) over durationMs, starting at startMs, along (ux, uy). */
function pulse(startMs: number, durationMs: number, deltaVKmh: number, ux: number, uy: number) {
  const dv = deltaVKmh / 3.6;
  const peak = (dv * Math.PI) / (2 * (durationMs / 1000));
  return (t: number) => {
    if (t < startMs || t > startMs + durationMs) return { x: 0, y: 0 };
    const a = peak * Math.sin((Math.PI * (t - startMs)) / durationMs);
    return { x: a * ux, y: a * uy };
  };
}

const cruising = (kmh: number) => () => kmh;
const noise = (t: number) => ({ x: Math.sin(t / 37) * 0.3, y: Math.cos(t / 53) * 0.2 });

describe('CrashDetector', () => {
  for (const hz of [1000, 100]) {
    it(`should report a 30 km/h frontal barrier pulse as one severe front collision at ${hz} Hz`, () => {
      const p = pulse(2000, 100, 30, -1, 0);
      const hits = run(
        { accel: (t) => p(t), speedKmh: (t) => (t < 2000 ? 50 : 20), durationMs: 6000 },
        hz,
      );
      expect(hits).toHaveLength(1);
      const hit = hits[0] as CollisionDetection;
      expect(hit.severity).toBe('severe');
      expect(hit.direction).toBe('front');
      expect(hit.deltaVKmh).toBeGreaterThan(27);
      expect(hit.deltaVKmh).toBeLessThan(33);
      expect(hit.peakG).toBeGreaterThan(10);
      expect(hit.timeMs).toBeGreaterThanOrEqual(2000);
      expect(hit.timeMs).toBeLessThan(2100);
      expect(hit.speedBeforeKmh).toBe(50);
    });

    it(`should report a 10 km/h rear shunt as a minor rear collision at ${hz} Hz`, () => {
      const p = pulse(1500, 120, 10, 1, 0);
      const hits = run({ accel: p, speedKmh: cruising(15), durationMs: 4000 }, hz);
      expect(hits.map((h) => [h.severity, h.direction])).toEqual([['minor', 'rear']]);
      expect(hits[0]?.peakG).toBeGreaterThanOrEqual(2.5);
      expect(hits[0]?.peakG).toBeLessThan(4);
    });
  }

  it('should tell left from right side impacts', () => {
    const left = run(
      { accel: pulse(1000, 80, 15, 0, -1), speedKmh: cruising(30), durationMs: 3000 },
      1000,
    );
    const right = run(
      { accel: pulse(1000, 80, 15, 0, 1), speedKmh: cruising(30), durationMs: 3000 },
      1000,
    );
    expect(left.map((h) => h.direction)).toEqual(['left']);
    expect(right.map((h) => h.direction)).toEqual(['right']);
  });

  it('should stay silent through potholes: sharp vertical-heavy shocks with brief horizontal spikes', () => {
    const shocks = [1000, 1800, 2600, 4000];
    const accel = (t: number) => {
      const hit = shocks.find((s) => t >= s && t < s + 12);
      // 3 g horizontal for 12 ms (the wheel hitting the far edge) on top of road noise.
      return hit !== undefined ? { x: -3 * G, y: 0.5 * G } : noise(t);
    };
    expect(run({ accel, speedKmh: cruising(60), durationMs: 6000 }, 1000)).toEqual([]);
    expect(run({ accel, speedKmh: cruising(60), durationMs: 6000 }, 100)).toEqual([]);
  });

  it('should stay silent through hard braking from 100 km/h to standstill at 1.1 g', () => {
    const accel = (t: number) => (t >= 1000 && t < 3600 ? { x: -1.1 * G, y: 0 } : noise(t));
    const speedKmh = (t: number) =>
      t < 1000 ? 100 : Math.max(0, 100 - ((t - 1000) / 1000) * 1.1 * G * 3.6);
    expect(run({ accel, speedKmh, durationMs: 6000 }, 1000)).toEqual([]);
  });

  it('should stay silent when a door is slammed at standstill, even with a crash-like spike', () => {
    const slam = pulse(1000, 40, 9, 0, 1);
    expect(run({ accel: slam, speedKmh: cruising(0), durationMs: 3000 }, 1000)).toEqual([]);
  });

  it('should report one event for a crash with a secondary impact inside the lockout', () => {
    const a = pulse(1000, 100, 25, -1, 0);
    const b = pulse(1600, 100, 12, 0, -1);
    const accel = (t: number) => {
      const p = a(t);
      const q = b(t);
      return { x: p.x + q.x, y: p.y + q.y };
    };
    expect(run({ accel, speedKmh: cruising(40), durationMs: 4000 }, 1000)).toHaveLength(1);
  });
});
