import {
  type CollisionDetection,
  type CrashRuleOptions,
  type CrashRuleState,
  crashRuleAcceleration,
  crashRuleDefaults,
  crashRuleSpeed,
  crashRuleState,
} from '@fleetline/proto';

export type { CollisionDetection } from '@fleetline/proto';

/**
 * Collision detection at the edge: the shared crash rule (@fleetline/proto's crash-rule, the
 * 49 CFR 563 Δv trigger with a peak and a moving condition) run at the accelerometer's full
 * rate. The cloud runs the same rule on the samples of agents that do not detect collisions.
 */

export type CrashDetectorOptions = Partial<CrashRuleOptions>;

export class CrashDetector {
  private readonly o: CrashRuleOptions;
  private readonly state: CrashRuleState = crashRuleState();

  constructor(options: CrashDetectorOptions = {}) {
    this.o = { ...crashRuleDefaults, ...options };
  }

  speed(timeMs: number, kmh: number): void {
    crashRuleSpeed(this.state, this.o, timeMs, kmh);
  }

  /** Feeds one acceleration sample; axes not given keep their last value. */
  acceleration(
    timeMs: number,
    axes: { longitudinal?: number; lateral?: number },
  ): CollisionDetection | undefined {
    return crashRuleAcceleration(this.state, this.o, timeMs, axes);
  }
}
