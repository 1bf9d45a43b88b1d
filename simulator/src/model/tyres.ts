/**
 * Tyre pressures: set cold, they rise about 7 % as the tyres warm over a quarter of an hour of
 * driving, and fall again more slowly. Pure.
 */

/** Cold pressures (FL, FR, RL, RR, kPa) from five draws of `random`: the car's, then each tyre's. */
export function drawColdTyres(random: () => number): number[] {
  const cold = 225 + random() * 15;
  return [0, 1, 2, 3].map(() => cold + (random() - 0.5) * 6);
}

/** Warmth (0 cold … 1 at running temperature) after a step of `dt` s at `v` m/s. */
export function tyreWarmthAfter(warmth: number, v: number, dt: number): number {
  const target = Math.min(1, v / 25);
  return warmth + ((target - warmth) * dt) / (target > warmth ? 900 : 1800);
}

/** A tyre's pressure at a warmth. */
export const tyrePressure = (coldKPa: number, warmth: number) => coldKPa * (1 + 0.07 * warmth);
