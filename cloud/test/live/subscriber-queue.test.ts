import { describe, expect, it } from 'vitest';
import type {
  AlertEvent,
  LiveKind,
  LiveMessage,
  StateEvent,
  VehicleState,
} from '../../src/live/events.js';
import { missedMessage, SubscriberQueue } from '../../src/live/subscriber-queue.js';

const alert = (id: string, deviceId = 'veh-1'): AlertEvent => ({
  event: 'alert',
  data: {
    id,
    deviceId,
    type: 'overheat',
    severity: 'warning',
    raisedAt: '2026-11-25T07:30:00.000Z',
    conditionKey: 'coolant',
    evidence: { coolantC: 111 },
    clearsWhen: '≤ 100 °C for 60 s',
  },
});

const state = (
  deviceId: string,
  signals: Record<string, [v: number, tMs: number]>,
): VehicleState => {
  const map = new Map(Object.entries(signals).map(([k, [v, tMs]]) => [k, { v, tMs }]));
  return {
    event: 'state',
    deviceId,
    timeMs: Math.max(...[...map.values()].map((s) => s.tMs)),
    signals: map,
  };
};

function queue(
  o: {
    kinds?: LiveKind[];
    deviceIds?: string[];
    limit?: number;
    intervalMs?: number;
    alertsPerVehicle?: number;
  } = {},
) {
  const drops: [string, number][] = [];
  const q = new SubscriberQueue({
    filter: {
      kinds: new Set(o.kinds ?? ['alerts', 'state']),
      deviceIds: o.deviceIds && new Set(o.deviceIds),
    },
    stateIntervalMs: o.intervalMs ?? 1000,
    limit: o.limit ?? 100,
    ...(o.alertsPerVehicle === undefined ? {} : { alertsPerVehicle: o.alertsPerVehicle }),
    onDrop: (kind, count) => drops.push([kind, count]),
  });
  return { q, drops };
}

function drain(q: SubscriberQueue): LiveMessage[] {
  const out: LiveMessage[] = [];
  for (let m = q.take(); m; m = q.take()) out.push(m);
  return out;
}

const alertId = (m: LiveMessage) => m.event === 'alert' && m.data.id;
const speed = (m: LiveMessage) =>
  m.event === 'state' && m.data.signals.find((s) => s.name === 'Vehicle.Speed')?.v;
const alertWithId = (id: string) =>
  expect.objectContaining({ event: 'alert', data: expect.objectContaining({ id }) });

