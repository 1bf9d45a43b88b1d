import { decodeAlertChange, encodeAlertChange, InvalidMessageError, pb } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import { alertChanges, alertId } from '../../src/alerts/alert-changes.js';
import type { Findings } from '../../src/detectors/findings.js';

const t0 = Date.UTC(2026, 10, 25, 10, 0, 0);
const overheatRaised = {
  type: 'overheat' as const,
  key: 'overheat',
  severity: 'warning' as const,
  timeMs: t0,
  evidence: { coolantC: 114.5, since: t0 },
  clearsWhen: 'coolant at or under 100 °C for 60 s',
};
const overheatCleared = {
  type: 'overheat' as const,
  key: 'overheat',
  timeMs: t0 + 600_000,
  evidence: { coolantC: 98 },
};

describe('alert changes from findings', () => {
  it('should raise with a stable id and clear with the same id', () => {
    const first = alertChanges('veh-1', {}, { raised: [overheatRaised], cleared: [] });
    expect(first.changes).toEqual([
      {
        alertId: alertId('veh-1', 'overheat', 'overheat', t0),
        deviceId: 'veh-1',
        type: 'overheat',
        severity: 'warning',
        transition: 'raised',
        conditionKey: 'overheat',
        timeMs: t0,
        evidence: { coolantC: 114.5, since: t0 },
        clearsWhen: 'coolant at or under 100 °C for 60 s',
      },
    ]);
    // The same finding again (a replay) while it is open: nothing.
    expect(
      alertChanges('veh-1', first.open, { raised: [overheatRaised], cleared: [] }).changes,
    ).toEqual([]);
    const second = alertChanges('veh-1', first.open, { raised: [], cleared: [overheatCleared] });
    expect(second.changes).toMatchObject([
      { alertId: first.changes[0]?.alertId, transition: 'cleared', timeMs: t0 + 600_000 },
    ]);
    expect(second.open).toEqual({});
  });

  it('should give ids that differ by vehicle, condition and time, and repeat for the same', () => {
    const ids = new Set([
      alertId('veh-1', 'dtc', 'P0420', t0),
      alertId('veh-2', 'dtc', 'P0420', t0),
      alertId('veh-1', 'dtc', 'P0421', t0),
      alertId('veh-1', 'dtc', 'P0420', t0 + 1),
      alertId('veh-1', 'low_fuel', 'P0420', t0),
    ]);
    expect(ids.size).toBe(5);
    expect(alertId('veh-1', 'dtc', 'P0420', t0)).toBe(alertId('veh-1', 'dtc', 'P0420', t0));
  });

  it('should not keep collisions and driving events open', () => {
    const findings: Findings = {
      raised: [
        {
          ...overheatRaised,
          type: 'collision',
          key: 'edge-4',
          severity: 'critical',
          clearedByPeople: true,
        },
        {
          ...overheatRaised,
          type: 'harsh_braking',
          key: String(t0 + 5),
          timeMs: t0 + 5,
          clearedByPeople: true,
        },
      ],
      cleared: [],
    };
    const r = alertChanges('veh-1', {}, findings);
    expect(r.changes.map((c) => c.type)).toEqual(['collision', 'harsh_braking']);
    expect(r.open).toEqual({});
  });

  it('should end open when a condition closes and opens again within one input', () => {
    const open = alertChanges('veh-1', {}, { raised: [overheatRaised], cleared: [] }).open;
    const again = { ...overheatRaised, timeMs: t0 + 900_000 };
    const r = alertChanges('veh-1', open, { raised: [again], cleared: [overheatCleared] });
    expect(r.changes.map((c) => c.transition)).toEqual(['cleared', 'raised']);
    expect(Object.values(r.open)).toEqual([alertId('veh-1', 'overheat', 'overheat', t0 + 900_000)]);
  });
});

describe('AlertChange on the wire', () => {
  it('should round-trip every field, numbers and texts in the evidence alike', () => {
    const { changes } = alertChanges(
      'veh-9',
      {},
      {
        raised: [
          {
            type: 'collision',
            key: 'samples-1',
            severity: 'critical',
            timeMs: t0,
            evidence: { source: 'acceleration samples', peakG: 27.8, deltaVKmh: 0, direction: '' },
            clearsWhen: 'resolved by people',
          },
        ],
        cleared: [],
      },
    );
    const change = changes[0];
    if (!change) throw new Error('no change');
    expect(decodeAlertChange(encodeAlertChange(change))).toEqual(change);
  });

  it('should say in words what a detector computed as NaN or ±∞, so the change can always be sent', () => {
    // A detector's division by zero must not stop its vehicle: the codec refuses non-finite
    // evidence numbers, so the builder turns them into text before they reach it.
    const { changes } = alertChanges(
      'veh-9',
      {},
      {
        raised: [
          {
            ...overheatRaised,
            evidence: {
              coolantC: Number.NaN,
              rate: Number.POSITIVE_INFINITY,
              drop: Number.NEGATIVE_INFINITY,
              since: t0,
              zero: -0,
            },
          },
        ],
        cleared: [{ ...overheatCleared, evidence: { coolantC: Number.NaN } }],
      },
    );
    expect(changes.map((c) => c.evidence)).toEqual([
      { coolantC: 'NaN', rate: 'Infinity', drop: '-Infinity', since: t0, zero: -0 },
      { coolantC: 'NaN' },
    ]);
    for (const change of changes) {
      expect(decodeAlertChange(encodeAlertChange(change))).toEqual(change);
    }
  });

  it('should name what is wrong in a bad record', () => {
    const bytes = (over: Partial<pb.telemetry.v1.IAlertChange>) =>
      pb.telemetry.v1.AlertChange.encode({
        alertId: 'a1',
        deviceId: 'veh-1',
        type: pb.telemetry.v1.AlertType.ALERT_TYPE_DTC,
        severity: pb.telemetry.v1.AlertSeverity.ALERT_SEVERITY_WARNING,
        transition: pb.telemetry.v1.AlertTransition.ALERT_TRANSITION_RAISED,
        conditionKey: 'P0420',
        timeMs: t0,
        ...over,
      }).finish();
    expect(decodeAlertChange(bytes({})).conditionKey).toBe('P0420');
    const cases: [Partial<pb.telemetry.v1.IAlertChange>, RegExp][] = [
      [{ alertId: '' }, /alert_id/],
      [{ deviceId: 'no spaces' }, /device_id/],
      [{ type: 99 as pb.telemetry.v1.AlertType }, /type 99/],
      [{ severity: 0 }, /severity/],
      [{ transition: 0 }, /transition/],
      [{ conditionKey: '' }, /condition_key/],
      [{ evidence: { x: {} } }, /evidence\.x/],
    ];
    for (const [over, message] of cases) {
      expect(() => decodeAlertChange(bytes(over))).toThrow(InvalidMessageError);
      expect(() => decodeAlertChange(bytes(over))).toThrow(message);
    }
    expect(() => decodeAlertChange(Uint8Array.from([0xff, 0xff]))).toThrow(
      /not a valid AlertChange/,
    );
  });
});
