import { signalId } from '@fleetline/proto';
import type { Detector } from './detector.js';
import type { LevelState } from './level.js';
import { levelDetector } from './level-detector.js';

/**
 * Coolant overheat: engine coolant at or above 110 °C for 30 s (most engines run at 90–105 °C
 * with the thermostat open; a fan or coolant fault pushes past that and stays). Critical from
 * 120 °C, where head-gasket damage begins. Clears after 60 s at or under 100 °C.
 */
export const overheat = levelDetector({
  type: 'overheat',
  signalId: signalId('Vehicle.Powertrain.CombustionEngine.ECT'),
  rule: {
    enters: (c) => c >= 110,
    exits: (c) => c <= 100,
    enterForMs: 30_000,
    exitForMs: 60_000,
  },
  worst: 'high',
  severity: (c) => (c >= 120 ? 'critical' : 'warning'),
  evidenceName: 'coolantC',
  clearsWhen: 'coolant at or under 100 °C for 60 s',
});

export const overheatDetector: Detector<LevelState, 'overheat'> = {
  key: 'overheat',
  initial: () => overheat.initial,
  samples: (state, samples) => overheat.step(state, samples),
};
