import { describe, expect, it } from 'vitest';
import type { AlertEvent, LiveKind, LiveMessage, VehicleState } from '../../src/live/events.js';
import { missedMessage, SubscriberQueue } from '../../src/live/subscriber-queue.js';

const alert = (id: string, vehicleId = 'veh-1'): AlertEvent => ({
  type: 'alert',
  id,
  vehicleId,
  alertType: 'overheat',
  severity: 'warning',
  transition: 'raised',
  time: '2026-11-25T07:30:00.000Z',
  conditionKey: 'coolant',
  evidence: { coolantC: 111 },
});

const state = (
  vehicleId: string,
  signals: Record<string, [v: number, tMs: number]>,
): VehicleState => {
  const map = new Map(Object.entries(signals).map(([k, [v, tMs]]) => [k, { v, tMs }]));
  return {
    type: 'state',
    vehicleId,
    timeMs: Math.max(...[...map.values()].map((s) => s.tMs)),
    signals: map,
  };
};

function queue(
  o: {
    kinds?: LiveKind[];
    vehicleIds?: string[];
    limit?: number;
    intervalMs?: number;
    alertsPerVehicle?: number;
  } = {},
) {
  const drops: [string, number][] = [];
  const q = new SubscriberQueue({
    filter: {
      kinds: new Set(o.kinds ?? ['alerts', 'state']),
      vehicleIds: o.vehicleIds && new Set(o.vehicleIds),
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

describe('SubscriberQueue', () => {
  describe('filters', () => {
    it('should pass only the kinds asked for', () => {
      const { q } = queue({ kinds: ['alerts'] });
      q.offer(state('veh-1', { 'Vehicle.Speed': [50, 1000] }), 0);
      q.offer(alert('a1'), 0);
      expect(drain(q).map((m) => m.type)).toEqual(['alert']);

      const s = queue({ kinds: ['state'] }).q;
      s.offer(alert('a1'), 0);
      s.offer(state('veh-1', { 'Vehicle.Speed': [50, 1000] }), 0);
      expect(drain(s).map((m) => m.type)).toEqual(['state']);
    });

    it('should pass only the vehicles asked for, and every vehicle when none is named', () => {
      const { q } = queue({ vehicleIds: ['veh-2', 'veh-3'] });
      for (const v of ['veh-1', 'veh-2', 'veh-3', 'veh-4']) {
        q.offer(alert(`a-${v}`, v), 0);
        q.offer(state(v, { 'Vehicle.Speed': [1, 1] }), 0);
      }
      const got = drain(q) as (AlertEvent | { vehicleId: string })[];
      expect([...new Set(got.map((m) => m.vehicleId))]).toEqual(['veh-2', 'veh-3']);
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
          type: 'state',
          vehicleId: 'veh-1',
          time: new Date(10_200).toISOString(),
          signals: { 'Vehicle.Speed': { v: 52, t: new Date(10_200).toISOString() } },
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
        type: 'state',
        time: new Date(10_500).toISOString(),
        signals: {
          'Vehicle.Speed': { v: 60 },
          'Vehicle.TraveledDistance': { v: 7 },
          'Vehicle.OBD.RunTime': { v: 99 },
        },
      });
    });

    it('should keep one interval per vehicle', () => {
      const { q } = queue({ intervalMs: 1000 });
      q.offer(state('veh-1', { 'Vehicle.Speed': [1, 1] }), 0);
      q.offer(state('veh-2', { 'Vehicle.Speed': [2, 1] }), 500);
      q.offer(state('veh-1', { 'Vehicle.Speed': [3, 2] }), 600);
      q.offer(state('veh-2', { 'Vehicle.Speed': [4, 2] }), 700);
      expect(drain(q).map((m) => m.type === 'state' && m.vehicleId)).toEqual(['veh-1', 'veh-2']);
      expect(q.nextReleaseMs()).toBe(1000);
      q.release(1000);
      expect(drain(q).map((m) => m.type === 'state' && m.signals['Vehicle.Speed']?.v)).toEqual([3]);
      expect(q.nextReleaseMs()).toBe(1500);
      q.release(1500);
      expect(drain(q).map((m) => m.type === 'state' && m.signals['Vehicle.Speed']?.v)).toEqual([4]);
    });

    it('should send a state at once when the vehicle has been quiet for an interval', () => {
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
      expect(drain(q).map((m) => m.type === 'alert' && m.id)).toEqual(['a1', 'a2']);
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
        { type: 'dropped', count: 2 },
        expect.objectContaining({ type: 'alert', id: 'a1' }),
        expect.objectContaining({ type: 'alert', id: 'a2' }),
        expect.objectContaining({ type: 'state', vehicleId: 'veh-3' }),
      ]);
      expect(q.ended).toBe(false);
    });

    it('should drop an incoming state when only alerts are queued', () => {
      const { q, drops } = queue({ limit: 2, intervalMs: 0 });
      q.offer(alert('a1'), 0);
      q.offer(alert('a2'), 0);
      expect(q.offer(state('veh-1', { 'Vehicle.Speed': [1, 1] }), 0)).toBe(true);
      expect(drops).toEqual([['state', 1]]);
      expect(drain(q).map((m) => m.type)).toEqual(['dropped', 'alert', 'alert']);
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
        expect.objectContaining({ type: 'alert', id: 'a1' }),
        expect.objectContaining({ type: 'alert', id: 'a2' }),
        { type: 'missed', alerts: 2, vehicleIds: ['veh-1', 'veh-2'], message: missedMessage(2) },
      ]);
      expect(missedMessage(2)).toMatch(/2 alert changes were not sent.*GET \/api\/alerts/);
      // Read: there is room again, and what comes next is sent.
      q.offer(alert('a5'), 0);
      expect(drain(q)).toEqual([expect.objectContaining({ type: 'alert', id: 'a5' })]);
    });

    it('should keep one vehicle’s burst from crowding out the others, in order', () => {
      const { q, drops } = queue({ limit: 100, alertsPerVehicle: 10 });
      q.offer(alert('before', 'veh-2'), 0);
      for (let i = 0; i < 1500; i++) q.offer(alert(`dtc-${i}`, 'veh-flood'), 0);
      q.offer(alert('after', 'veh-2'), 0);
      expect(q.ended).toBe(false);
      expect(q.size).toBeLessThanOrEqual(101);
      const out = drain(q);
      expect(out.map((m) => (m.type === 'alert' ? m.id : m.type))).toEqual([
        'before',
        ...Array.from({ length: 10 }, (_, i) => `dtc-${i}`),
        'missed',
        'after',
      ]);
      expect(out.find((m) => m.type === 'missed')).toMatchObject({
        alerts: 1490,
        vehicleIds: ['veh-flood'],
      });
      expect(drops.reduce((n, [, c]) => n + c, 0)).toBe(1490);
      // Once sent, the vehicle has room again; a later miss starts a new count.
      for (let i = 0; i < 12; i++) q.offer(alert(`late-${i}`, 'veh-flood'), 0);
      const later = drain(q);
      expect(later.filter((m) => m.type === 'alert')).toHaveLength(10);
      expect(later.at(-1)).toMatchObject({ type: 'missed', alerts: 2 });
    });

    it('should list at most 100 vehicles in a missed event, counting every alert', () => {
      const { q } = queue({ limit: 1 });
      q.offer(alert('kept', 'veh-0'), 0);
      for (let v = 1; v <= 150; v++) q.offer(alert(`a-${v}`, `veh-${v}`), 0);
      const missed = drain(q).find((m) => m.type === 'missed');
      expect(missed).toMatchObject({ alerts: 150 });
      expect(missed?.type === 'missed' && missed.vehicleIds).toHaveLength(100);
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
    expect(drain(told)).toEqual([{ type: 'error', message: 'bye' }]);
    expect(told.nextReleaseMs()).toBeUndefined();
  });
});
