import { STANDARD_GRAVITY as G } from '@fleetline/proto';
import { clamp } from './clamp.js';
import type { ScenarioEvent } from './scenario.js';
import { WHEELBASE_M } from './vehicle.js';

/**
 * Shock pulses on the accelerometer: crashes (half sines that change the vehicle's speed) and
 * potholes (a vertical full sine at each axle that does not). Pure: pulses are planned from
 * the scenario, sized, and summed at a time.
 */

export interface Pulse {
  startMs: number;
  durationMs: number;
  /** Peak acceleration per axis, m/s² (signed). */
  x: number;
  y: number;
  z: number;
  /** z as a full sine (down then up) rather than a half sine. */
  zFull: boolean;
  /** Whether the pulse changes the vehicle's speed (crashes do, road shocks do not). */
  moves: boolean;
}

type CrashEvent = Extract<ScenarioEvent, { kind: 'crash' }>;

/**
 * The pulse a scenario event makes, if any. A crash's peaks are left at 0: its Δv needs the
 * speed at the time, so crashImpact sizes it when it starts.
 */
export function plannedPulse(e: ScenarioEvent): Pulse | undefined {
  if (e.kind === 'crash') {
    const durationMs =
      e.durationMs ?? (e.direction === 'front' ? 120 : e.direction === 'rear' ? 100 : 90);
    return { startMs: e.atMs, durationMs, x: 0, y: 0, z: 0, zFull: false, moves: true };
  }
  if (e.kind === 'pothole') {
    const durationMs = e.durationMs ?? 40;
    const peak = (e.peakG ?? 4) * G;
    return {
      startMs: e.atMs,
      durationMs,
      x: -0.4 * peak,
      y: 0,
      z: peak,
      zFull: true,
      moves: false,
    };
  }
  return undefined;
}

/**
 * A crash pulse's peaks when it starts at `speedMs`: along the impact's axis from its Δv, and
 * a little vertical from `noise` (uniform in [0, 1)).
 */
export function crashImpact(
  e: CrashEvent,
  durationMs: number,
  speedMs: number,
  noise: number,
): { x: number; y: number; z: number } {
  const dir = e.direction;
  const dvKmh =
    e.deltaVKmh ??
    (dir === 'front' ? clamp(speedMs * 3.6 * 1.1, 12, 64) : dir === 'rear' ? 16 : 18);
  // Half sine: Δv = peak · 2T/π.
  const peak = ((dvKmh / 3.6) * Math.PI) / (2 * (durationMs / 1000));
  const lengthwise = dir === 'front' || dir === 'rear';
  return {
    x: dir === 'front' ? -peak : dir === 'rear' ? peak : 0,
    // An impact on the left pushes the vehicle right (y points left).
    y: lengthwise ? 0 : dir === 'left' ? -peak : peak,
    z: (noise - 0.5) * 0.3 * peak,
  };
}

/** The rear axle meets a pothole a wheelbase after the front one, a little softer. */
export function rearAxlePulse(front: Pulse, speedMs: number): Pulse {
  return {
    ...front,
    startMs: front.startMs + Math.round((WHEELBASE_M / speedMs) * 1000),
    x: front.x * 0.6,
    z: front.z * 0.6,
  };
}

/** The pulses' sum at `t` per axis, and the part of x that changes the vehicle's speed. */
export function shockAt(
  pulses: readonly Pulse[],
  t: number,
): { x: number; y: number; z: number; moving: number } {
  let x = 0;
  let y = 0;
  let z = 0;
  let moving = 0;
  for (const p of pulses) {
    const u = (t - p.startMs) / p.durationMs;
    if (u < 0 || u > 1) continue;
    const s = Math.sin(Math.PI * u);
    x += p.x * s;
    y += p.y * s;
    z += p.zFull ? -p.z * Math.sin(2 * Math.PI * u) : p.z * s;
    if (p.moves) moving += p.x * s;
  }
  return { x, y, z, moving };
}
