import type { AlertChange } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import { alertChanges, type OpenAlerts } from '../../src/alerts/alert-changes.js';
import {
  type VehicleDetectorState,
  type VehicleInput,
  vehicleDetectors,
} from '../../src/detectors/vehicle.js';

/**
 * A vehicle's trouble codes as a service advisor meets them in the alert list: a few codes,
 * each an alert of its own; many codes at once, the first ones alone and the rest together;
 * a device whose codes keep changing, a bounded number of alerts a day however fast they
 * change (the budget runs on the gateway's clock, which the device cannot move).
 */

const t0 = Date.UTC(2026, 10, 25, 7, 30, 0);
const DAY = 86_400_000;
const hex = (n: number) => n.toString(16).toUpperCase().padStart(3, '0');
/** n valid SAE J2012 codes of a system, from `first`. */
const codes = (system: 'P' | 'B' | 'U', first: number, n: number) =>
  Array.from({ length: n }, (_, i) => `${system}1${hex(first + i)}`);

/** Runs trouble-code reports through the detectors and the alert changes, as the actor does. */
function vehicle(detectors = vehicleDetectors()) {
  let state: VehicleDetectorState = detectors.initial();
  let open: OpenAlerts = {};
  let seq = 0;
  const changes: AlertChange[] = [];
  return {
    changes,
    get open() {
      return Object.keys(open).filter((k) => k.startsWith('dtc/'));
    },
    report(list: readonly string[], receivedAtMs: number, timeMs = receivedAtMs) {
      const input: VehicleInput = {
        kind: 'event',
        event: {
          deviceId: 'veh',
          seq: ++seq,
          timeMs,
          payload: { kind: 'troubleCodes', codes: [...list] },
        },
        receivedAtMs,
      };
      // A snapshot to the telemetry database and back between every two reports.
      const r = detectors.detect(JSON.parse(JSON.stringify(state)), input);
      state = r.state;
      const c = alertChanges('veh', open, r.findings);
      open = c.open;
      changes.push(...c.changes);
      return c.changes;
    },
  };
}

const raised = (changes: readonly AlertChange[]) =>
  changes.filter((c) => c.type === 'dtc' && c.transition === 'raised');

describe('trouble-code alerts of one vehicle', () => {
  it('should raise a bounded number of alerts a day for a device alternating two sets of 128 codes', () => {
    const v = vehicle();
    const a = codes('P', 0x100, 128);
    const b = codes('B', 0x100, 128);
    let mostOpen = 0;
    // A report a second for an hour, then one a second an hour later for a minute.
    for (let i = 0; i < 3600; i++) {
      v.report(i % 2 ? b : a, t0 + i * 1000);
      mostOpen = Math.max(mostOpen, v.open.length);
    }
    expect(raised(v.changes).length).toBeLessThanOrEqual(24 + 1);
    expect(mostOpen).toBeLessThanOrEqual(9);
    const before = raised(v.changes).length;
    for (let i = 0; i < 60; i++) v.report(i % 2 ? b : a, t0 + 2 * 3600_000 + i * 1000);
    // The budget grows back with time — a day's worth over a day — not with reports.
    expect(raised(v.changes).length - before).toBeLessThanOrEqual(3);
    mostOpen = Math.max(mostOpen, v.open.length);
    expect(mostOpen).toBeLessThanOrEqual(9);
  });

  it('should not let a device refill its budget by moving its own clock', () => {
    const v = vehicle();
    const a = codes('P', 0x100, 10);
    const b = codes('B', 0x100, 10);
    for (let i = 0; i < 400; i++) {
      // Event times a day apart, received a second apart.
      v.report(i % 2 ? b : a, t0 + i * 1000, t0 + i * DAY);
    }
    expect(raised(v.changes).length).toBeLessThanOrEqual(25);
  });

  it('should raise the first eight codes of many alone, critical ones first, and the rest in one alert', () => {
    const v = vehicle();
    const many = [...codes('B', 0x200, 15), 'P0301', 'U0100', 'P0420'];
    const first = v.report(many, t0);
    const own = raised(first).filter((c) => c.conditionKey !== 'more');
    expect(own).toHaveLength(8);
    expect(own.slice(0, 2).map((c) => [c.conditionKey, c.severity])).toEqual([
      ['P0301', 'critical'],
      ['U0100', 'critical'],
    ]);
    const more = raised(first).filter((c) => c.conditionKey === 'more');
    expect(more).toHaveLength(1);
    expect(more[0]).toMatchObject({
      severity: 'warning',
      evidence: { count: 10 },
      clearsWhen:
        'every trouble code the vehicle reports has an alert of its own, or none is reported',
    });
    const listed = String(more[0]?.evidence.codes).split(' ');
    expect(listed).toHaveLength(10);
    expect(new Set([...own.map((c) => c.conditionKey), ...listed])).toEqual(new Set(many));
    // Reported again: nothing new.
    expect(v.report(many, t0 + 60_000)).toEqual([]);
  });

  it('should give codes of the summary alerts of their own when room comes, and then clear it', () => {
    const v = vehicle();
    const twelve = codes('P', 0x300, 12);
    v.report(twelve, t0);
    expect(v.open).toHaveLength(9);
    // Six codes with alerts of their own gone: the four summarised get the room, and the
    // summary clears.
    const six = twelve.slice(6);
    const next = v.report(six, t0 + 60_000);
    const ownNow = v.open.filter((k) => k !== 'dtc/more').map((k) => k.slice(4));
    expect(new Set(ownNow)).toEqual(new Set(six));
    expect(
      next
        .filter((c) => c.transition === 'cleared')
        .map((c) => c.conditionKey)
        .sort(),
    ).toEqual([...twelve.slice(0, 6), 'more'].sort());
    expect(
      raised(next)
        .map((c) => c.conditionKey)
        .sort(),
    ).toEqual(six.filter((c) => !twelve.slice(0, 8).includes(c)).sort());
    // Codes gone, alerts cleared.
    v.report([], t0 + 120_000);
    expect(v.open).toEqual([]);
  });

  it('should carry on from a state saved before the limits existed', () => {
    const detectors = vehicleDetectors();
    const fresh = detectors.initial();
    // As older code saved it: only the active codes, each with an alert of its own.
    const older = { ...fresh, dtc: { active: ['P0101', 'P0102'] } };
    const restored = detectors.restore(JSON.parse(JSON.stringify(older)));
    const input = (list: string[], at: number): VehicleInput => ({
      kind: 'event',
      event: {
        deviceId: 'veh',
        seq: at,
        timeMs: at,
        payload: { kind: 'troubleCodes', codes: list },
      },
      receivedAtMs: at,
    });
    const r = detectors.detect(restored.state, input(['P0102', 'P0103'], t0));
    expect(r.findings.raised.map((x) => x.key)).toEqual(['P0103']);
    expect(r.findings.cleared.map((x) => x.key)).toEqual(['P0101']);
  });
});
