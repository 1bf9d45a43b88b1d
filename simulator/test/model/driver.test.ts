import { STANDARD_GRAVITY as G } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import {
  aimedSpeed,
  cornerSpeed,
  type DrivePhase,
  followWanted,
  nextPhase,
  pedals,
  profiles,
  wantedAcceleration,
} from '../../src/model/driver.js';
import type { RoutePosition } from '../../src/model/route.js';

const city = profiles.city;
const drive = { drive: true, keepMoving: false };
/** A random stream that counts its draws and always gives `value`. */
function counting(value = 0.5) {
  const r = () => {
    r.draws++;
    return value;
  };
  r.draws = 0;
  return r;
}
const ahead = (toTurnM: number, turnDeg: number): RoutePosition => ({
  latitude: 0,
  longitude: 0,
  headingDeg: 0,
  leg: 0,
  toTurnM,
  turnDeg,
});

describe('nextPhase', () => {
  const cruising: DrivePhase = { mode: 'cruise', targetMs: 12, phaseLeftS: 5 };

  it('should count the phase down without drawing until it ends', () => {
    const r = counting();
    expect(nextPhase(cruising, city, 0.01, drive, r)).toEqual({ ...cruising, phaseLeftS: 4.99 });
    expect(r.draws).toBe(0);
  });

  it('should stop after a city cruise for a time from the profile, and cruise again after', () => {
    const r = counting(0.5);
    const stopped = nextPhase({ ...cruising, phaseLeftS: 0.005 }, city, 0.01, drive, r);
    expect(stopped).toEqual({ mode: 'stop', targetMs: 0, phaseLeftS: 25 });
    const cruise = nextPhase({ ...stopped, phaseLeftS: 0 }, city, 0.01, drive, r);
    expect(cruise).toEqual({ mode: 'cruise', targetMs: 45 / 3.6, phaseLeftS: 45 });
    expect(r.draws).toBe(3);
  });

  it('should never stop on the highway, and leave a stop at once to keep moving', () => {
    const highway = nextPhase(
      { ...cruising, phaseLeftS: 0 },
      profiles.highway,
      0.01,
      drive,
      counting(0),
    );
    expect(highway.mode).toBe('cruise');
    expect(highway.targetMs).toBeCloseTo(90 / 3.6, 12);
    const standing: DrivePhase = { mode: 'stop', targetMs: 0, phaseLeftS: 20 };
    const keep = nextPhase(standing, city, 0.01, { drive: true, keepMoving: true }, counting(1));
    expect(keep.mode).toBe('cruise');
    expect(keep.targetMs).toBeCloseTo(60 / 3.6, 12);
  });

  it('should aim at a standstill, drawing nothing, while the car cannot drive', () => {
    const r = counting();
    const phase = nextPhase(
      { ...cruising, phaseLeftS: 0 },
      city,
      0.01,
      { drive: false, keepMoving: true },
      r,
    );
    expect(phase).toEqual({ mode: 'cruise', targetMs: 0, phaseLeftS: -0.01 });
    expect(r.draws).toBe(0);
  });
});

describe('corners', () => {
  it('should take hairpins, right angles and bends at their own speeds', () => {
    expect(cornerSpeed(150)).toBe(15 / 3.6);
    expect(cornerSpeed(90)).toBe(20 / 3.6);
    expect(cornerSpeed(30)).toBe(35 / 3.6);
    expect(cornerSpeed(10)).toBe(Infinity);
  });

  it('should slow for a corner only once it is within braking distance', () => {
    const v = 50 / 3.6;
    expect(aimedSpeed(v, v, ahead(500, 90), city)).toBe(v);
    expect(aimedSpeed(v, v, ahead(30, 90), city)).toBeCloseTo(20 / 3.6, 12);
    expect(aimedSpeed(v, v, ahead(30, 5), city)).toBe(v);
  });
});

describe('wantedAcceleration', () => {
  it('should keep within the profile, comfortably', () => {
    expect(wantedAcceleration(30, 0, city, undefined, false)).toEqual({ accel: 1.8, jerk: 3 });
    expect(wantedAcceleration(0, 30, city, undefined, false)).toEqual({ accel: -2.4, jerk: 3 });
    expect(wantedAcceleration(11, 10, city, undefined, false)).toEqual({ accel: 0.5, jerk: 3 });
  });

  it('should brake at the scenario’s g while moving, and stop hard after a crash', () => {
    expect(wantedAcceleration(30, 20, city, 0.65, false)).toEqual({ accel: -0.65 * G, jerk: 25 });
    expect(wantedAcceleration(30, 0, city, 0.65, false).accel).toBe(1.8);
    expect(wantedAcceleration(30, 20, city, 0.65, true)).toEqual({ accel: -4, jerk: 25 });
    expect(wantedAcceleration(30, 0, city, undefined, true)).toEqual({ accel: 0, jerk: 25 });
  });
});

describe('followWanted', () => {
  it('should change the acceleration by at most the jerk in a step', () => {
    const r = followWanted(0, { accel: 2, jerk: 3 }, 10, 0.1);
    expect(r.jerkAccel).toBeCloseTo(0.3, 12);
    expect(r.driveV).toBeCloseTo(10.03, 12);
    expect(r.driveAccel).toBeCloseTo(0.3, 9);
  });

  it('should not roll backwards', () => {
    const r = followWanted(-4, { accel: -4, jerk: 25 }, 0.01, 0.01);
    expect(r).toEqual({ jerkAccel: 0, driveV: 0, driveAccel: -1 });
  });
});

describe('pedals', () => {
  const base = { running: true, crashed: false, speedMs: 10, driveAccel: 0, targetMs: 10 };

  it('should press the accelerator by the power asked for while driving on', () => {
    expect(pedals({ ...base, demand: 0.2 })).toEqual({ acceleratorPedalPct: 21, brakePedalPct: 0 });
  });

  it('should brake beyond engine braking, and hold the car at a stop', () => {
    const braking = pedals({ ...base, driveAccel: -0.9 * G, demand: 0 });
    expect(braking).toEqual({ acceleratorPedalPct: 0, brakePedalPct: 100 });
    const held = pedals({ ...base, speedMs: 0, targetMs: 0, demand: 0 });
    expect(held).toEqual({ acceleratorPedalPct: 0, brakePedalPct: 25 });
  });

  it('should leave both pedals after a crash or with the engine off', () => {
    const none = { acceleratorPedalPct: 0, brakePedalPct: 0 };
    expect(pedals({ ...base, crashed: true, demand: 0.5 })).toEqual(none);
    expect(pedals({ ...base, running: false, demand: 0.5 })).toEqual(none);
  });
});
