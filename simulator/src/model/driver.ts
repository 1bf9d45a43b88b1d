import { STANDARD_GRAVITY as G } from '@fleetline/proto';
import { clamp } from './clamp.js';
import type { RoutePosition } from './route.js';
import type { SpeedProfile } from './scenario.js';

/**
 * The driver: when to stop and how fast to cruise (from the scenario's speed profile), how
 * hard to accelerate or brake towards that, slowing for corners ahead, and the pedals that
 * shows on. Pure: state in, state out; the random stream is passed in and drawn from only
 * where a new phase begins, so a seed always gives the same driver.
 */

export interface ProfileSpec {
  cruiseKmh: [number, number];
  cruiseS: [number, number];
  /** Stop duration; undefined: never stops. */
  stopS?: [number, number];
  /** The driver's usual acceleration and braking, m/s². */
  accel: number;
  brake: number;
}

export const profiles: Record<SpeedProfile, ProfileSpec> = {
  city: { cruiseKmh: [30, 60], cruiseS: [20, 70], stopS: [10, 40], accel: 1.8, brake: 2.4 },
  highway: { cruiseKmh: [90, 120], cruiseS: [30, 120], accel: 0.7, brake: 1.0 },
  stopAndGo: { cruiseKmh: [5, 25], cruiseS: [4, 15], stopS: [3, 12], accel: 1.3, brake: 1.8 },
};

/** What the driver is doing: standing or cruising towards a target speed, for so much longer. */
export interface DrivePhase {
  mode: 'stop' | 'cruise';
  /** The speed aimed at in this phase, m/s. */
  targetMs: number;
  phaseLeftS: number;
}

/**
 * The phase after a step of `dt` seconds: stops and cruises take turns, each for a time drawn
 * from the profile. The car does not stop while `keepMoving` (a scenario event needs it
 * moving) and aims at 0 when it cannot drive (crashed, engine not running).
 */
export function nextPhase(
  phase: DrivePhase,
  p: ProfileSpec,
  dt: number,
  can: { drive: boolean; keepMoving: boolean },
  random: () => number,
): DrivePhase {
  const phaseLeftS = phase.phaseLeftS - dt;
  if (!can.drive) return { mode: phase.mode, targetMs: 0, phaseLeftS };
  if (!(phaseLeftS <= 0 || (can.keepMoving && phase.mode === 'stop'))) {
    return { mode: phase.mode, targetMs: phase.targetMs, phaseLeftS };
  }
  if (phase.mode === 'cruise' && p.stopS && !can.keepMoving) {
    return {
      mode: 'stop',
      targetMs: 0,
      phaseLeftS: p.stopS[0] + random() * (p.stopS[1] - p.stopS[0]),
    };
  }
  const targetMs = (p.cruiseKmh[0] + random() * (p.cruiseKmh[1] - p.cruiseKmh[0])) / 3.6;
  return {
    mode: 'cruise',
    targetMs,
    phaseLeftS: p.cruiseS[0] + random() * (p.cruiseS[1] - p.cruiseS[0]),
  };
}

/** The speed a corner of `turnDeg` is taken at, m/s: walking pace for a hairpin, any for a bend. */
export function cornerSpeed(turnDeg: number): number {
  return turnDeg >= 120 ? 15 / 3.6 : turnDeg >= 45 ? 20 / 3.6 : turnDeg >= 20 ? 35 / 3.6 : Infinity;
}

/** The speed aimed at now: the phase's target, less once the corner ahead needs braking for. */
export function aimedSpeed(
  targetMs: number,
  speedMs: number,
  ahead: RoutePosition,
  p: ProfileSpec,
): number {
  const cap = cornerSpeed(ahead.turnDeg);
  if (speedMs > cap && ahead.toTurnM < (speedMs ** 2 - cap ** 2) / (2 * p.brake * 0.7) + 15) {
    return Math.min(targetMs, cap);
  }
  return targetMs;
}

/** The acceleration the driver wants (m/s²) and how fast it may change (jerk, m/s³). */
export interface Wanted {
  accel: number;
  jerk: number;
}

/**
 * Towards the aimed speed within the profile's comfort; a scenario's hard braking (`brakingG`,
 * while it lasts) and a crash override that, and come on at once.
 */
export function wantedAcceleration(
  aimedMs: number,
  speedMs: number,
  p: ProfileSpec,
  brakingG: number | undefined,
  crashed: boolean,
): Wanted {
  let accel = clamp((aimedMs - speedMs) / 2, -p.brake, p.accel);
  let jerk = 3;
  if (brakingG !== undefined && speedMs > 0) {
    accel = -brakingG * G;
    jerk = 25;
  }
  if (crashed) {
    accel = speedMs > 0 ? -4 : 0;
    jerk = 25;
  }
  return { accel, jerk };
}

/** The car's response over a step: the acceleration follows the wanted one within the jerk. */
export interface Longitudinal {
  /** The acceleration reached (the state of the jerk limit), m/s². */
  jerkAccel: number;
  /** Speed after the step, m/s. */
  driveV: number;
  /** The step's mean acceleration, m/s². */
  driveAccel: number;
}

/** Applies the wanted acceleration for `dt` seconds; the car does not roll backwards. */
export function followWanted(
  jerkAccel: number,
  wanted: Wanted,
  speedMs: number,
  dt: number,
): Longitudinal {
  let a = jerkAccel + clamp(wanted.accel - jerkAccel, -wanted.jerk * dt, wanted.jerk * dt);
  let driveV = speedMs + a * dt;
  if (driveV <= 0) {
    driveV = 0;
    if (a < 0) a = 0;
  }
  return { jerkAccel: a, driveV, driveAccel: (driveV - speedMs) / dt };
}

/**
 * The pedals, %: the accelerator while driving on, the brake when slowing beyond engine
 * braking and to hold the car at a stop. `demand` is the power asked of the engine, 0…1.
 */
export function pedals(p: {
  running: boolean;
  crashed: boolean;
  speedMs: number;
  driveAccel: number;
  targetMs: number;
  demand: number;
}): { acceleratorPedalPct: number; brakePedalPct: number } {
  const v = p.speedMs;
  const acceleratorPedalPct =
    p.running && !p.crashed && p.driveAccel > -0.05 && (v > 0.3 || p.targetMs > 0)
      ? clamp(p.demand * 105, 0, 100)
      : 0;
  const brakePedalPct =
    !p.running || p.crashed
      ? 0
      : v < 0.3
        ? p.targetMs > 0
          ? 0
          : 25
        : p.driveAccel < -0.4
          ? clamp(5 + (-p.driveAccel / (0.9 * G)) * 100, 0, 100)
          : 0;
  return { acceleratorPedalPct, brakePedalPct };
}
