import { STANDARD_GRAVITY as G } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import {
  crashImpact,
  type Pulse,
  plannedPulse,
  rearAxlePulse,
  shockAt,
} from '../../src/model/pulses.js';
import { WHEELBASE_M } from '../../src/model/vehicle.js';

const front = { kind: 'crash', atMs: 1000, direction: 'front' } as const;

/** Δv of a pulse's x, km/h: the half sine integrated over its duration in 1-ms steps. */
function deltaVKmh(p: Pulse): number {
  let v = 0;
  for (let t = p.startMs; t < p.startMs + p.durationMs; t++) v += shockAt([p], t).moving / 1000;
  return -v * 3.6;
}

describe('plannedPulse', () => {
  it('should plan a crash unsized, with its direction’s duration', () => {
    expect(plannedPulse(front)).toEqual({
      startMs: 1000,
      durationMs: 120,
      x: 0,
      y: 0,
      z: 0,
      zFull: false,
      moves: true,
    });
    expect(plannedPulse({ ...front, direction: 'rear' })?.durationMs).toBe(100);
    expect(plannedPulse({ ...front, direction: 'left', durationMs: 70 })?.durationMs).toBe(70);
  });

  it('should plan a pothole as a vertical full sine that does not move the car', () => {
    expect(plannedPulse({ kind: 'pothole', atMs: 5000 })).toEqual({
      startMs: 5000,
      durationMs: 40,
      x: -0.4 * 4 * G,
      y: 0,
      z: 4 * G,
      zFull: true,
      moves: false,
    });
  });

  it('should plan nothing for other events', () => {
    expect(plannedPulse({ kind: 'hardBraking', atMs: 1 })).toBeUndefined();
    expect(plannedPulse({ kind: 'dtc', atMs: 1, code: 'P0301' })).toBeUndefined();
  });
});

describe('crashImpact', () => {
  it('should size a front impact to 1.1 × the speed, within 12–64 km/h', () => {
    const at50 = { ...(plannedPulse(front) as Pulse), ...crashImpact(front, 120, 50 / 3.6, 0.5) };
    expect(at50.y).toBe(0);
    expect(at50.z).toBe(0);
    expect(deltaVKmh(at50)).toBeCloseTo(55, 0);
    const given = (kmh: number) => crashImpact({ ...front, deltaVKmh: kmh }, 120, 0, 0.5).x;
    expect(crashImpact(front, 120, 100, 0.5).x).toBe(given(64));
    expect(crashImpact(front, 120, 1, 0.5).x).toBe(given(12));
  });

  it('should push the car the way the impact goes', () => {
    const at = (direction: 'front' | 'rear' | 'left' | 'right') =>
      crashImpact({ ...front, direction }, 100, 10, 0.5);
    expect(Math.sign(at('front').x)).toBe(-1);
    expect(Math.sign(at('rear').x)).toBe(1);
    expect([at('left').x, Math.sign(at('left').y)]).toEqual([0, -1]);
    expect([at('right').x, Math.sign(at('right').y)]).toEqual([0, 1]);
  });

  it('should take a Δv it is given, and a little vertical from the noise', () => {
    const given = crashImpact({ ...front, deltaVKmh: 30 }, 100, 20, 1);
    expect(given.x).toBeCloseTo(-((30 / 3.6) * Math.PI) / 0.2, 9);
    expect(given.z).toBeCloseTo(0.15 * -given.x, 9);
  });
});

describe('rearAxlePulse', () => {
  it('should come a wheelbase later and softer', () => {
    const pothole = plannedPulse({ kind: 'pothole', atMs: 5000 }) as Pulse;
    const rear = rearAxlePulse(pothole, 10);
    expect(rear.startMs).toBe(5000 + Math.round((WHEELBASE_M / 10) * 1000));
    expect(rear.x).toBeCloseTo(pothole.x * 0.6, 12);
    expect(rear.z).toBeCloseTo(pothole.z * 0.6, 12);
    expect(rear.moves).toBe(false);
  });
});

describe('shockAt', () => {
  const pothole = plannedPulse({ kind: 'pothole', atMs: 1000 }) as Pulse;

  it('should be still outside every pulse', () => {
    expect(shockAt([pothole], 999)).toEqual({ x: 0, y: 0, z: 0, moving: 0 });
    expect(shockAt([pothole], 1041)).toEqual({ x: 0, y: 0, z: 0, moving: 0 });
  });

  it('should peak mid-pulse, and sum overlapping pulses', () => {
    const mid = shockAt([pothole], 1020);
    expect(mid.x).toBeCloseTo(pothole.x, 9);
    expect(mid.moving).toBe(0);
    expect(shockAt([pothole], 1010).z).toBeCloseTo(-pothole.z, 9); // full sine: down first
    expect(shockAt([pothole, pothole], 1020).x).toBeCloseTo(2 * pothole.x, 9);
  });
});
