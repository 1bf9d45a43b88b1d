import { Worker } from 'node:worker_threads';
import { signalId } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import type { VehicleMessage } from '../src/vehicle-messages.js';

/**
 * A vehicle's message identity at its extremes: any seq (0, 2^53 − 1, jumps, going backwards)
 * costs the actor the same small work, and no seq makes it drop what it has not handled.
 * Each run happens in a worker thread that is stopped at a deadline, so a seq that made the
 * actor walk a gap number by number fails the test instead of hanging it.
 */

const SPEED = signalId('Vehicle.Speed');
const t0 = Date.UTC(2026, 10, 25, 12, 0, 0);
// Ample for these runs on a loaded machine (1–3 s; worker start-up alone took over 15 s on a
// saturated one), and seconds rather than the hours a walk of a gap would take.
const DEADLINE_MS = 25_000;

interface Outcome {
  stored: (number | string)[];
  /** Sample values in the order the detectors saw them. */
  detected: number[];
  duplicates: number;
  restarts: { reason: string; epoch: number; seq: number }[];
  snapshotBytes: number;
  ms: number;
}

/** The actor over `batches` (each one receive()), in a worker stopped after DEADLINE_MS. */
function runActor(batches: VehicleMessage[][]): Promise<Outcome> {
  const worker = new Worker(new URL('./support/actor-worker.mjs', import.meta.url), {
    workerData: { deviceId: 'veh-seq', batches },
  });
  return new Promise<Outcome>((resolve, reject) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`the actor did not finish within ${DEADLINE_MS} ms`));
    }, DEADLINE_MS);
    worker.once('message', (m: Outcome) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(m);
    });
    worker.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** A batch whose one speed sample has the value `value` (so what is stored names it). */
const telemetry = (seq: number, value: number, k = value, seqEpoch?: number): VehicleMessage => ({
  kind: 'telemetry',
  batch: {
    deviceId: 'veh-seq',
    seq,
    ...(seqEpoch === undefined ? {} : { seqEpoch }),
    baseTimeMs: t0 + k * 1000,
    samples: [{ deviceId: 'veh-seq', signalId: SPEED, timeMs: t0 + k * 1000, value }],
  },
  receivedAtMs: t0 + k * 1000 + 100,
});

const event = (seq: number, k: number, seqEpoch?: number): VehicleMessage => ({
  kind: 'event',
  event: {
    deviceId: 'veh-seq',
    seq,
    ...(seqEpoch === undefined ? {} : { seqEpoch }),
    timeMs: t0 + k * 1000,
    payload: { kind: 'troubleCodes', codes: [] },
  },
  receivedAtMs: t0 + k * 1000 + 100,
});

describe('a vehicle actor at extreme seqs', () => {
  it('should take a jump of 2^40 ahead at once', async () => {
    const r = await runActor([
      [telemetry(1, 1)],
      [telemetry(2 ** 40, 2)],
      [telemetry(2 ** 40 + 1, 3)],
    ]);
    expect(r.stored).toEqual([1, 2, 3]);
    expect(r.duplicates).toBe(0);
  });

  it('should take the largest seq, 2^53 − 1, and 0', async () => {
    const max = Number.MAX_SAFE_INTEGER;
    const r = await runActor([[telemetry(0, 1)], [telemetry(max - 1, 2)], [telemetry(max, 3)]]);
    expect(r.stored).toEqual([1, 2, 3]);
    const again = await runActor([[telemetry(max, 1)], [telemetry(0, 2)], [telemetry(1, 3)]]);
    expect(again.stored).toEqual([1, 2, 3]);
  });

  it('should take an event that jumps far ahead of the telemetry waiting for a gap', async () => {
    const r = await runActor([
      [telemetry(1, 1), telemetry(3, 3)], // 3 waits for 2
      [event(2 ** 40, 4)],
      [telemetry(4, 5)],
    ]);
    expect(r.stored).toEqual([1, 3, 'event 1099511627776', 5]);
  });

  it('should store a device whose seq goes far backwards (a restarted counter), not drop it', async () => {
    // Seqs far below what was handled cannot be redeliveries: a device re-sends at most its
    // in-flight window, and the window kept is far wider.
    const first = Array.from({ length: 5 }, (_, i) => telemetry(10_001 + i, 1 + i));
    const after = Array.from({ length: 5 }, (_, i) => telemetry(1 + i, 100 + i));
    const r = await runActor([first, after]);
    expect(r.stored).toEqual([1, 2, 3, 4, 5, 100, 101, 102, 103, 104]);
    expect(r.duplicates).toBe(0);
  });

  it('should still drop real redeliveries, also after jumps', async () => {
    const r = await runActor([
      [telemetry(1, 1), telemetry(2, 2)],
      [telemetry(2, 2), telemetry(1, 1)], // resent after a lost PUBACK
      [telemetry(2 ** 40, 3), telemetry(2 ** 40, 3)],
    ]);
    expect(r.stored).toEqual([1, 2, 3]);
    expect(r.duplicates).toBe(3);
  });

  it('should keep its snapshot small whatever seqs come', async () => {
    // Every other seq over a wide range: the windows keep a bounded number of ranges.
    const batches: VehicleMessage[][] = [];
    for (let i = 0; i < 40; i++) {
      batches.push(
        Array.from({ length: 100 }, (_, j) =>
          telemetry(2 ** 45 + (i * 100 + j) * 2, 7, i * 100 + j),
        ),
      );
    }
    const r = await runActor(batches);
    expect(r.stored.length).toBe(4000);
    expect(r.snapshotBytes).toBeLessThan(200_000);
  });
});

