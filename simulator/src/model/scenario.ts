import type { SignalName } from '@fleetline/proto';
import type { Route } from './route.js';

/**
 * What a simulated drive is made of: where, how, and what goes wrong when. Times (`atMs`,
 * `clearAtMs`, …) are milliseconds from the start of the scenario.
 */

/**
 * - `city`: 30–60 km/h between stops at lights (10–40 s);
 * - `highway`: 90–120 km/h with gentle changes, no stops;
 * - `stopAndGo`: a traffic jam, creeping at 5–25 km/h with frequent short stops.
 * Longitudinal acceleration stays within 0.25 g outside injected events.
 */
export type SpeedProfile = 'city' | 'highway' | 'stopAndGo';

/** Where the impact comes from: front decelerates, rear pushes forward, left/right sideways. */
export type CrashDirection = 'front' | 'rear' | 'left' | 'right';

export type ScenarioEvent =
  /** A diagnostic trouble code becomes active (and optionally inactive again). */
  | { kind: 'dtc'; atMs: number; code: string; clearAtMs?: number }
  /** The radiator fan fails: coolant climbs past 110 °C, faster at low speed. */
  | { kind: 'fanFailure'; atMs: number; repairedAtMs?: number }
  /**
   * A crash: a half-sine deceleration pulse. Defaults: front Δv 1.1 × the speed (12–64 km/h)
   * over 120 ms (a 20–25 g peak from 50–60 km/h); rear Δv 16 km/h over 100 ms; side Δv
   * 18 km/h over 90 ms. The vehicle stops afterwards and stays stopped.
   */
  | {
      kind: 'crash';
      atMs: number;
      direction: CrashDirection;
      deltaVKmh?: number;
      durationMs?: number;
    }
  /**
   * A pothole: a vertical shock (default 4 g peak over 40 ms at the front axle, 0.6 of that at
   * the rear axle a wheelbase later) with a longitudinal spike of 0.4 of the vertical peak.
   * Changes velocity by 1–3 km/h: far from the crash rule's 8 km/h in 150 ms.
   */
  | { kind: 'pothole'; atMs: number; peakG?: number; durationMs?: number }
  /** Emergency braking: default 0.65 g for 1.5 s (or until the vehicle stops). */
  | { kind: 'hardBraking'; atMs: number; g?: number; durationMs?: number }
  /**
   * The GPS receiver loses its fix (a tunnel, a car park): the simulated receiver reports no
   * fix for the duration. The drive itself goes on.
   */
  | { kind: 'gnssOutage'; atMs: number; durationMs: number };

export interface SampleRates {
  /** Default 1000 ms: coolant, fuel, odometer, battery, engine speed, position, gear… */
  defaultMs: number;
  /** Driving dynamics (speed, steering, yaw rate, pedals); default 100 ms. */
  speedMs: number;
  /** Acceleration outside event windows; default 100 ms. */
  accelerationMs: number;
  /** Acceleration within 2 s before to 3 s after crashes, potholes, hard braking; 10 ms. */
  accelerationEventMs: number;
  /** Battery voltage and engine speed around the engine start (2 s before, 4 s after); 100 ms. */
  crankingMs: number;
}

export const defaultSampleRates: SampleRates = {
  defaultMs: 1000,
  speedMs: 100,
  accelerationMs: 100,
  accelerationEventMs: 10,
  crankingMs: 100,
};

export interface Scenario {
  seed: number;
  /** For the edge events; default `sim-0001`. */
  deviceId?: string;
  /** Epoch ms of scenario time 0; default 2026-01-01T08:00:00Z. */
  startMs?: number;
  /** Default: the city loop, or the highway leg for the highway profile. */
  route?: Route;
  profile?: SpeedProfile;
  /** When the engine is cranked (ms from start); default 2000. */
  engineStartMs?: number;
  /** Outside temperature; default 10–25 °C from the seed. */
  ambientC?: number;
  /** Coolant at the start; default the ambient temperature (a cold engine). */
  coolantC?: number;
  /** Default 5,000–85,000 km from the seed. */
  odometerKm?: number;
  /** Default 40–95 % from the seed. */
  fuelPct?: number;
  /** A weak battery rests at ~11.8 V and dips under 9 V when cranking. */
  battery?: 'healthy' | 'weak';
  /** Service interval; default 10,000 km. */
  serviceIntervalKm?: number;
  /**
   * Maintenance coming due: the odometer starts this many km before the next service
   * (a multiple of the interval). Overrides `odometerKm`.
   */
  serviceDueInKm?: number;
  /** Trouble codes are read every this many ms while the engine runs; default 60,000. */
  dtcPollMs?: number;
  /** Always sample acceleration at `accelerationEventMs` (default: only around events). */
  fullRateAcceleration?: boolean;
  rates?: Partial<SampleRates>;
  /** Sample only these signals (default: every catalogue signal, all of which the model drives). */
  signals?: readonly SignalName[];
  events?: readonly ScenarioEvent[];
}
