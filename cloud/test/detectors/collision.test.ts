import { type Collision, STANDARD_GRAVITY as G, type Sample } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import { merged, series } from '../../../test-support/drive-profiles.js';
import { type CollisionState, collision } from '../../src/detectors/collision.js';
import type { RaisedCondition } from '../../src/detectors/findings.js';

/**
 * Profiles at 100 Hz (a typical MEMS IMU setting for agents that send raw acceleration).
 * Crash pulses are haversine decelerations, the usual shape of barrier and car-to-car tests.
 */

const t0 = Date.UTC(2026, 10, 25, 9, 0, 0);
const HZ = 100;
const STEP = 1000 / HZ;

/** Haversine pulse of peak `peak` (m/s²) and length `ms`, at `at` ms into the trace. */
const pulse = (t: number, at: number, ms: number, peak: number) =>
  t >= at && t <= at + ms ? peak * Math.sin((Math.PI * (t - at)) / ms) ** 2 : 0;

function drive(
  durationMs: number,
  speedKmh: (t: number) => number,
  lon: (t: number) => number,
  lat: (t: number) => number = () => 0,
  startMs = t0,
): Sample[] {
  const n = Math.floor(durationMs / STEP);
  const times = Array.from({ length: n }, (_, i) => i * STEP);
  return merged(
    series('Vehicle.Acceleration.Longitudinal', startMs, STEP, times.map(lon)),
    series('Vehicle.Acceleration.Lateral', startMs, STEP, times.map(lat)),
    series(
      'Vehicle.Speed',
      startMs,
      100,
      Array.from({ length: n / 10 }, (_, i) => speedKmh(i * 100)),
    ),
  );
}

function run(samples: readonly Sample[], batch: number, state = collision.initial()) {
  let s: CollisionState = state;
  const raised: RaisedCondition[] = [];
  for (let i = 0; i < samples.length; i += batch) {
    const r = collision.samples(s, samples.slice(i, i + batch));
    s = r.state;
    raised.push(...r.findings.raised);
  }
  return { state: s, raised };
}

// 50 km/h into a barrier: Δv ≈ 50 km/h over 100 ms, a 28 g peak.
const frontal = drive(
  3000,
  (t) => (t < 1000 ? 50 : 0),
  (t) => pulse(t, 1000, 100, -28 * G),
);

describe('collision from acceleration samples', () => {
  it('should raise a frontal crash once, as critical, with its evidence', () => {
    const r = run(frontal, 37);
    expect(r.raised).toHaveLength(1);
    expect(r.raised[0]).toMatchObject({
      type: 'collision',
      severity: 'critical',
      evidence: { source: 'acceleration samples', direction: 'front' },
    });
    expect(r.raised[0]?.timeMs).toBeGreaterThanOrEqual(t0 + 1000);
    expect(r.raised[0]?.timeMs).toBeLessThan(t0 + 1100);
    expect(Number(r.raised[0]?.evidence.deltaVKmh)).toBeGreaterThan(40);
  });

  it('should call a light side impact a warning, from the right', () => {
    // 3.5 g over 200 ms pushes the car to the left: about 12 km/h sideways.
    const side = drive(
      2000,
      () => 30,
      () => 0,
      (t) => pulse(t, 800, 200, 3.5 * G),
    );
    expect(run(side, 50).raised).toMatchObject([
      { type: 'collision', severity: 'warning', evidence: { direction: 'right' } },
    ]);
  });

  it('should raise nothing for a drive with potholes and hard braking', () => {
    // 60 km/h; three potholes (a 10 ms, 3 g longitudinal jolt each); a 0.9 g stop lasting 2 s;
    // a kerb strike while cornering.
    const potholes = [2000, 2600, 4100];
    const rough = drive(
      10_000,
      (t) => (t < 6000 ? 60 : Math.max(0, 60 - ((t - 6000) / 2000) * 60)),
      (t) =>
        (potholes.some((p) => t >= p && t < p + 10) ? -3 * G : 0) +
        (t >= 6000 && t < 8000 ? -0.9 * G : 0),
      (t) => (t >= 3000 && t < 3500 ? 0.5 * G : 0) + (t >= 3200 && t < 3210 ? 2.8 * G : 0),
    );
    expect(run(rough, 64).raised).toEqual([]);
  });

  it('should not raise a door slam at standstill', () => {
    const parked = drive(
      2000,
      () => 0,
      (t) => pulse(t, 500, 30, 6 * G),
    );
    expect(run(parked, 100).raised).toEqual([]);
  });

  it('should find the same in any batching, and two crashes apart as two', () => {
    expect(run(frontal, 1).raised).toEqual(run(frontal, frontal.length).raised);
    const second = drive(
      3000,
      (t) => (t < 1000 ? 40 : 0),
      (t) => pulse(t, 1000, 100, -20 * G),
      () => 0,
      t0 + 60_000,
    );
    expect(run([...frontal, ...second], 200).raised).toHaveLength(2);
  });
});

describe('collision events from the edge', () => {
  const event: Collision = {
    severity: 'severe',
    peakG: 27.8,
    deltaVKmh: 49.6,
    direction: 'front',
    latitude: 31.2304,
    longitude: 121.4737,
    speedBeforeKmh: 50,
    window: [],
  };

  it('should confirm the edge’s collision as an alert, once per event', () => {
    const first = collision.event(collision.initial(), 77, t0 + 1000, event);
    expect(first.findings.raised).toEqual([
      {
        type: 'collision',
        key: 'edge-77',
        severity: 'critical',
        timeMs: t0 + 1000,
        evidence: {
          source: 'edge',
          seq: 77,
          peakG: 27.8,
          deltaVKmh: 49.6,
          direction: 'front',
          speedBeforeKmh: 50,
          latitude: 31.2304,
          longitude: 121.4737,
        },
        clearsWhen: expect.any(String),
        clearedByPeople: true,
      },
    ]);
    // Delivered again (at least once): nothing new.
    expect(collision.event(first.state, 77, t0 + 1000, event).findings.raised).toEqual([]);
  });

  it('should tell crashes apart by seq epoch when the device’s seq started again', () => {
    // The agent was reinstalled a minute after a crash and numbers from 1 again: its next
    // crash may carry a seq the first one had, in another epoch.
    const first = collision.event(collision.initial(), 5, t0 + 1000, event, 0x1111);
    const second = collision.event(first.state, 5, t0 + 61_000, event, 0x2222);
    expect(second.findings.raised.map((r) => [r.key, r.evidence.seqEpoch])).toEqual([
      ['edge-8738.5', 0x2222],
    ]);
    // The first one delivered again is still the first one.
    expect(collision.event(second.state, 5, t0 + 1000, event, 0x1111).findings.raised).toEqual([]);
  });

  it('should make one alert of one crash reported by the edge and seen in its samples, in either order', () => {
    const eventFirst = collision.event(collision.initial(), 5, t0 + 1003, event);
    expect(run(frontal, 50, eventFirst.state).raised).toEqual([]);
    const samplesFirst = run(frontal, 50);
    expect(samplesFirst.raised).toHaveLength(1);
    expect(collision.event(samplesFirst.state, 5, t0 + 1003, event).findings.raised).toEqual([]);
  });
});
