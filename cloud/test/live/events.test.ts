import { signalId } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import {
  alertEvent,
  matches,
  mergeStates,
  stateEvent,
  vehicleState,
} from '../../src/live/events.js';
import { sseComment, sseEvent, sseRetry } from '../../src/live/sse.js';

const t0 = Date.UTC(2026, 10, 25, 7, 30, 0);

describe('live events', () => {
  it('should carry an alert change as it is, times in ISO 8601', () => {
    expect(
      alertEvent({
        alertId: 'al-1',
        deviceId: 'veh-1',
        type: 'low_fuel',
        severity: 'critical',
        transition: 'cleared',
        conditionKey: 'fuel',
        timeMs: t0,
        evidence: { fuelPct: 4.5, note: 'x' },
        clearsWhen: '',
      }),
    ).toEqual({
      type: 'alert',
      id: 'al-1',
      vehicleId: 'veh-1',
      alertType: 'low_fuel',
      severity: 'critical',
      transition: 'cleared',
      time: '2026-11-25T07:30:00.000Z',
      conditionKey: 'fuel',
      evidence: { fuelPct: 4.5, note: 'x' },
    });
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
      type: 'state',
      vehicleId: 'veh-1',
      time: new Date(t0 + 2000).toISOString(),
      signals: {
        'Vehicle.Speed': { v: 52, t: new Date(t0 + 2000).toISOString() },
        'Vehicle.Powertrain.CombustionEngine.ECT': { v: 91, t: new Date(t0 + 500).toISOString() },
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

  it('should match filters by kind and vehicle', () => {
    const s = vehicleState({
      deviceId: 'veh-1',
      seq: 1,
      baseTimeMs: t0,
      samples: [{ signalId: 1, timeMs: t0, value: 1 }],
    });
    if (!s) throw new Error('no state');
    expect(matches({ kinds: new Set(['state']) }, s)).toBe(true);
    expect(matches({ kinds: new Set(['alerts']) }, s)).toBe(false);
    expect(matches({ kinds: new Set(['state']), vehicleIds: new Set(['veh-2']) }, s)).toBe(false);
    expect(matches({ kinds: new Set(['state']), vehicleIds: new Set(['veh-1']) }, s)).toBe(true);
  });
});

describe('SSE framing', () => {
  it('should frame an event as its type and one line of JSON, ended by a blank line', () => {
    const frame = sseEvent({ type: 'dropped', count: 3 });
    expect(frame).toBe('event: dropped\ndata: {"type":"dropped","count":3}\n\n');
    const withBreaks = sseEvent({ type: 'error', message: 'a\nb\r\nc' });
    expect(withBreaks.split('\n')).toHaveLength(4);
    expect(JSON.parse(withBreaks.split('\n')[1]?.slice('data: '.length) ?? '')).toEqual({
      type: 'error',
      message: 'a\nb\r\nc',
    });
  });

  it('should write retry hints and comments', () => {
    expect(sseRetry(3000)).toBe('retry: 3000\n\n');
    expect(sseComment('keep\nalive')).toBe(': keep alive\n\n');
  });
});
