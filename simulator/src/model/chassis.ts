import { clamp } from './clamp.js';
import { STEERING_RATIO, WHEELBASE_M } from './vehicle.js';

/**
 * Heading, yaw and steering. The route's heading changes at once at a corner; a vehicle turns
 * through it over a few seconds, so the yaw rate comes from a filtered heading, and the
 * steering wheel from the yaw rate (single-track model). Pure.
 */

/** Heading filter for the lateral acceleration: a corner takes a few seconds to drive. */
const YAW_TAU_S = 4;

const wrap180 = (deg: number) => ((((deg + 180) % 360) + 360) % 360) - 180;

/** The filtered heading after a step towards the route's heading, and the yaw rate (rad/s, clockwise). */
export function headingFilter(
  filteredHeading: number,
  headingDeg: number,
  dt: number,
): { filteredHeading: number; yawRate: number } {
  const lag = wrap180(headingDeg - filteredHeading);
  return {
    filteredHeading: (filteredHeading + (lag * dt) / YAW_TAU_S + 360) % 360,
    yawRate: ((lag / YAW_TAU_S) * Math.PI) / 180,
  };
}

/** The yaw rate as the catalogue has it: °/s, positive counter-clockwise. */
export const yawRateDps = (yawRate: number) => -(yawRate * 180) / Math.PI;

/**
 * The steering wheel angle, ° (positive left): road-wheel angle atan(L·ψ'/v) through the
 * steering ratio, within the wheel's ±1.5 turns; `noise` is triangular in [-1, 1].
 */
export function steeringWheelDeg(yawRate: number, v: number, noise: number): number {
  const wheelRad = v > 1 ? Math.atan((WHEELBASE_M * -yawRate) / v) : 0;
  return clamp(((wheelRad * 180) / Math.PI) * STEERING_RATIO, -540, 540) + noise * 0.3;
}
