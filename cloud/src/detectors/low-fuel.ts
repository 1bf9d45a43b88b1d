import { signalId } from '@fleetline/proto';
import type { Detector } from './detector.js';
import type { LevelState } from './level.js';
import { levelDetector } from './level-detector.js';

/**
 * Low fuel: the level at or under 10 % for 60 s — the dwell rides out fuel sloshing in
 * corners and on slopes, which moves the sender by several percent. Critical at 5 % or less.
 * Clears after 60 s at 15 % or more (refuelled).
 */
export const lowFuel = levelDetector({
  type: 'low_fuel',
  signalId: signalId('Vehicle.Powertrain.FuelSystem.RelativeLevel'),
  rule: {
    enters: (p) => p <= 10,
    exits: (p) => p >= 15,
    enterForMs: 60_000,
    exitForMs: 60_000,
  },
  worst: 'low',
  severity: (p) => (p <= 5 ? 'critical' : 'warning'),
  evidenceName: 'fuelPercent',
  clearsWhen: 'fuel at 15 % or more for 60 s',
});

export const lowFuelDetector: Detector<LevelState, 'lowFuel'> = {
  key: 'lowFuel',
  initial: () => lowFuel.initial,
  samples: (state, samples) => lowFuel.step(state, samples),
};
