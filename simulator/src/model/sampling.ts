import type { Sample } from '@fleetline/proto';
import type { DriveState } from './drive-state.js';
import type { SampleRates } from './scenario.js';
import {
  dynamicsSignals,
  modelSignals,
  modelValues,
  positionSignals,
  secondSignals,
  wireScales,
} from './signals.js';

/**
 * Which signals a vehicle sends at a step, each on its own grid (see SampleRates), values
 * rounded to the catalogue's wire resolution. Pure apart from appending to `out`.
 */

export interface SamplingPlan {
  rates: SampleRates;
  /** Epoch ms of the scenario start. */
  startMs: number;
  engineStartMs: number;
  /** Only these signal ids, if set. */
  only: ReadonlySet<number> | undefined;
}

/**
 * Appends the samples due at `t` (ms from the start) to `out`. Acceleration goes at the event
 * rate when `fullRateAcceleration`, else at its own.
 */
export function collectSamples(
  out: Sample[],
  t: number,
  s: DriveState,
  plan: SamplingPlan,
  fullRateAcceleration: boolean,
): void {
  const rt = plan.rates;
  const timeMs = plan.startMs + t;
  const only = plan.only;
  const put = (id: number, value: number) => {
    if (only && !only.has(id)) return;
    const scale = wireScales.get(id);
    const q = scale === undefined ? value : Math.round(value * scale) / scale;
    out.push({ signalId: id, timeMs, value: q + 0 });
  };
  const cranking = t >= plan.engineStartMs - 2000 && t <= plan.engineStartMs + 4000;
  const dynamics = t % rt.speedMs === 0;
  const everySecond = t % rt.defaultMs === 0;
  // Most 10-ms steps send acceleration at most: the full set of values only when needed.
  const values = dynamics || everySecond ? modelValues(s) : undefined;
  if (values && dynamics) {
    for (const key of dynamicsSignals) put(modelSignals[key], values[key]);
  }
  if (everySecond || (cranking && t % rt.crankingMs === 0)) {
    put(modelSignals.rpm, s.engineRpm);
    put(modelSignals.battery, s.batteryV);
  }
  if (values && everySecond) {
    for (const key of secondSignals) {
      if (!s.gnssFix && (positionSignals as readonly string[]).includes(key)) continue;
      put(modelSignals[key], values[key]);
    }
  }
  if (t % (fullRateAcceleration ? rt.accelerationEventMs : rt.accelerationMs) === 0) {
    put(modelSignals.ax, s.ax);
    put(modelSignals.ay, s.ay);
    put(modelSignals.az, s.az);
  }
}
