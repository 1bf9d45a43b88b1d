import {
  type CollisionDetection,
  crashRuleAcceleration,
  crashRuleDefaults,
  crashRuleSpeed,
  crashRuleState,
  STANDARD_GRAVITY as G,
  signalId,
} from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import {
  type CrashDirection,
  cityLoop,
  DriveModel,
  distanceToRoute,
  generatedRoute,
  highwayLeg,
  routePath,
  type Scenario,
  samplesBySignal,
  simulate,
} from '../../src/index.js';
import { hashOf } from './support.js';

const SPEED = signalId('Vehicle.Speed');
const LON = signalId('Vehicle.Acceleration.Longitudinal');
const LAT = signalId('Vehicle.Acceleration.Lateral');

function crashRuleOver(samples: ReturnType<typeof simulate>['samples']): CollisionDetection[] {
  const rule = crashRuleState();
  const hits: CollisionDetection[] = [];
  for (const s of samples) {
    if (s.signalId === SPEED) crashRuleSpeed(rule, crashRuleDefaults, s.timeMs, s.value);
    else if (s.signalId === LON || s.signalId === LAT) {
      const hit = crashRuleAcceleration(
        rule,
        crashRuleDefaults,
        s.timeMs,
        s.signalId === LON ? { longitudinal: s.value } : { lateral: s.value },
      );
      if (hit) hits.push(hit);
    }
  }
  return hits;
}

