import type { ImpactDirection, Severity } from './codec/event.js';
import { STANDARD_GRAVITY as G } from './units.js';

/**
 * What counts as a collision, shared by the edge (which detects it at the accelerometer's full
 * rate) and the cloud (which detects it from the acceleration samples of agents that do not):
 * EDR style, fed with acceleration (vehicle frame, m/s², x forward, y left) and speed samples
 * in time order.
 *
 * A crash pulse is recognised when, within a sliding window (150 ms), the horizontal change of
 * velocity reaches 8 km/h — the event-recording trigger of 49 CFR 563.5 ("trigger threshold:
 * a change in vehicle velocity ... that equals or exceeds 8 km/h within a 150 ms interval") —
 * and the horizontal acceleration has peaked at 2.5 g or more, while the vehicle was moving.
 * Severity is severe at a 4 g peak or a 24 km/h change of velocity, minor otherwise.
 *
 * Why this does not fire on the usual false alarms:
 * - a pothole is a short, mostly vertical shock: a 5 g, 10 ms spike changes velocity by
 *   about 1.8 km/h;
 * - hard braking at 1 g for seconds changes velocity by 5.3 km/h per 150 ms and never peaks
 *   at 2.5 g;
 * - a door slam happens at standstill, and the moving condition rules it out.
 *
 * The report comes when the pulse is over (horizontal acceleration back under 1 g) or 150 ms
 * after the threshold was crossed, whichever is first, so peak and Δv cover the whole pulse;
 * then detection pauses for `lockoutMs` so one crash makes one event.
 *
 * The state is plain data (it can be snapshotted as JSON) and is updated in place: the edge
 * feeds it a thousand samples a second, and copying it for each would be all garbage.
 */

export interface CrashRuleOptions {
  deltaVKmh: number;
  windowMs: number;
  minorG: number;
  severeG: number;
  severeDeltaVKmh: number;
  /** The vehicle counts as moving when it went at least this fast in the last movingWithinMs. */
  minSpeedKmh: number;
  movingWithinMs: number;
  lockoutMs: number;
}

export const crashRuleDefaults: CrashRuleOptions = {
  deltaVKmh: 8,
  windowMs: 150,
  minorG: 2.5,
  severeG: 4,
  severeDeltaVKmh: 24,
  minSpeedKmh: 5,
  movingWithinMs: 2000,
  lockoutMs: 5000,
};

export interface CollisionDetection {
  /** When the Δv threshold was crossed (epoch ms). */
  timeMs: number;
  severity: Severity;
  peakG: number;
  deltaVKmh: number;
  direction: ImpactDirection;
  speedBeforeKmh: number;
}

interface WindowPoint {
  t: number;
  /** Integrated velocity change since the rule started, m/s. */
  vx: number;
  vy: number;
  /** Horizontal acceleration magnitude, m/s². */
  ah: number;
}

export interface CrashRuleState {
  ax: number;
  ay: number;
  last: { t: number; ax: number; ay: number } | null;
  vx: number;
  vy: number;
  window: WindowPoint[];
  speeds: { t: number; kmh: number }[];
  pulse: {
    startT: number;
    peak: number;
    dvx: number;
    dvy: number;
    baseVx: number;
    baseVy: number;
    speedBefore: number;
  } | null;
  /** Detection pauses until this time (epoch ms; 0: not paused). */
  lockedUntil: number;
}

export function crashRuleState(): CrashRuleState {
  return {
    ax: 0,
    ay: 0,
    last: null,
    vx: 0,
    vy: 0,
    window: [],
    speeds: [],
    pulse: null,
    lockedUntil: 0,
  };
}

/** Records a speed reading. */
export function crashRuleSpeed(
  s: CrashRuleState,
  o: CrashRuleOptions,
  timeMs: number,
  kmh: number,
): void {
  s.speeds.push({ t: timeMs, kmh });
  const horizon = timeMs - o.movingWithinMs;
  while (s.speeds.length > 1 && (s.speeds[0] as { t: number }).t < horizon) s.speeds.shift();
}

/** Feeds one acceleration sample; axes not given keep their last value. */
export function crashRuleAcceleration(
  s: CrashRuleState,
  o: CrashRuleOptions,
  timeMs: number,
  axes: { longitudinal?: number; lateral?: number },
): CollisionDetection | undefined {
  if (axes.longitudinal !== undefined) s.ax = axes.longitudinal;
  if (axes.lateral !== undefined) s.ay = axes.lateral;
  const prev = s.last;
  if (prev && timeMs < prev.t) return undefined;
  if (prev) {
    // Trapezoidal integration of acceleration into velocity change.
    const dt = (timeMs - prev.t) / 1000;
    s.vx += ((prev.ax + s.ax) / 2) * dt;
    s.vy += ((prev.ay + s.ay) / 2) * dt;
  }
  s.last = { t: timeMs, ax: s.ax, ay: s.ay };
  const ah = Math.hypot(s.ax, s.ay);
  s.window.push({ t: timeMs, vx: s.vx, vy: s.vy, ah });
  while (s.window.length > 1 && (s.window[0] as WindowPoint).t < timeMs - o.windowMs)
    s.window.shift();

  if (s.pulse) return followPulse(s, o, timeMs, ah);
  if (timeMs < s.lockedUntil) return undefined;
  const first = s.window[0] as WindowPoint;
  const dvx = s.vx - first.vx;
  const dvy = s.vy - first.vy;
  const dvKmh = Math.hypot(dvx, dvy) * 3.6;
  if (dvKmh < o.deltaVKmh) return undefined;
  const peak = Math.max(...s.window.map((p) => p.ah));
  if (peak < o.minorG * G) return undefined;
  const speedBefore = s.speeds.reduce((max, x) => Math.max(max, x.kmh), 0);
  if (speedBefore < o.minSpeedKmh) return undefined;
  s.pulse = { startT: timeMs, peak, dvx, dvy, baseVx: first.vx, baseVy: first.vy, speedBefore };
  return followPulse(s, o, timeMs, ah);
}

function followPulse(
  s: CrashRuleState,
  o: CrashRuleOptions,
  timeMs: number,
  ah: number,
): CollisionDetection | undefined {
  const p = s.pulse;
  if (!p) return undefined;
  p.peak = Math.max(p.peak, ah);
  p.dvx = s.vx - p.baseVx;
  p.dvy = s.vy - p.baseVy;
  const over = ah < G || timeMs - p.startT >= o.windowMs;
  if (!over) return undefined;
  s.pulse = null;
  s.lockedUntil = timeMs + o.lockoutMs;
  const deltaVKmh = Math.hypot(p.dvx, p.dvy) * 3.6;
  const peakG = p.peak / G;
  return {
    timeMs: p.startT,
    severity: peakG >= o.severeG || deltaVKmh >= o.severeDeltaVKmh ? 'severe' : 'minor',
    peakG: Math.round(peakG * 100) / 100,
    deltaVKmh: Math.round(deltaVKmh * 10) / 10,
    direction: directionOf(p.dvx, p.dvy),
    speedBeforeKmh: Math.round(p.speedBefore * 10) / 10,
  };
}

/**
 * Principal direction of force from the velocity change: a frontal impact decelerates
 * (Δv forward is negative); an impact on the left pushes the vehicle right (Δv left negative).
 */
function directionOf(dvx: number, dvy: number): ImpactDirection {
  if (Math.abs(dvx) >= Math.abs(dvy)) return dvx < 0 ? 'front' : 'rear';
  return dvy < 0 ? 'left' : 'right';
}
