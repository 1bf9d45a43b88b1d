import { callbackGuard, createLogger, type ProduceRecord, Registry } from '@fleetline/platform';
import {
  encodeStatus,
  encodeTelemetryBatch,
  kafkaHeaders,
  kafkaTopics,
  signalId,
} from '@fleetline/proto';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { eventually } from '../../test-support/infra.js';
import { inSlice, ProcessorClock, tickSlices } from '../src/processor-clock.js';
import { processorMetrics } from '../src/processor-metrics.js';
import type { VehicleMessage, VehicleOutcome } from '../src/vehicle-messages.js';
import { embeddedRig } from './support/embedded-rig.js';

/**
 * status.v1 and the clock: a vehicle's connection reports are kept and count as being heard
 * from; the clock opens "offline" for a vehicle that went silent — once, at the moment the
 * silence became too long, whichever tick notices it — and the vehicle coming back clears it.
 */

const rig = await embeddedRig('clock');
const { telemetryDb } = rig;
const changes = rig.alertChanges;
afterAll(() => rig.close());

const HOUR = 3_600_000;
const SPEED = signalId('Vehicle.Speed');
const t0 = Date.UTC(2026, 10, 20, 8, 0, 0);

/** A clock over vehicles in memory: what each was told, and tells that the test settles. */
function clockRig(o: { tickMs?: number; sweepMs?: number; live?: string[]; stored?: string[] }) {
  const told: { deviceId: string; messages: readonly VehicleMessage[] }[] = [];
  const settle: (() => void)[] = [];
  const failing = new Set<string>();
  const warnings: string[] = [];
  const registry = new Registry();
  const metrics = processorMetrics(registry);
  const outcome: VehicleOutcome = { poisoned: [], duplicates: [], samples: 0, alertChanges: [] };
  const clock = new ProcessorClock({
    tickMs: o.tickMs ?? 0,
    sweepMs: o.sweepMs ?? 0,
    now: () => t0,
    tell: (deviceId, messages) => {
      told.push({ deviceId, messages });
      if (failing.has(deviceId)) return Promise.reject(new Error('store down'));
      return new Promise((resolve) => settle.push(() => resolve(outcome)));
    },
    liveVehicles: () => o.live ?? [],
    listVehicles: async () => (o.stored ?? []).map((deviceId) => ({ deviceId, lastSeenMs: 0 })),
    owns: (deviceId) => deviceId.startsWith('mine-'),
    metrics,
    log: createLogger('clock-test', 'silent'),
    guard: callbackGuard({ logger: { error: (_d, m) => warnings.push(m) }, metrics: registry }),
  });
  return {
    clock,
    told,
    failing,
    warnings,
    registry,
    settleAll: () => {
      for (const s of settle.splice(0)) s();
    },
  };
}

describe('the processor’s clock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('should tick each vehicle with the time now, counting a tick that fails', async () => {
    const r = clockRig({});
    r.failing.add('veh-b');
    const done = r.clock.tickAll(['veh-a', 'veh-b']);
    r.settleAll();
    await done;
    expect(r.told).toEqual([
      { deviceId: 'veh-a', messages: [{ kind: 'tick', nowMs: t0 }] },
      { deviceId: 'veh-b', messages: [{ kind: 'tick', nowMs: t0 }] },
    ]);
    const failures = await r.registry
      .getSingleMetric('fleetline_processor_clock_failures_total')
      ?.get();
    expect(failures?.values[0]?.value).toBe(1);
  });

  it('should sweep the vehicles of the telemetry database this processor owns, live or not', async () => {
    const r = clockRig({ stored: ['mine-1', 'theirs-1', 'mine-2'] });
    const sweep = r.clock.sweep();
    await eventually(() => r.told.length === 2, 'two ticks', 2000, 1);
    r.settleAll();
    await sweep;
    expect(r.told.map((t) => t.deviceId)).toEqual(['mine-1', 'mine-2']);
  });

  it('should cut the tick period into slices of a second, each vehicle in one of them', () => {
    expect(tickSlices(60_000)).toEqual({ sliceMs: 1000, slices: 60 });
    expect(tickSlices(300)).toEqual({ sliceMs: 300, slices: 1 });
    const keys = Array.from({ length: 200 }, (_, i) => `veh-${i}`);
    const slices = Array.from({ length: 60 }, (_, s) => inSlice(keys, s, 60));
    expect(slices.flat().sort()).toEqual([...keys].sort());
    expect(slices.filter((s) => s.length > 0).length).toBeGreaterThan(30);
  });

  it('should tick the live vehicles a slice a second, not stacking a round on one still running, until stopped', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const live = Array.from({ length: 50 }, (_, i) => `veh-${i}`);
    const r = clockRig({ tickMs: 2000, live });
    const stop = r.clock.start();
    await vi.advanceTimersByTimeAsync(1000);
    const first = r.told.length;
    expect(first).toBe(inSlice(live, 0, 2).length);
    // The round has not finished: the next second's round is skipped, not stacked.
    await vi.advanceTimersByTimeAsync(1000);
    expect(r.told.length).toBe(first);
    // Finished: the next round ticks the other slice.
    r.settleAll();
    await vi.advanceTimersByTimeAsync(1000);
    expect(r.told.length).toBe(live.length);
    expect(new Set(r.told.map((t) => t.deviceId))).toEqual(new Set(live));
    r.settleAll();
    stop();
    const stopped = r.told.length;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(r.told.length).toBe(stopped);
  });

  it('should run the sweep every sweepMs, and no timer at 0', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const r = clockRig({ sweepMs: 5000, stored: ['mine-1'] });
    const stop = r.clock.start();
    expect(vi.getTimerCount()).toBe(1);
    stop();
    expect(vi.getTimerCount()).toBe(0);
    const none = clockRig({}).clock.start();
    expect(vi.getTimerCount()).toBe(0);
    none();
  });
});