describe('drive model', () => {
  const busy: Scenario = {
    seed: 42,
    events: [
      { kind: 'dtc', atMs: 20_000, code: 'P0301', clearAtMs: 100_000 },
      { kind: 'pothole', atMs: 50_000 },
      { kind: 'hardBraking', atMs: 80_000 },
      { kind: 'crash', atMs: 100_000, direction: 'front' },
    ],
  };

  it('gives the same output for the same seed, and another for another seed', () => {
    const a = hashOf(simulate(busy, 120_000));
    expect(hashOf(simulate(busy, 120_000))).toBe(a);
    expect(hashOf(simulate({ ...busy, seed: 43 }, 120_000))).not.toBe(a);
  });

  it('produces the same samples when advanced in pieces', () => {
    const model = new DriveModel(busy);
    const pieces = [model.advance(33_333), model.advance(90_000), model.advance(120_000)];
    const joined = {
      samples: pieces.flatMap((p) => p.samples),
      events: pieces.flatMap((p) => p.events),
    };
    expect(hashOf(joined)).toBe(hashOf(simulate(busy, 120_000)));
  });

  it('keeps the vehicle on its route, and moving', () => {
    for (const [route, profile] of [
      [cityLoop, 'city'],
      [cityLoop, 'stopAndGo'],
      [highwayLeg, 'highway'],
      [generatedRoute(9), 'city'],
    ] as const) {
      const out = simulate({ seed: 3, route, profile }, 120_000);
      const by = samplesBySignal(out.samples);
      const lat = by.get('Vehicle.CurrentLocation.Latitude') ?? [];
      const lon = by.get('Vehicle.CurrentLocation.Longitude') ?? [];
      expect(lat.length).toBe(121);
      const path = routePath(route);
      for (let i = 0; i < lat.length; i++) {
        const d = distanceToRoute(path, [lat[i]?.value ?? 0, lon[i]?.value ?? 0]);
        expect(d).toBeLessThan(0.5);
      }
      const odo = by.get('Vehicle.TraveledDistance') ?? [];
      const km = (odo.at(-1)?.value ?? 0) - (odo[0]?.value ?? 0);
      expect(km).toBeGreaterThan(profile === 'highway' ? 1.2 : 0.15);
    }
  });

  it('drives each profile within its speeds and ordinary accelerations', () => {
    for (const [profile, lo, hi] of [
      ['city', 0, 62],
      ['highway', 0, 122],
      ['stopAndGo', 0, 27],
    ] as const) {
      const out = simulate({ seed: 11, profile }, 200_000);
      const by = samplesBySignal(out.samples);
      const speeds = (by.get('Vehicle.Speed') ?? []).map((s) => s.value);
      expect(Math.min(...speeds)).toBeGreaterThanOrEqual(lo);
      expect(Math.max(...speeds)).toBeLessThanOrEqual(hi);
      if (profile === 'highway') expect(speeds.slice(-600).every((v) => v >= 85)).toBe(true);
      const ax = (by.get('Vehicle.Acceleration.Longitudinal') ?? []).map((s) => Math.abs(s.value));
      expect(Math.max(...ax)).toBeLessThan(0.3 * G);
      expect(crashRuleOver(out.samples)).toEqual([]);
    }
  });

  it('warms the engine to about 90 °C and charges the battery at about 14.2 V', () => {
    const out = simulate({ seed: 5, ambientC: 20 }, 540_000);
    const by = samplesBySignal(out.samples);
    const ect = (by.get('Vehicle.Powertrain.CombustionEngine.ECT') ?? []).map((s) => s.value);
    expect(ect[0]).toBe(20);
    expect(ect.at(-1)).toBeGreaterThan(88);
    expect(Math.max(...ect)).toBeLessThan(96);
    const volts = by.get('Vehicle.LowVoltageBattery.CurrentVoltage') ?? [];
    expect(volts[0]?.value).toBeGreaterThan(12.4);
    expect(volts[0]?.value).toBeLessThan(12.8);
    expect(Math.min(...volts.map((v) => v.value))).toBeLessThan(10.6);
    expect(volts.at(-1)?.value).toBeGreaterThan(14);
    const rpm = by.get('Vehicle.Powertrain.CombustionEngine.Speed') ?? [];
    expect(rpm[0]?.value).toBe(0);
    expect(rpm.at(-1)?.value).toBeGreaterThan(700);
  });

  it.each([
    ['front', 'front', -1, 'x'],
    ['rear', 'rear', 1, 'x'],
    ['left', 'left', -1, 'y'],
    ['right', 'right', 1, 'y'],
  ] as const)('a %s crash trips the shared crash rule', (direction, expected, sign, axis) => {
    const model = new DriveModel({
      seed: 21,
      events: [{ kind: 'crash', atMs: 60_000, direction: direction as CrashDirection }],
    });
    const out = model.advance(75_000);
    const hits = crashRuleOver(out.samples);
    expect(hits).toHaveLength(1);
    expect(hits[0]?.direction).toBe(expected);
    expect(hits[0]?.peakG).toBeGreaterThanOrEqual(2.5);
    const at = model.startMs + 60_000;
    const id = axis === 'x' ? LON : LAT;
    const pulse = out.samples.filter(
      (s) => s.signalId === id && s.timeMs >= at && s.timeMs <= at + 150,
    );
    const peak = pulse.reduce((m, s) => (Math.abs(s.value) > Math.abs(m) ? s.value : m), 0);
    expect(Math.sign(peak)).toBe(sign);
    if (direction === 'front') expect(Math.abs(peak) / G).toBeGreaterThan(10);
    // 100 Hz around the crash
    expect(pulse.length).toBeGreaterThanOrEqual(12);
  });

  it('does not trip the crash rule on potholes and hard braking', () => {
    for (const seed of [1, 2]) {
      for (const profile of ['city', 'highway'] as const) {
        const out = simulate(
          {
            seed,
            profile,
            events: [
              { kind: 'pothole', atMs: 40_000 },
              { kind: 'pothole', atMs: 45_000, peakG: 5, durationMs: 60 },
              { kind: 'hardBraking', atMs: 60_000, g: 0.8, durationMs: 2000 },
              { kind: 'pothole', atMs: 90_000, peakG: 4, durationMs: 30 },
              { kind: 'hardBraking', atMs: 120_000 },
            ],
          },
          130_000,
        );
        expect(crashRuleOver(out.samples)).toEqual([]);
      }
    }
  });

  it('reports trouble codes as the agent reads them', () => {
    const out = simulate(
      {
        seed: 8,
        dtcPollMs: 30_000,
        events: [
          { kind: 'dtc', atMs: 10_000, code: 'P0420', clearAtMs: 95_000 },
          { kind: 'dtc', atMs: 40_000, code: 'P0301' },
        ],
      },
      130_000,
    );
    expect(
      out.events.map((e) => (e.payload.kind === 'troubleCodes' ? e.payload.codes : [])),
    ).toEqual([[], ['P0420'], ['P0301', 'P0420'], ['P0301']]);
    expect(out.events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
  });

  it('rounds values to the wire resolution', () => {
    const out = simulate({ seed: 4 }, 20_000);
    for (const s of out.samples) {
      if (s.signalId === SPEED) expect(Math.round(s.value * 100) / 100).toBe(s.value);
      if (s.signalId === signalId('Vehicle.TraveledDistance'))
        expect(Math.round(s.value * 10) / 10).toBe(s.value);
    }
  });
});
