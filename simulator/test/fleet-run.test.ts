import { decodeTelemetryBatch } from '@fleetline/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { TestBroker } from '../../test-support/broker.js';
import { eventually } from '../../test-support/infra.js';
import { type FleetRun, startFleetRun } from '../src/fleet-run.js';

/**
 * A fleet run's vehicles number their batches from 1 each time the run starts (as `npm start`
 * does after every restart), so each vehicle sends them in a seq epoch of its own, chosen at
 * random when the run starts: the cloud then tells a new run's batches from a previous run's.
 */

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

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
  cleanups.push(() => fleet.close());
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
    cleanups.push(() => broker.stop());
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
