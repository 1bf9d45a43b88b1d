import { type Sample, signalById } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import { DriveModel } from '../../src/model/drive.js';
import { collectSamples, type SamplingPlan } from '../../src/model/sampling.js';
import { defaultSampleRates } from '../../src/model/scenario.js';
import { modelSignals } from '../../src/model/signals.js';

const state = { ...new DriveModel({ seed: 3 }, { samples: false }).state };
const plan: SamplingPlan = {
  rates: defaultSampleRates,
  startMs: 1_000_000,
  engineStartMs: 20_000,
  only: undefined,
};
function at(t: number, p = plan, s = state, fullRate = false): Sample[] {
  const out: Sample[] = [];
  collectSamples(out, t, s, p, fullRate);
  return out;
}
const ids = (samples: Sample[]) => new Set(samples.map((x) => x.signalId));
const { ax, battery, lat, rpm, speed } = modelSignals;

describe('collectSamples', () => {
  it('should send every model signal on the second, stamped from the scenario start', () => {
    const second = at(5000);
    expect(ids(second).size).toBe(Object.keys(modelSignals).length);
    expect(second.every((x) => x.timeMs === 1_005_000)).toBe(true);
  });

  it('should send dynamics and acceleration at their own rates between seconds', () => {
    expect(ids(at(5100))).toEqual(
      new Set([
        speed,
        modelSignals.steering,
        modelSignals.yaw,
        modelSignals.brake,
        modelSignals.accelerator,
        ax,
        modelSignals.ay,
        modelSignals.az,
      ]),
    );
    expect(at(5010)).toEqual([]);
    expect(ids(at(5010, plan, state, true))).toEqual(
      new Set([ax, modelSignals.ay, modelSignals.az]),
    );
  });

  it('should send engine speed and battery faster around the engine start', () => {
    expect(ids(at(17_900))).not.toContain(battery);
    expect(ids(at(18_100))).toContain(battery);
    expect(ids(at(18_100))).toContain(rpm);
    expect(ids(at(24_100))).not.toContain(battery);
  });

  it('should leave out the position without a fix, and signals not asked for', () => {
    expect(ids(at(5000, plan, { ...state, gnssFix: false }))).not.toContain(lat);
    const only = at(5000, { ...plan, only: new Set([speed]) });
    expect(only.map((x) => x.signalId)).toEqual([speed]);
  });

  it('should round values to the wire resolution, and never send -0', () => {
    const decimals = signalById(speed)?.decimals as number;
    const [sent] = at(5000, { ...plan, only: new Set([speed]) }, { ...state, speedMs: 10.123456 });
    expect(sent?.value).toBe(Math.round(10.123456 * 3.6 * 10 ** decimals) / 10 ** decimals);
    const [still] = at(5000, { ...plan, only: new Set([ax]) }, { ...state, ax: -1e-9 });
    expect(Object.is(still?.value, 0)).toBe(true);
  });
});
