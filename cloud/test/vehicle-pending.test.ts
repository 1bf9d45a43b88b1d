import { describe, expect, it } from 'vitest';
import { PendingEffects } from '../src/vehicle-pending.js';

const sample = (signalId: number, timeMs: number) => ({
  deviceId: 'veh',
  signalId,
  timeMs,
  value: timeMs,
});
const none = { alerts: [], samples: [], events: [] };

describe('the effects pending of a vehicle’s messages', () => {
  it('should gather samples, each signal’s newest, the newest status and the latest time heard from', () => {
    const p = new PendingEffects();
    p.add({ ...none, samples: [sample(1, 20), sample(1, 10), sample(2, 5)], heardAtMs: 300 }, true);
    p.add({ ...none, samples: [sample(1, 20)], heardAtMs: 200 }, false);
    const status = (timeMs: number) => ({
      deviceId: 'veh',
      timeMs,
      state: 'online' as const,
      agentVersion: '1',
    });
    p.add({ ...none, status: status(1) }, false);
    p.add({ ...none, status: status(2) }, false);
    expect(p.samples.map((s) => s.timeMs)).toEqual([20, 10, 5, 20]);
    expect([...p.latest.values()].map((s) => [s.signalId, s.timeMs])).toEqual([
      [1, 20],
      [2, 5],
    ]);
    expect(p.status?.timeMs).toBe(2);
    expect(p.lastSeenMs).toBe(300);
    // Changed once, changed until flushed.
    expect(p.changed).toBe(true);
  });

  it('should need no write while every message asked for none', () => {
    const p = new PendingEffects();
    p.add(none, false);
    expect(p.changed).toBe(false);
    expect(p.lastSeenMs).toBeUndefined();
  });
});
