import type { ImpactDirection, Severity } from '@fleetline/proto';

/**
 * Collision detection at the edge, EDR style. Pure: fed with acceleration (vehicle frame,
 * m/s², x forward, y left, z up) and speed samples in time order, it reports collisions.
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
 */

const G = 9.80665;

export interface CrashDetectorOptions {
  deltaVKmh?: number;
  windowMs?: number;
  minorG?: number;
  severeG?: number;
  severeDeltaVKmh?: number;
  /** The vehicle counts as moving when it went at least this fast in the last movingWithinMs. */
  minSpeedKmh?: number;
  movingWithinMs?: number;
  lockoutMs?: number;
}

export interface CollisionDetection {
  /** When the Δv threshold was crossed (epoch ms). */
  timeMs: number;
  severity: Severity;
  peakG: number;
  deltaVKmh: number;
  direction: ImpactDirection;
  speedBeforeKmh: number;
}

interface Point {
  t: number;
  /** Integrated velocity change since the detector started, m/s. */
  vx: number;
  vy: number;
  /** Horizontal acceleration magnitude, m/s². */
  ah: number;
}

export class CrashDetector {
  private readonly o: Required<CrashDetectorOptions>;
  private ax = 0;
  private ay = 0;
  private last: { t: number; ax: number; ay: number } | undefined;
  private vx = 0;
  private vy = 0;
  private window: Point[] = [];
  private speeds: { t: number; kmh: number }[] = [];
  private pulse:
    | {
        startT: number;
        peak: number;
        dvx: number;
        dvy: number;
        baseVx: number;
        baseVy: number;
        speedBefore: number;
      }
    | undefined;
  private lockedUntil = Number.NEGATIVE_INFINITY;

  constructor(options: CrashDetectorOptions = {}) {
    this.o = {
      deltaVKmh: options.deltaVKmh ?? 8,
      windowMs: options.windowMs ?? 150,
      minorG: options.minorG ?? 2.5,
      severeG: options.severeG ?? 4,
      severeDeltaVKmh: options.severeDeltaVKmh ?? 24,
      minSpeedKmh: options.minSpeedKmh ?? 5,
      movingWithinMs: options.movingWithinMs ?? 2000,
      lockoutMs: options.lockoutMs ?? 5000,
    };
  }

  speed(timeMs: number, kmh: number): void {
    this.speeds.push({ t: timeMs, kmh });
    const horizon = timeMs - this.o.movingWithinMs;
    while (this.speeds.length > 1 && (this.speeds[0] as { t: number }).t < horizon)
      this.speeds.shift();
  }

  /** Feeds one acceleration sample; axes not given keep their last value. */
  acceleration(
    timeMs: number,
    axes: { longitudinal?: number; lateral?: number },
  ): CollisionDetection | undefined {
    if (axes.longitudinal !== undefined) this.ax = axes.longitudinal;
    if (axes.lateral !== undefined) this.ay = axes.lateral;
    const prev = this.last;
    if (prev && timeMs < prev.t) return undefined;
    if (prev) {
      // Trapezoidal integration of acceleration into velocity change.
      const dt = (timeMs - prev.t) / 1000;
      this.vx += ((prev.ax + this.ax) / 2) * dt;
      this.vy += ((prev.ay + this.ay) / 2) * dt;
    }
    this.last = { t: timeMs, ax: this.ax, ay: this.ay };
    const ah = Math.hypot(this.ax, this.ay);
    this.window.push({ t: timeMs, vx: this.vx, vy: this.vy, ah });
    while (this.window.length > 1 && (this.window[0] as Point).t < timeMs - this.o.windowMs)
      this.window.shift();

    if (this.pulse) return this.followPulse(timeMs, ah);
    if (timeMs < this.lockedUntil) return undefined;
    const first = this.window[0] as Point;
    const dvx = this.vx - first.vx;
    const dvy = this.vy - first.vy;
    const dvKmh = Math.hypot(dvx, dvy) * 3.6;
    if (dvKmh < this.o.deltaVKmh) return undefined;
    const peak = Math.max(...this.window.map((p) => p.ah));
    if (peak < this.o.minorG * G) return undefined;
    const speedBefore = this.speedBefore();
    if (speedBefore < this.o.minSpeedKmh) return undefined;
    this.pulse = {
      startT: timeMs,
      peak,
      dvx,
      dvy,
      baseVx: first.vx,
      baseVy: first.vy,
      speedBefore,
    };
    return this.followPulse(timeMs, ah);
  }

  private followPulse(timeMs: number, ah: number): CollisionDetection | undefined {
    const p = this.pulse;
    if (!p) return undefined;
    p.peak = Math.max(p.peak, ah);
    p.dvx = this.vx - p.baseVx;
    p.dvy = this.vy - p.baseVy;
    const over = ah < G || timeMs - p.startT >= this.o.windowMs;
    if (!over) return undefined;
    this.pulse = undefined;
    this.lockedUntil = timeMs + this.o.lockoutMs;
    const deltaVKmh = Math.hypot(p.dvx, p.dvy) * 3.6;
    const peakG = p.peak / G;
    return {
      timeMs: p.startT,
      severity: peakG >= this.o.severeG || deltaVKmh >= this.o.severeDeltaVKmh ? 'severe' : 'minor',
      peakG: Math.round(peakG * 100) / 100,
      deltaVKmh: Math.round(deltaVKmh * 10) / 10,
      direction: directionOf(p.dvx, p.dvy),
      speedBeforeKmh: Math.round(p.speedBefore * 10) / 10,
    };
  }

  private speedBefore(): number {
    return this.speeds.reduce((max, s) => Math.max(max, s.kmh), 0);
  }
}

/**
 * Principal direction of force from the velocity change: a frontal impact decelerates
 * (Δv forward is negative); an impact on the left pushes the vehicle right (Δv left negative).
 */
function directionOf(dvx: number, dvy: number): ImpactDirection {
  if (Math.abs(dvx) >= Math.abs(dvy)) return dvx < 0 ? 'front' : 'rear';
  return dvy < 0 ? 'left' : 'right';
}