describe('processor: status and the clock', () => {
  it('should keep status reports, open offline once after 48 h of silence, and clear it on return', async () => {
    let nowMs = t0;
    const processor = await rig.startProcessor({ tickMs: 0, sweepMs: 0, now: () => nowMs });
    await rig.watchAlerts();
    const producer = await rig.log.createProducer();
    const at = (ms: number) => ({ [kafkaHeaders.receivedAt]: String(ms) });
    const status = (state: 'online' | 'offline', ms: number): ProduceRecord => ({
      topic: kafkaTopics.status,
      key: 'veh-c',
      value: encodeStatus({ deviceId: 'veh-c', timeMs: ms, state, agentVersion: '1.4.2' }),
      headers: at(ms),
    });
    try {
      await producer.send([
        status('online', t0),
        {
          topic: kafkaTopics.telemetry,
          key: 'veh-c',
          value: encodeTelemetryBatch({
            deviceId: 'veh-c',
            seq: 1,
            samples: [
              { signalId: SPEED, timeMs: t0 + 1000, value: 30 },
              { signalId: SPEED, timeMs: t0 + 2000, value: 42 },
            ],
          }),
          headers: at(t0 + 2500),
        },
        status('offline', t0 + 3000),
        // A stale report, delivered late, changes nothing.
        status('online', t0 + 500),
      ]);
      await eventually(
        async () => (await telemetryDb.getStatus('veh-c'))?.state === 'offline',
        'the latest status kept',
        10_000,
      );
      expect(await telemetryDb.getStatus('veh-c')).toMatchObject({
        state: 'offline',
        timeMs: t0 + 3000,
        agentVersion: '1.4.2',
      });
      // Written in the same flush as the status, but not before it: the status goes to the
      // store at once, the latest values with the next group commit.
      await eventually(
        async () => (await telemetryDb.latestValues('veh-c')).length > 0,
        'the latest values written',
        10_000,
      );
      expect(await telemetryDb.latestValues('veh-c')).toEqual([
        { deviceId: 'veh-c', signalId: SPEED, timeMs: t0 + 2000, value: 42 },
      ]);

      // 47 h later nothing is due; at 49 h and 50 h the sweep finds it silent: one alert, raised
      // at last heard + 48 h.
      nowMs = t0 + 47 * HOUR;
      await processor.sweep();
      nowMs = t0 + 49 * HOUR;
      await processor.sweep();
      nowMs = t0 + 50 * HOUR;
      await processor.sweep();
      await eventually(() => changes.length >= 1, 'the offline alert', 10_000);
      const raised = changes.filter((c) => c.type === 'offline' && c.transition === 'raised');
      expect(raised).toHaveLength(1);
      expect(raised[0]?.timeMs).toBe(t0 + 2500 + 48 * HOUR);
      expect(raised[0]?.severity).toBe('warning');

      // Back online: the condition clears.
      const back = t0 + 51 * HOUR;
      await producer.send([status('online', back)]);
      await eventually(
        () => changes.some((c) => c.type === 'offline' && c.transition === 'cleared'),
        'offline cleared',
        10_000,
      );
      expect(changes.filter((c) => c.type === 'offline').map((c) => c.transition)).toEqual([
        'raised',
        'cleared',
      ]);
    } finally {
      await producer.close();
    }
  });
});
