import { type Sample, signalId } from '@fleetline/proto';
import type { Detector } from './detector.js';
import type { ClearedCondition, Detected, RaisedCondition } from './findings.js';
import { closedLevel, type LevelRule, type LevelState, stepLevel } from './level.js';

/**
 * Low 12 V battery, two ways (voltage and engine speed):
 * - `resting`: with the engine off, under 12.0 V for 10 minutes — a healthy lead-acid battery
 *   rests at 12.4–12.7 V, and at 12.0 V it is about half discharged (parasitic drain, lights
 *   left on). Critical under 11.6 V, where starting becomes doubtful. Clears after a minute at
 *   12.4 V or more (recharged, or the alternator charging). While the engine runs the voltage
 *   says nothing about the battery's charge, so the condition cannot open then.
 * - `cranking`: the lowest voltage while the starter turns the engine, from two seconds before
 *   the engine speed rises until three seconds after. Under 9.6 V (the usual load-test limit)
 *   the battery is weak even if charged. Clears at a later start that stays at 10.0 V or more.
 * Pure.
 */

const VOLTAGE = signalId('Vehicle.LowVoltageBattery.CurrentVoltage');
const ENGINE_SPEED = signalId('Vehicle.Powertrain.CombustionEngine.Speed');

const resting: LevelRule = {
  enters: (v) => v < 12.0,
  exits: (v) => v >= 12.4,
  enterForMs: 600_000,
  exitForMs: 60_000,
};

/** Engine speed at or above this means the starter or the engine is turning. */
const TURNING_RPM = 50;
/** Without an engine-speed reading for this long, the engine counts as off (ECUs sleep). */
const RPM_STALE_MS = 10_000;
const CRANK_BEFORE_MS = 2_000;
const CRANK_AFTER_MS = 3_000;

export interface LowBatteryState {
  readonly resting: LevelState;
  readonly lastRpm?: { readonly timeMs: number; readonly rpm: number };
  /** Voltages of the last CRANK_BEFORE_MS, for the dip that comes before the rpm rises. */
  readonly recentVolts: readonly (readonly [number, number])[];
  /** A start in progress: when the engine began turning, and the lowest voltage so far. */
  readonly crank?: { readonly startMs: number; readonly minVolts: number };
  readonly crankingOpen: boolean;
}

export const lowBattery = {
  initial: { resting: closedLevel, recentVolts: [], crankingOpen: false } as LowBatteryState,
  step(state: LowBatteryState, samples: readonly Sample[]): Detected<LowBatteryState> {
    let s = state;
    const raised: RaisedCondition[] = [];
    const cleared: ClearedCondition[] = [];
    for (const sample of samples) {
      if (sample.signalId !== VOLTAGE && sample.signalId !== ENGINE_SPEED) continue;
      const t = sample.timeMs;
      // A start whose window has passed is judged first.
      if (s.crank && t > s.crank.startMs + CRANK_AFTER_MS) {
        const { minVolts, startMs } = s.crank;
        if (minVolts < 9.6 && !s.crankingOpen) {
          raised.push({
            type: 'low_battery',
            key: 'cranking',
            severity: 'warning',
            timeMs: startMs,
            evidence: { crankingMinVolts: minVolts },
            clearsWhen: 'an engine start that stays at 10.0 V or more',
          });
          s = { ...s, crankingOpen: true };
        } else if (minVolts >= 10.0 && s.crankingOpen) {
          cleared.push({
            type: 'low_battery',
            key: 'cranking',
            timeMs: startMs,
            evidence: { crankingMinVolts: minVolts },
          });
          s = { ...s, crankingOpen: false };
        }
        s = { ...s, crank: undefined };
      }
      if (sample.signalId === ENGINE_SPEED) {
        const wasTurning = turning(s.lastRpm, t);
        s = { ...s, lastRpm: { timeMs: t, rpm: sample.value } };
        if (!wasTurning && sample.value >= TURNING_RPM && !s.crank) {
          const before = s.recentVolts.filter(([at]) => at >= t - CRANK_BEFORE_MS);
          const minVolts = Math.min(Number.POSITIVE_INFINITY, ...before.map(([, v]) => v));
          s = { ...s, crank: { startMs: t, minVolts } };
        }
        continue;
      }
      const volts = sample.value;
      s = {
        ...s,
        recentVolts: [...s.recentVolts.filter(([at]) => at >= t - CRANK_BEFORE_MS), [t, volts]],
        ...(s.crank ? { crank: { ...s.crank, minVolts: Math.min(s.crank.minVolts, volts) } } : {}),
      };
      if (turning(s.lastRpm, t) && !s.resting.open) {
        s = { ...s, resting: closedLevel }; // running: a resting low cannot begin
        continue;
      }
      const next = stepLevel(resting, s.resting, t, volts, Math.min);
      s = { ...s, resting: next.state };
      if (next.change?.kind === 'opened') {
        raised.push({
          type: 'low_battery',
          key: 'resting',
          severity: next.change.extreme < 11.6 ? 'critical' : 'warning',
          timeMs: next.change.sinceMs,
          evidence: { restingVolts: next.change.extreme },
          clearsWhen: 'the battery at 12.4 V or more for a minute',
        });
      } else if (next.change?.kind === 'closed') {
        cleared.push({
          type: 'low_battery',
          key: 'resting',
          timeMs: t,
          evidence: { volts },
        });
      }
    }
    return { state: s, findings: { raised, cleared } };
  },
};

function turning(lastRpm: LowBatteryState['lastRpm'], nowMs: number): boolean {
  return !!lastRpm && lastRpm.rpm >= TURNING_RPM && nowMs - lastRpm.timeMs <= RPM_STALE_MS;
}

export const lowBatteryDetector: Detector<LowBatteryState, 'lowBattery'> = {
  key: 'lowBattery',
  initial: () => lowBattery.initial,
  samples: (state, samples) => lowBattery.step(state, samples),
};
