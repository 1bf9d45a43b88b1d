import { describe, expect, it } from 'vitest';
import { type MaintenanceInput, maintenance } from '../../src/detectors/maintenance.js';
import { offline } from '../../src/detectors/offline.js';

const t0 = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;

function run<S, I>(
  detector: {
    step(
      s: S,
      i: I,
    ): { state: S; findings: { raised: readonly unknown[]; cleared: readonly unknown[] } };
  },
  initial: S,
  inputs: readonly I[],
) {
  let state = initial;
  const raised: unknown[] = [];
  const cleared: unknown[] = [];
  for (const input of inputs) {
    const r = detector.step(state, input);
    state = r.state;
    raised.push(...r.findings.raised);
    cleared.push(...r.findings.cleared);
  }
  return { state, raised, cleared };
}

describe('maintenance due', () => {
  /** A vehicle driving `kmPerDay` every day from `fromKm`, one odometer reading a day. */
  const driving = (
    days: number,
    fromKm: number,
    kmPerDay: number,
    startMs = t0,
  ): MaintenanceInput[] =>
    Array.from({ length: days }, (_, d) => ({
      kind: 'odometer' as const,
      timeMs: startMs + d * DAY,
      km: fromKm + d * kmPerDay,
    }));

  it('should say a service is coming up, then that it is overdue, each once', () => {
    // Serviced at 20,000 km; 100 km a day.
    const inputs: MaintenanceInput[] = [
      { kind: 'serviced', timeMs: t0, odometerKm: 20_000 },
      ...driving(120, 20_000, 100),
    ];
    const r = run(maintenance, maintenance.initial(), inputs);
    expect(r.raised).toMatchObject([
      { type: 'maintenance_due', key: 'due', severity: 'info', timeMs: t0 + 95 * DAY },
      { type: 'maintenance_due', key: 'overdue', severity: 'warning', timeMs: t0 + 100 * DAY },
    ]);
    expect((r.raised[0] as { evidence: Record<string, number> }).evidence.kmSinceService).toBe(
      9_500,
    );
  });

  it('should go by time when the vehicle is hardly driven', () => {
    const inputs: MaintenanceInput[] = [
      { kind: 'serviced', timeMs: t0, odometerKm: 5_000 },
      { kind: 'odometer', timeMs: t0 + DAY, km: 5_010 },
      ...Array.from({ length: 400 }, (_, d) => ({ kind: 'tick' as const, timeMs: t0 + d * DAY })),
    ];
    const r = run(maintenance, maintenance.initial(), inputs);
    expect(r.raised).toMatchObject([
      { key: 'due', timeMs: t0 + 351 * DAY },
      { key: 'overdue', timeMs: t0 + 365 * DAY },
    ]);
  });

  it('should clear both when a service is recorded, and count from it', () => {
    const first = run(maintenance, maintenance.initial(), [
      { kind: 'serviced', timeMs: t0, odometerKm: 0 },
      ...driving(110, 0, 100),
      { kind: 'serviced', timeMs: t0 + 110 * DAY, odometerKm: 10_900 },
      ...driving(50, 10_900, 100, t0 + 111 * DAY),
    ]);
    expect(first.cleared.map((c) => (c as { key: string }).key)).toEqual(['due', 'overdue']);
    expect(first.raised).toHaveLength(2); // nothing new in the 5,000 km after the service
    expect(first.state.open).toEqual([]);
  });

  it('should follow the vehicle’s own plan', () => {
    const plan = { intervalKm: 5_000, intervalDays: 180, aheadKm: 250, aheadDays: 7 };
    const r = run(maintenance, maintenance.initial(plan), [
      { kind: 'serviced', timeMs: t0, odometerKm: 1_000 },
      { kind: 'odometer', timeMs: t0 + DAY, km: 5_800 },
    ]);
    expect(r.raised).toMatchObject([{ key: 'due' }]);
  });
});

describe('offline too long', () => {
  const detector = offline(48 * 3_600_000);

  it('should raise once after 48 hours of silence and clear when the vehicle is back', () => {
    const hourly = Array.from({ length: 72 }, (_, h) => ({
      kind: 'tick' as const,
      timeMs: t0 + h * 3_600_000,
    }));
    const r = run(detector, detector.initial, [
      { kind: 'seen', timeMs: t0 },
      ...hourly,
      { kind: 'seen', timeMs: t0 + 72 * 3_600_000 },
    ]);
    expect(r.raised).toMatchObject([
      {
        type: 'offline',
        key: 'offline',
        timeMs: t0 + 48 * 3_600_000,
        evidence: { hoursSilent: 48, lastSeenMs: t0 },
      },
    ]);
    expect(r.cleared).toMatchObject([{ type: 'offline', timeMs: t0 + 72 * 3_600_000 }]);
  });

  it('should stay quiet for a weekend in the car park, and for a vehicle never heard from', () => {
    const weekend = run(detector, detector.initial, [
      { kind: 'seen', timeMs: t0 },
      { kind: 'tick', timeMs: t0 + 47 * 3_600_000 },
      { kind: 'seen', timeMs: t0 + 47.5 * 3_600_000 },
      { kind: 'tick', timeMs: t0 + 90 * 3_600_000 },
    ]);
    expect(weekend.raised).toEqual([]);
    expect(run(detector, detector.initial, [{ kind: 'tick', timeMs: t0 }]).raised).toEqual([]);
  });

  it('should not move last-seen backwards on a late, replayed message', () => {
    const r = run(detector, detector.initial, [
      { kind: 'seen', timeMs: t0 + 10 * 3_600_000 },
      { kind: 'seen', timeMs: t0 },
      { kind: 'tick', timeMs: t0 + 50 * 3_600_000 },
    ]);
    expect(r.raised).toEqual([]);
  });
});