describe('SubscriberQueue', () => {
  describe('filters', () => {
    it('should pass only the kinds asked for', () => {
      const { q } = queue({ kinds: ['alerts'] });
      q.offer(state('veh-1', { 'Vehicle.Speed': [50, 1000] }), 0);
      q.offer(alert('a1'), 0);
      expect(drain(q).map((m) => m.event)).toEqual(['alert']);

      const s = queue({ kinds: ['state'] }).q;
      s.offer(alert('a1'), 0);
      s.offer(state('veh-1', { 'Vehicle.Speed': [50, 1000] }), 0);
      expect(drain(s).map((m) => m.event)).toEqual(['state']);
    });

    it('should pass only the devices asked for, and every device when none is named', () => {
      const { q } = queue({ deviceIds: ['veh-2', 'veh-3'] });
      for (const v of ['veh-1', 'veh-2', 'veh-3', 'veh-4']) {
        q.offer(alert(`a-${v}`, v), 0);
        q.offer(state(v, { 'Vehicle.Speed': [1, 1] }), 0);
      }
      const got = drain(q) as (AlertEvent | StateEvent)[];
      expect([...new Set(got.map((m) => m.data.deviceId))]).toEqual(['veh-2', 'veh-3']);
      expect(got).toHaveLength(4);

      const all = queue().q;
      for (const v of ['veh-1', 'veh-2']) all.offer(alert(`a-${v}`, v), 0);
      expect(drain(all)).toHaveLength(2);
    });
  });

  describe('coalescing', () => {
    it('should send a vehicle’s first state at once and hold later ones until its interval has passed', () => {
      const { q } = queue({ intervalMs: 1000 });
      q.offer(state('veh-1', { 'Vehicle.Speed': [50, 10_000] }), 0);
      expect(drain(q)).toHaveLength(1);
      q.offer(state('veh-1', { 'Vehicle.Speed': [51, 10_100] }), 100);
      q.offer(state('veh-1', { 'Vehicle.Speed': [52, 10_200] }), 200);
      expect(drain(q)).toEqual([]);
      expect(q.nextReleaseMs()).toBe(1000);
      q.release(999);
      expect(drain(q)).toEqual([]);
      q.release(1000);
      expect(drain(q)).toEqual([
        {
          event: 'state',
          data: {
            deviceId: 'veh-1',
            time: new Date(10_200).toISOString(),
            signals: [
              { name: 'Vehicle.Speed', unit: 'km/h', t: new Date(10_200).toISOString(), v: 52 },
            ],
          },
        },
      ]);
      expect(q.nextReleaseMs()).toBeUndefined();
    });

    it('should merge held states signal by signal, keeping the latest sample of each', () => {
      const { q } = queue({ intervalMs: 1000 });
      q.offer(state('veh-1', { 'Vehicle.Speed': [50, 10_000] }), 0);
      drain(q);
      q.offer(
        state('veh-1', { 'Vehicle.Speed': [60, 10_500], 'Vehicle.TraveledDistance': [7, 10_500] }),
        10,
      );
      // An older sample arriving later does not win over a newer one.
      q.offer(
        state('veh-1', { 'Vehicle.Speed': [40, 10_200], 'Vehicle.OBD.RunTime': [99, 10_300] }),
        20,
      );
      q.release(1000);
      const [m] = drain(q);
      expect(m).toMatchObject({
        event: 'state',
        data: {
          time: new Date(10_500).toISOString(),
          signals: [
            { name: 'Vehicle.Speed', v: 60 },
            { name: 'Vehicle.TraveledDistance', v: 7 },
            { name: 'Vehicle.OBD.RunTime', v: 99 },
          ],
        },
      });
    });

    it('should keep one interval per device', () => {
      const { q } = queue({ intervalMs: 1000 });
      q.offer(state('veh-1', { 'Vehicle.Speed': [1, 1] }), 0);
      q.offer(state('veh-2', { 'Vehicle.Speed': [2, 1] }), 500);
      q.offer(state('veh-1', { 'Vehicle.Speed': [3, 2] }), 600);
      q.offer(state('veh-2', { 'Vehicle.Speed': [4, 2] }), 700);
      expect(drain(q).map((m) => m.event === 'state' && m.data.deviceId)).toEqual([
        'veh-1',
        'veh-2',
      ]);
      expect(q.nextReleaseMs()).toBe(1000);
      q.release(1000);
      expect(drain(q).map(speed)).toEqual([3]);
      expect(q.nextReleaseMs()).toBe(1500);
      q.release(1500);
      expect(drain(q).map(speed)).toEqual([4]);
    });

    it('should send a state at once when the device has been quiet for an interval', () => {
      const { q } = queue({ intervalMs: 1000 });
      q.offer(state('veh-1', { 'Vehicle.Speed': [1, 1] }), 0);
      q.release(5000);
      q.offer(state('veh-1', { 'Vehicle.Speed': [2, 2] }), 5000);
      expect(drain(q)).toHaveLength(2);
    });

    it('should never hold alerts', () => {
      const { q } = queue({ intervalMs: 1000 });
      q.offer(alert('a1'), 0);
      q.offer(alert('a2'), 1);
      expect(drain(q).map(alertId)).toEqual(['a1', 'a2']);
    });
  });

  describe('when the queue is full', () => {
    it('should drop the oldest state first and say how many were dropped before what follows', () => {
      const { q, drops } = queue({ limit: 3, intervalMs: 0 });
      q.offer(state('veh-1', { 'Vehicle.Speed': [1, 1] }), 0);
      q.offer(alert('a1'), 0);
      q.offer(state('veh-2', { 'Vehicle.Speed': [2, 1] }), 0);
      q.offer(alert('a2'), 0); // drops veh-1's state
      q.offer(state('veh-3', { 'Vehicle.Speed': [3, 1] }), 0); // drops veh-2's state
      expect(q.size).toBe(3);
      expect(drops).toEqual([
        ['state', 1],
        ['state', 1],
      ]);
      expect(drain(q)).toEqual([
        { event: 'dropped', data: { count: 2 } },
        alertWithId('a1'),
        alertWithId('a2'),
        { event: 'state', data: expect.objectContaining({ deviceId: 'veh-3' }) },
      ]);
      expect(q.ended).toBe(false);
    });

    it('should drop an incoming state when only alerts are queued', () => {
      const { q, drops } = queue({ limit: 2, intervalMs: 0 });
      q.offer(alert('a1'), 0);
      q.offer(alert('a2'), 0);
      expect(q.offer(state('veh-1', { 'Vehicle.Speed': [1, 1] }), 0)).toBe(true);
      expect(drops).toEqual([['state', 1]]);
      expect(drain(q).map((m) => m.event)).toEqual(['dropped', 'alert', 'alert']);
    });

    it('should tell how many alerts it missed when alerts overflow, and carry on', () => {
      const { q, drops } = queue({ limit: 2 });
      q.offer(alert('a1'), 0);
      q.offer(alert('a2'), 0);
      expect(q.offer(alert('a3'), 0)).toBe(true);
      expect(q.offer(alert('a4', 'veh-2'), 0)).toBe(true);
      expect(drops).toEqual([
        ['alert', 1],
        ['alert', 1],
      ]);
      expect(q.ended).toBe(false);
      expect(drain(q)).toEqual([
        alertWithId('a1'),
        alertWithId('a2'),
        {
          event: 'missed',
          data: { alerts: 2, deviceIds: ['veh-1', 'veh-2'], message: missedMessage(2) },
        },
      ]);
      expect(missedMessage(2)).toMatch(/2 alert changes were not sent.*GET \/api\/alerts/);
      // Read: there is room again, and what comes next is sent.
      q.offer(alert('a5'), 0);
      expect(drain(q)).toEqual([alertWithId('a5')]);
    });

    it('should keep one device’s burst from crowding out the others, in order', () => {
      const { q, drops } = queue({ limit: 100, alertsPerVehicle: 10 });
      q.offer(alert('before', 'veh-2'), 0);
      for (let i = 0; i < 1500; i++) q.offer(alert(`dtc-${i}`, 'veh-flood'), 0);
      q.offer(alert('after', 'veh-2'), 0);
      expect(q.ended).toBe(false);
      expect(q.size).toBeLessThanOrEqual(101);
      const out = drain(q);
      expect(out.map((m) => (m.event === 'alert' ? m.data.id : m.event))).toEqual([
        'before',
        ...Array.from({ length: 10 }, (_, i) => `dtc-${i}`),
        'missed',
        'after',
      ]);
      expect(out.find((m) => m.event === 'missed')?.data).toMatchObject({
        alerts: 1490,
        deviceIds: ['veh-flood'],
      });
      expect(drops.reduce((n, [, c]) => n + c, 0)).toBe(1490);
      // Once sent, the device has room again; a later miss starts a new count.
      for (let i = 0; i < 12; i++) q.offer(alert(`late-${i}`, 'veh-flood'), 0);
      const later = drain(q);
      expect(later.filter((m) => m.event === 'alert')).toHaveLength(10);
      expect(later.at(-1)).toMatchObject({ event: 'missed', data: { alerts: 2 } });
    });

    it('should list at most 100 devices in a missed event, counting every alert', () => {
      const { q } = queue({ limit: 1 });
      q.offer(alert('kept', 'veh-0'), 0);
      for (let v = 1; v <= 150; v++) q.offer(alert(`a-${v}`, `veh-${v}`), 0);
      const missed = drain(q).find((m) => m.event === 'missed');
      expect(missed?.data).toMatchObject({ alerts: 150 });
      expect(missed?.event === 'missed' && missed.data.deviceIds).toHaveLength(100);
    });

    it('should let the queue fill again once it has been read', () => {
      const { q, drops } = queue({ limit: 2 });
      for (let i = 0; i < 10; i++) {
        q.offer(alert(`a${i}`), 0);
        if (i % 2 === 1) drain(q);
      }
      expect(drops).toEqual([]);
      expect(q.ended).toBe(false);
    });
  });

  it('should end quietly on end(), or with a final error when given a message', () => {
    const quiet = queue().q;
    quiet.offer(alert('a1'), 0);
    quiet.end();
    expect(quiet.take()).toBeUndefined();

    const told = queue().q;
    told.offer(state('veh-1', { 'Vehicle.Speed': [1, 1] }), 0);
    told.end('bye');
    expect(drain(told)).toEqual([{ event: 'error', data: { message: 'bye' } }]);
    expect(told.nextReleaseMs()).toBeUndefined();
  });
});
