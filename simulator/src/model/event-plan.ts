import { type Pulse, plannedPulse } from './pulses.js';
import type { ScenarioEvent } from './scenario.js';

/**
 * A scenario's events as the model steps through them: time windows, planned pulses and the
 * trouble codes active at a time. Pure.
 */

/** [from, to] in ms from the scenario start, both included. */
export type Window = [number, number];

export interface EventPlan {
  /** Crash and pothole pulses; a pothole's rear-axle pulse is added when it happens. */
  pulses: Pulse[];
  /** Around crashes, potholes and hard braking: acceleration is sampled at the event rate. */
  eventWindows: Window[];
  /** Before those events: the driver does not stop, so the event happens while moving. */
  keepMoving: Window[];
  fanWindows: Window[];
  gnssOutages: Window[];
  brakings: { from: number; to: number; g: number }[];
}

const moving = (e: ScenarioEvent) =>
  e.kind === 'crash' || e.kind === 'pothole' || e.kind === 'hardBraking';
const lasting = (e: ScenarioEvent) => ('durationMs' in e ? (e.durationMs ?? 0) : 0);

/** The plan of events sorted by time. */
export function planEvents(events: readonly ScenarioEvent[]): EventPlan {
  return {
    pulses: events.flatMap((e) => plannedPulse(e) ?? []),
    eventWindows: events
      .filter(moving)
      .map((e): Window => [e.atMs - 2000, e.atMs + 3000 + lasting(e)]),
    keepMoving: events.filter(moving).map((e): Window => [e.atMs - 25_000, e.atMs + lasting(e)]),
    fanWindows: events.flatMap((e): Window[] =>
      e.kind === 'fanFailure' ? [[e.atMs, e.repairedAtMs ?? Number.POSITIVE_INFINITY]] : [],
    ),
    gnssOutages: events.flatMap((e): Window[] =>
      e.kind === 'gnssOutage' ? [[e.atMs, e.atMs + e.durationMs]] : [],
    ),
    brakings: events.flatMap((e) =>
      e.kind === 'hardBraking'
        ? [{ from: e.atMs, to: e.atMs + (e.durationMs ?? 1500), g: e.g ?? 0.65 }]
        : [],
    ),
  };
}

export function inWindow(windows: readonly Window[], t: number): boolean {
  return windows.some(([a, b]) => t >= a && t <= b);
}

/** The g of the hard braking going on at `t`, if one is. */
export function brakingAt(plan: EventPlan, t: number): number | undefined {
  return plan.brakings.find((b) => t >= b.from && t < b.to)?.g;
}

/** The trouble codes active at `t`, sorted, each once. */
export function activeTroubleCodes(events: readonly ScenarioEvent[], t: number): string[] {
  const codes = events
    .filter(
      (e): e is Extract<ScenarioEvent, { kind: 'dtc' }> =>
        e.kind === 'dtc' && t >= e.atMs && t < (e.clearAtMs ?? Number.POSITIVE_INFINITY),
    )
    .map((e) => e.code);
  return [...new Set(codes)].sort();
}