describe('a vehicle whose seq starts again', () => {
  const epochA = 0x1234_5678;
  const epochB = 0x0bad_cafe;

  it('should store every batch of a new seq epoch (agent reinstalled, spool wiped)', async () => {
    const before = Array.from({ length: 5 }, (_, i) => telemetry(1 + i, 1 + i, 1 + i, epochA));
    const after = Array.from({ length: 5 }, (_, i) => telemetry(1 + i, 100 + i, 100 + i, epochB));
    const r = await runActor([before, after, [event(1, 200, epochB)]]);
    expect(r.stored).toEqual([1, 2, 3, 4, 5, 100, 101, 102, 103, 104, 'event 1']);
    expect(r.duplicates).toBe(0);
    expect(r.restarts).toEqual([{ reason: 'new-epoch', epoch: epochB, seq: 1 }]);
  });

  it('should store a new epoch’s batches even when the device’s clock went back', async () => {
    // A vehicle computer without a real-time clock restarts at an old time until it syncs: only
    // the epoch tells its batches from the ones handled under the same seqs.
    const before = Array.from({ length: 5 }, (_, i) => telemetry(1 + i, 100 + i, 100 + i, epochA));
    const after = Array.from({ length: 5 }, (_, i) => telemetry(1 + i, 1 + i, 1 + i, epochB));
    const r = await runActor([before, after]);
    expect(r.stored).toEqual([100, 101, 102, 103, 104, 1, 2, 3, 4, 5]);
    expect(r.duplicates).toBe(0);
    // Without an epoch the same restart cannot be told from redeliveries (see seq-streams.ts).
    const legacy = await runActor([
      Array.from({ length: 5 }, (_, i) => telemetry(1 + i, 100 + i)),
      Array.from({ length: 5 }, (_, i) => telemetry(1 + i, 1 + i)),
    ]);
    expect(legacy.duplicates).toBe(5);
  });

  it('should still drop redeliveries of either epoch after the new one began', async () => {
    const r = await runActor([
      [telemetry(1, 1, 1, epochA), telemetry(2, 2, 2, epochA)],
      [telemetry(1, 100, 100, epochB)],
      [telemetry(2, 2, 2, epochA), telemetry(1, 100, 100, epochB)], // both resent
      [telemetry(3, 3, 3, epochA)], // the old epoch's last batch, late
    ]);
    expect(r.stored).toEqual([1, 2, 100, 3]);
    expect(r.duplicates).toBe(2);
  });

  it('should not hold a new epoch’s batches for a gap the old epoch left', async () => {
    const r = await runActor([
      [telemetry(1, 1, 1, epochA), telemetry(3, 3, 3, epochA)], // 3 waits for 2, which never comes
      [telemetry(1, 100, 100, epochB), telemetry(2, 101, 101, epochB)],
    ]);
    expect(r.detected).toEqual([1, 3, 100, 101]);
  });

  it('should store a device without epochs whose seq restarts, once its times are newer', async () => {
    // An older agent whose state was wiped: seq 1… again, but at a later time, so not the
    // batches handled under those seqs.
    const before = Array.from({ length: 5 }, (_, i) => telemetry(1 + i, 1 + i));
    const after = Array.from({ length: 5 }, (_, i) => telemetry(1 + i, 100 + i));
    const r = await runActor([before, after]);
    expect(r.stored).toEqual([1, 2, 3, 4, 5, 100, 101, 102, 103, 104]);
    expect(r.restarts).toEqual([{ reason: 'seq-reused', epoch: 0, seq: 1 }]);
    expect(r.duplicates).toBe(0);
  });
});
