import { describe, expect, it } from 'vitest';
import { DriveModel, simulate } from '../../src/index.js';
import { cloudAlerts, raisedTypes } from './cloud-alerts.js';

/** The scenarios' faults, as the cloud's detectors see them. */
describe('drive model through the cloud detectors', () => {
  it('raises overheat when the fan fails', () => {
    const out = simulate(
      { seed: 31, coolantC: 90, events: [{ kind: 'fanFailure', atMs: 5_000 }] },
      180_000,
    );
    expect(raisedTypes(cloudAlerts(out))).toEqual(['overheat']);
  });

  it('raises nothing for a healthy drive', () => {
    for (const profile of ['city', 'highway', 'stopAndGo'] as const) {
      const out = simulate({ seed: 32, coolantC: 88, profile }, 120_000);
      expect(raisedTypes(cloudAlerts(out))).toEqual([]);
    }
  });

  it('raises low_battery for a weak battery at the engine start', () => {
    const out = simulate({ seed: 33, battery: 'weak', engineStartMs: 5_000 }, 30_000);
    const changes = cloudAlerts(out);
    expect(raisedTypes(changes)).toEqual(['low_battery']);
    expect(changes[0]?.conditionKey).toBe('cranking');
  });

  it('raises and clears dtc as the codes come and go', () => {
    const out = simulate(
      { seed: 34, events: [{ kind: 'dtc', atMs: 20_000, code: 'P0128', clearAtMs: 100_000 }] },
      150_000,
    );
    const changes = cloudAlerts(out).filter((c) => c.type === 'dtc');
    expect(changes.map((c) => [c.transition, c.conditionKey])).toEqual([
      ['raised', 'P0128'],
      ['cleared', 'P0128'],
    ]);
  });

  it('raises harsh_braking but no collision for hard braking and potholes', () => {
    const out = simulate(
      {
        seed: 35,
        coolantC: 88,
        events: [
          { kind: 'pothole', atMs: 30_000 },
          { kind: 'hardBraking', atMs: 50_000 },
          { kind: 'pothole', atMs: 70_000, peakG: 5, durationMs: 60 },
        ],
      },
      90_000,
    );
    expect(raisedTypes(cloudAlerts(out))).toEqual(['harsh_braking']);
  });

  it.each(['front', 'rear', 'left'] as const)('raises collision for a %s crash', (direction) => {
    const out = simulate(
      { seed: 36, coolantC: 88, events: [{ kind: 'crash', atMs: 40_000, direction }] },
      60_000,
    );
    const changes = cloudAlerts(out);
    expect(raisedTypes(changes)).toContain('collision');
    const collision = changes.find((c) => c.type === 'collision');
    expect(collision?.evidence.direction).toBe(direction);
  });

  it('raises maintenance_due as the odometer reaches the service window', () => {
    const model = new DriveModel({ seed: 37, coolantC: 88, serviceDueInKm: 500.3 });
    const out = model.advance(180_000);
    const changes = cloudAlerts(out, [
      { kind: 'serviced', timeMs: model.startMs - 86_400_000, odometerKm: model.lastServiceKm },
    ]);
    expect(raisedTypes(changes)).toEqual(['maintenance_due']);
  });
});
