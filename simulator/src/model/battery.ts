import type { EngineState } from './drive-state.js';
import { CRANKING_MS } from './powertrain.js';

/**
 * The 12 V battery: its resting voltage, the dip while the starter cranks, the alternator's
 * charge once the engine runs. A weak battery rests lower and dips deeper. Pure.
 */

export interface BatteryCondition {
  restingV: number;
  /** How far the voltage drops at the start of cranking. */
  crankDipV: number;
}

/** A healthy or weak battery; `draw` (uniform in [0, 1)) spreads the resting voltage. */
export function batteryCondition(weak: boolean, draw: number): BatteryCondition {
  return {
    restingV: weak ? 11.75 + draw * 0.1 : 12.55 + draw * 0.1,
    crankDipV: weak ? 3.3 : 2.2,
  };
}

/**
 * The terminal voltage now; `noise` is triangular in [-1, 1]. The times are since the key was
 * turned and since the engine runs.
 */
export function batteryVoltage(
  battery: BatteryCondition,
  at: { engine: EngineState; crankingForMs: number; runningForMs: number; crashed: boolean },
  noise: number,
): number {
  if (at.engine === 'cranking') {
    const u = at.crankingForMs / CRANKING_MS;
    const shape = Math.min(1, u * 18) * (0.85 + 0.15 * Math.sin(u * 6 * Math.PI));
    return battery.restingV - battery.crankDipV * shape + noise * 0.02;
  }
  if (at.engine === 'running') {
    const charging = 14.2 - (14.2 - (battery.restingV - 0.3)) * Math.exp(-at.runningForMs / 1500);
    return charging + noise * 0.03;
  }
  return battery.restingV - (at.crashed ? 0.1 : 0) + noise * 0.005;
}
