import { describe, expect, it } from 'vitest';
import {
  builtInScenarios,
  DriveModel,
  feed,
  GnssTraffic,
  highwayLeg,
  ImuTraffic,
  parseScenario,
  ScenarioError,
  sendDue,
} from '../../src/index.js';

describe('scenario files', () => {
  it('should take a valid scenario, with a built-in route by name and the default seed', () => {
    const s = parseScenario(
      {
        profile: 'highway',
        route: 'highway-leg',
        events: [{ kind: 'crash', atMs: 60_000, direction: 'left', deltaVKmh: 20 }],
      },
      { seed: 9 },
    );
    expect(s.seed).toBe(9);
    expect(s.route).toBe(highwayLeg);
    expect(s.events).toEqual([{ kind: 'crash', atMs: 60_000, direction: 'left', deltaVKmh: 20 }]);
    expect(parseScenario({ seed: 3 }, { seed: 9 }).seed).toBe(3);
  });

  it('should name every problem with its place', () => {
    const problems = (raw: unknown) => {
      try {
        parseScenario(raw, { seed: 1 });
      } catch (err) {
        expect(err).toBeInstanceOf(ScenarioError);
        return (err as ScenarioError).problems;
      }
      throw new Error('accepted');
    };
    expect(problems({ speed: 3 })).toContain('/speed: is not a scenario setting');
    expect(problems({ events: [{ kind: 'crash', atMs: 1, direction: 'up' }] })[0]).toMatch(
      /^\/events\/0\/direction: /,
    );
    expect(problems({ events: [{ kind: 'dtc', atMs: 1, code: 'banana' }] })[0]).toMatch(
      /^\/events\/0\/code: /,
    );
    expect(problems({ fuelPct: 140 })[0]).toMatch(/^\/fuelPct: /);
    expect(problems({ route: 'moon-base' })[0]).toMatch(/no built-in route "moon-base"/);
    expect(problems([])[0]).toMatch(/^\/: /);
  });

  it('should give every built-in scenario its event within the first minute', () => {
    for (const [name, scenario] of Object.entries(builtInScenarios)) {
      const model = new DriveModel({ ...scenario, seed: 5 }, { samples: false });
      const imu = new ImuTraffic({ model });
      const gnss = new GnssTraffic({ model });
      let minAx = 0;
      let noFix = 0;
      let maxKmh = 0;
      sendDue(
        [
          feed(imu, (l) => {
            minAx = Math.min(minAx, l.ax);
          }),
          feed(gnss, (e) => {
            if (!e.fix.valid) noFix++;
            maxKmh = Math.max(maxKmh, e.fix.speedKmh);
          }),
        ],
        60_000,
      );
      expect(maxKmh, name).toBeGreaterThan(5);
      expect(model.state.crashed, name).toBe(name.startsWith('crash-'));
      if (name === 'crash-front') expect(minAx, name).toBeLessThan(-10 * 9.81);
      expect(noFix > 0, name).toBe(name === 'tunnel');
    }
  });
});
