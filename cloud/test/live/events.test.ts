import { type AlertChange, signalId } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import { AlertBody } from '../../src/api/alert-body.js';
import {
  alertEvent,
  matches,
  mergeStates,
  stateEvent,
  vehicleState,
} from '../../src/live/events.js';
import { sseComment, sseEvent, sseRetry } from '../../src/live/sse.js';

const t0 = Date.UTC(2026, 10, 25, 7, 30, 0);

const change = (transition: AlertChange['transition']): AlertChange => ({
  alertId: 'al-1',
  deviceId: 'veh-1',
  type: 'low_fuel',
  severity: 'critical',
  transition,
  conditionKey: 'fuel',
  timeMs: t0,
  evidence: { fuelPct: 4.5, note: 'x' },
  clearsWhen: transition === 'raised' ? '≥ 15 % for 60 s' : '',
});

describe('live events', () => {
  it('should carry a cleared alert change as the alert it clears and when, times in ISO 8601', () => {
    expect(alertEvent(change('cleared'))).toEqual({
      event: 'alert',
      data: {
        id: 'al-1',
        deviceId: 'veh-1',
        type: 'low_fuel',
        conditionKey: 'fuel',
        clearedAt: '2026-11-25T07:30:00.000Z',
      },
    });
  });

  it('should carry a raised alert change as the alert as raised', () => {
    expect(alertEvent(change('raised'))).toEqual({
      event: 'alert',
      data: {
        id: 'al-1',
        deviceId: 'veh-1',
        type: 'low_fuel',
        severity: 'critical',
        raisedAt: '2026-11-25T07:30:00.000Z',
        conditionKey: 'fuel',
        evidence: { fuelPct: 4.5, note: 'x' },
        clearsWhen: '≥ 15 % for 60 s',
      },
    });
  });

  it('should name an alert change’s fields as an item of GET /api/alerts does', () => {
    const itemFields = Object.keys(AlertBody.properties);
    for (const transition of ['raised', 'cleared'] as const) {
      const fields = Object.keys(alertEvent(change(transition)).data);
      expect(
        fields.filter((f) => !itemFields.includes(f)),
        transition,
      ).toEqual([]);
    }
  });

  it('should turn a batch into the latest value of each catalogue signal, by VSS name', () => {
    const state = vehicleState({
      deviceId: 'veh-1',
      seq: 3,
      baseTimeMs: t0,
      samples: [
        { signalId: signalId('Vehicle.Speed'), timeMs: t0 + 2000, value: 52 },
        { signalId: signalId('Vehicle.Speed'), timeMs: t0, value: 50 },
        {
          signalId: signalId('Vehicle.Powertrain.CombustionEngine.ECT'),
          timeMs: t0 + 500,
          value: 91,
        },
        { signalId: 9999, timeMs: t0 + 3000, value: 1 },
      ],
    });
    expect(state && stateEvent(state)).toEqual({
      event: 'state',
      data: {
        deviceId: 'veh-1',
        time: new Date(t0 + 2000).toISOString(),
        signals: [
          { name: 'Vehicle.Speed', unit: 'km/h', t: new Date(t0 + 2000).toISOString(), v: 52 },
          {
            name: 'Vehicle.Powertrain.CombustionEngine.ECT',
            unit: 'celsius',
            t: new Date(t0 + 500).toISOString(),
            v: 91,
          },
        ],
      },
    });
    expect(
      vehicleState({ deviceId: 'veh-1', seq: 4, baseTimeMs: t0, samples: [] }),
    ).toBeUndefined();
  });

  it('should merge without touching either state', () => {
    const a = vehicleState({
      deviceId: 'veh-1',
      seq: 1,
      baseTimeMs: t0,
      samples: [{ signalId: signalId('Vehicle.Speed'), timeMs: t0, value: 1 }],
    });
    const b = vehicleState({
      deviceId: 'veh-1',
      seq: 2,
      baseTimeMs: t0,
      samples: [{ signalId: signalId('Vehicle.Speed'), timeMs: t0 + 1, value: 2 }],
    });
    if (!a || !b) throw new Error('no state');
    const m = mergeStates(a, b);
    expect(m.signals.get('Vehicle.Speed')?.v).toBe(2);
    expect(a.signals.get('Vehicle.Speed')?.v).toBe(1);
    expect(b.signals.size).toBe(1);
  });

  it('should match filters by kind and device', () => {
    const s = vehicleState({
      deviceId: 'veh-1',
      seq: 1,
      baseTimeMs: t0,
      samples: [{ signalId: 1, timeMs: t0, value: 1 }],
    });
    if (!s) throw new Error('no state');
    expect(matches({ kinds: new Set(['state']) }, s)).toBe(true);
    expect(matches({ kinds: new Set(['alerts']) }, s)).toBe(false);
    expect(matches({ kinds: new Set(['state']), deviceIds: new Set(['veh-2']) }, s)).toBe(false);
    expect(matches({ kinds: new Set(['state']), deviceIds: new Set(['veh-1']) }, s)).toBe(true);
  });
});

describe('SSE framing', () => {
  it('should frame an event as its name and its data as one line of JSON, ended by a blank line', () => {
    const frame = sseEvent({ event: 'dropped', data: { count: 3 } });
    expect(frame).toBe('event: dropped\ndata: {"count":3}\n\n');
    const withBreaks = sseEvent({ event: 'error', data: { message: 'a\nb\r\nc' } });
    expect(withBreaks.split('\n')).toHaveLength(4);
    expect(JSON.parse(withBreaks.split('\n')[1]?.slice('data: '.length) ?? '')).toEqual({
      message: 'a\nb\r\nc',
    });
  });

  it('should write retry hints and comments', () => {
    expect(sseRetry(3000)).toBe('retry: 3000\n\n');
    expect(sseComment('keep\nalive')).toBe(': keep alive\n\n');
  });
});
