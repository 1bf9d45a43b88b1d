import { describe, expect, it } from 'vitest';
import { activeTroubleCodes, brakingAt, inWindow, planEvents } from '../../src/model/event-plan.js';
import type { ScenarioEvent } from '../../src/model/scenario.js';

const events: ScenarioEvent[] = [
  { kind: 'dtc', atMs: 1000, code: 'P0301', clearAtMs: 9000 },
  { kind: 'fanFailure', atMs: 2000 },
  { kind: 'dtc', atMs: 3000, code: 'P0128' },
  { kind: 'dtc', atMs: 3500, code: 'P0301' },
  { kind: 'pothole', atMs: 30_000 },
  { kind: 'hardBraking', atMs: 40_000, durationMs: 2000 },
  { kind: 'gnssOutage', atMs: 50_000, durationMs: 5000 },
  { kind: 'crash', atMs: 60_000, direction: 'rear' },
];
const plan = planEvents(events);

describe('planEvents', () => {
  it('should plan a pulse for each crash and pothole, in time order', () => {
    expect(plan.pulses.map((p) => [p.startMs, p.moves])).toEqual([
      [30_000, false],
      [60_000, true],
    ]);
  });

  it('should open event windows around moving events, and keep the car moving before them', () => {
    expect(plan.eventWindows).toEqual([
      [28_000, 33_000],
      [38_000, 45_000],
      [58_000, 63_000],
    ]);
    expect(plan.keepMoving).toEqual([
      [5_000, 30_000],
      [15_000, 42_000],
      [35_000, 60_000],
    ]);
  });

  it('should keep a fan failure until repaired and an outage for its duration', () => {
    expect(plan.fanWindows).toEqual([[2000, Number.POSITIVE_INFINITY]]);
    expect(plan.gnssOutages).toEqual([[50_000, 55_000]]);
  });
});

describe('inWindow and brakingAt', () => {
  it('should include both ends of a window', () => {
    expect([49_999, 50_000, 55_000, 55_001].map((t) => inWindow(plan.gnssOutages, t))).toEqual([
      false,
      true,
      true,
      false,
    ]);
  });

  it('should brake at the default 0.65 g from the start to the end of the braking', () => {
    expect([39_999, 40_000, 41_999, 42_000].map((t) => brakingAt(plan, t))).toEqual([
      undefined,
      0.65,
      0.65,
      undefined,
    ]);
  });
});

describe('activeTroubleCodes', () => {
  it('should list the codes active at a time, sorted, each once, until cleared', () => {
    expect(activeTroubleCodes(events, 999)).toEqual([]);
    expect(activeTroubleCodes(events, 4000)).toEqual(['P0128', 'P0301']);
    expect(activeTroubleCodes(events, 9000)).toEqual(['P0128', 'P0301']);
    expect(activeTroubleCodes(events.slice(0, 3), 9000)).toEqual(['P0128']);
  });
});
