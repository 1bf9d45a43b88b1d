import { decodeTelemetryBatch, MAX_SAMPLES_PER_MESSAGE, type Sample } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import { TestBroker } from '../../test-support/broker.js';
import { cleanupAfterEach } from '../../test-support/cleanup.js';
import { eventually } from '../../test-support/infra.js';
import { type FleetRun, startFleetRun } from '../src/fleet-run.js';

/**
 * A fleet run's vehicles number their batches from 1 each time the run starts (as `npm start`
 * does after every restart), so each vehicle sends them in a seq epoch of its own, chosen at
 * random when the run starts: the cloud then tells a new run's batches from a previous run's.
 */

// A closer may find its thing stopped by the test already.
const cleanup = cleanupAfterEach({ ignoreFailures: true });

/** Runs a fleet of two against `broker` until each vehicle sent two batches; (epoch, seq) by id. */
async function run(broker: TestBroker): Promise<Map<string, [number, number][]>> {
  const from = broker.received.length;
  const fleet: FleetRun = startFleetRun({
    url: broker.url,
    vehicles: 2,
    rampPerS: 100,
    sampleIntervalMs: 100,
    batchIntervalMs: 200,
  });
  cleanup.defer(() => fleet.close());
  const sent = () => {
    const by = new Map<string, [number, number][]>();
    for (const r of broker.received.slice(from)) {
      if (!r.topic.endsWith('/telemetry')) continue;
      const b = decodeTelemetryBatch(r.payload);
      by.set(b.deviceId, [...(by.get(b.deviceId) ?? []), [b.seqEpoch ?? 0, b.seq]]);
    }
    return by;
  };
  await eventually(
    () => sent().size === 2 && [...sent().values()].every((l) => l.length >= 2),
    'two batches from each vehicle',
    20_000,
  );
  await fleet.close();
  return sent();
}

describe('a fleet run', () => {
  it('should send each vehicle’s batches in a seq epoch chosen anew at each start', async () => {
    const broker = await TestBroker.start();
    cleanup.defer(() => broker.stop());
    const first = await run(broker);
    const second = await run(broker);
    for (const id of ['sim-0001', 'sim-0002']) {
      const a = first.get(id) ?? [];
      const b = second.get(id) ?? [];
      const epochA = a[0]?.[0] ?? 0;
      const epochB = b[0]?.[0] ?? 0;
      expect(epochA, id).toBeGreaterThan(0);
      expect(a.every(([e]) => e === epochA)).toBe(true);
      expect(b.every(([e]) => e === epochB)).toBe(true);
      // Both runs number from 1; the epochs tell them apart.
      expect(a[0]?.[1]).toBe(1);
      expect(b[0]?.[1]).toBe(1);
      expect(epochB, id).not.toBe(epochA);
    }
  });
});

describe('a fleet run with large batches', () => {
  it('should send a batch of more samples than one message carries as several, losing none', async () => {
    const broker = await TestBroker.start();
    cleanup.defer(() => broker.stop());
    const errors: Error[] = [];
    // Every catalogue signal every 10 ms, sent every 11 s: 35,200 samples a batch.
    const fleet = startFleetRun({
      url: broker.url,
      vehicles: 1,
      rampPerS: 100,
      sampleIntervalMs: 10,
      batchIntervalMs: 11_000,
      signals: 'all',
      onError: (_id, err) => errors.push(err),
    });
    cleanup.defer(() => fleet.close());
    const batches = () =>
      broker.received
        .filter((r) => r.topic === 'v1/sim-0001/telemetry')
        .map((r) => ({ bytes: r.payload.length, batch: decodeTelemetryBatch(r.payload) }));
    const total = () => batches().reduce((n, b) => n + b.batch.samples.length, 0);
    // The first batch comes within one interval of connecting; the next one is whole.
    await eventually(() => total() > 40_000, 'a batch of more than 32,768 samples', 40_000);
    fleet.stopPublishing();
    expect(await fleet.drain(10_000)).toBe(true);
    expect(errors).toEqual([]);
    expect(fleet.stats()).toMatchObject({ failed: 0 });
    const got = batches();
    expect(got.map((b) => b.batch.seq)).toEqual(got.map((_, i) => i + 1));
    for (const b of got) {
      expect(b.batch.samples.length).toBeLessThanOrEqual(MAX_SAMPLES_PER_MESSAGE);
      expect(b.bytes).toBeLessThanOrEqual(128 * 1024);
    }
    // Every signal, every 10 ms, from its first sample to its last: nothing left out.
    const bySignal = new Map<number, Sample[]>();
    for (const s of got.flatMap((b) => b.batch.samples)) {
      const list = bySignal.get(s.signalId);
      if (list) list.push(s);
      else bySignal.set(s.signalId, [s]);
    }
    expect(bySignal.size).toBe(32);
    for (const [id, list] of bySignal) {
      const times = list.map((s) => s.timeMs).sort((a, b) => a - b);
      const first = times[0] as number;
      expect(times, `signal ${id}`).toEqual(times.map((_, i) => first + i * 10));
    }
  }, 60_000);
});
