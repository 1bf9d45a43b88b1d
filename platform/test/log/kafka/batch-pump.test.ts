import { describe, expect, it } from 'vitest';
import { eventually } from '../../../../test-support/infra.js';
import { BatchPump } from '../../../src/log/kafka/batch-pump.js';

/**
 * A pump over a source that records its pauses; each batch waits until finish() is called
 * (the oldest first) or finishAt(i); commits are recorded.
 */
function rig(maxBatch: number, lanes: { inFlight?: number; isUrgent?(m: number): boolean } = {}) {
  const source = {
    paused: false,
    pause() {
      this.paused = true;
    },
    resume() {
      this.paused = false;
    },
  };
  const batches: number[][] = [];
  const errors: Error[] = [];
  const waiting: { resolve(): void; reject(e: Error): void }[] = [];
  const all = waiting.slice();
  const track = waiting.push.bind(waiting);
  waiting.push = (...w) => {
    all.push(...w);
    return track(...w);
  };
  const commits: number[][] = [];
  const pump = new BatchPump<number>({
    source,
    maxBatch,
    ...lanes,
    handle: (batch) => {
      batches.push(batch);
      return new Promise<void>((resolve, reject) => waiting.push({ resolve, reject }));
    },
    commit: async (batch) => {
      commits.push(batch);
    },
    onError: (err) => errors.push(err),
  });
  return {
    source,
    batches,
    commits,
    errors,
    pump,
    /** Settles the i-th batch handed over (counting from the first). */
    finishAt: (i: number, err?: Error) => {
      const w = all[i];
      if (err) w?.reject(err);
      else w?.resolve();
    },
    /** Completes the batch in hand, or fails it with `err`. */
    finish: (err?: Error) => {
      const w = waiting.shift();
      if (err) w?.reject(err);
      else w?.resolve();
    },
    batchCount: (n: number) => eventually(() => batches.length === n, `batch ${n}`),
  };
}

describe('BatchPump', () => {
  it('should hand messages over a batch at a time, pausing the source while one is in hand', async () => {
    const r = rig(3);
    for (let i = 1; i <= 5; i++) r.pump.push(i);
    await r.batchCount(1);
    expect(r.batches[0]).toEqual([1, 2, 3]);
    expect(r.source.paused).toBe(true);
    // Arriving while a batch is in hand: buffered for the next.
    r.pump.push(6);
    expect(r.pump.buffered).toBe(3);
    r.finish();
    await r.batchCount(2);
    expect(r.batches[1]).toEqual([4, 5, 6]);
    // Nothing buffered: the source flows until a message waits for the batch in hand.
    expect(r.source.paused).toBe(false);
    r.pump.push(7);
    expect(r.source.paused).toBe(true);
    r.finish();
    await r.batchCount(3);
    r.finish();
    await eventually(() => r.commits.length === 3, 'three batches committed');
    expect(r.source.paused).toBe(false);
    expect(r.pump.buffered).toBe(0);
    expect(r.errors).toEqual([]);
  });

  it('should gather the messages of one turn into one batch', async () => {
    const r = rig(10);
    r.pump.push(1);
    r.pump.push(2);
    await r.batchCount(1);
    expect(r.batches[0]).toEqual([1, 2]);
    r.finish();
  });

  it('should drop the buffered messages the caller no longer keeps', async () => {
    const r = rig(2);
    for (let i = 1; i <= 6; i++) r.pump.push(i);
    await r.batchCount(1);
    // The partition of the odd ones moved away: the batch in hand completes, the rest go.
    r.pump.retain((m) => m % 2 === 0);
    expect(r.pump.buffered).toBe(2);
    r.finish();
    await r.batchCount(2);
    expect(r.batches).toEqual([
      [1, 2],
      [4, 6],
    ]);
    r.finish();
  });

  it('should stop after a batch that failed, report it and start no other', async () => {
    const r = rig(1);
    r.pump.push(1);
    r.pump.push(2);
    await r.batchCount(1);
    const failure = new Error('handler failed');
    r.finish(failure);
    await eventually(() => r.errors.length === 1, 'the failure to be reported');
    expect(r.errors).toEqual([failure]);
    expect(r.pump.isRunning).toBe(false);
    r.pump.push(3);
    await new Promise((resolve) => setImmediate(resolve));
    expect(r.batches).toHaveLength(1);
    // The source stays paused: the consumer is done.
    expect(r.source.paused).toBe(true);
  });

  it('should report a failure of the stream once, and none after stopping', async () => {
    const r = rig(5);
    r.pump.fail(new Error('broker went away'));
    r.pump.fail(new Error('and again'));
    expect(r.errors.map((e) => e.message)).toEqual(['broker went away']);
    const s = rig(5);
    await s.pump.stop();
    s.pump.fail(new Error('while closing'));
    expect(s.errors).toEqual([]);
  });

  it('should let stop() wait for the batch in hand and start none after it', async () => {
    const r = rig(1);
    r.pump.push(1);
    r.pump.push(2);
    await r.batchCount(1);
    let stopped = false;
    const stopping = r.pump.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    r.finish();
    await stopping;
    await new Promise((resolve) => setImmediate(resolve));
    expect(r.batches).toEqual([[1]]);
    expect(r.errors).toEqual([]);
  });

  it('should keep inFlight batches in hand and commit them in the order handed over', async () => {
    const r = rig(2, { inFlight: 2 });
    for (let i = 1; i <= 7; i++) r.pump.push(i);
    await r.batchCount(2);
    expect(r.batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
    // The second resolves first: its slot is taken again, but it waits for the first to commit.
    r.finishAt(1);
    await r.batchCount(3);
    expect(r.commits).toEqual([]);
    r.finishAt(0);
    await eventually(() => r.commits.length === 2, 'both committed');
    expect(r.commits).toEqual([
      [1, 2],
      [3, 4],
    ]);
    r.finishAt(2, new Error('third failed'));
    await eventually(() => r.errors.length === 1, 'the failure reported');
    // The fourth was in hand already: it completes, but after a failure nothing is committed.
    expect(r.batches).toHaveLength(4);
    r.finishAt(3);
    await r.pump.stop();
    expect(r.commits).toHaveLength(2);
  });

  it('should hand urgent messages over first, and alone when every slot is taken', async () => {
    const r = rig(3, { isUrgent: (m) => m >= 100 });
    for (const m of [1, 2, 100, 3]) r.pump.push(m);
    await r.batchCount(1);
    expect(r.batches[0]).toEqual([100, 1, 2]);
    // The slot is taken: urgent messages go at once, routine ones wait.
    r.pump.push(4);
    r.pump.push(101);
    await r.batchCount(2);
    expect(r.batches[1]).toEqual([101]);
    // The source flows while less than a full routine batch waits.
    expect(r.source.paused).toBe(false);
    r.pump.push(5);
    expect(r.source.paused).toBe(true);
    r.finishAt(1);
    r.finishAt(0);
    await r.batchCount(3);
    expect(r.batches[2]).toEqual([3, 4, 5]);
    r.finishAt(2);
    await eventually(() => r.commits.length === 3, 'committed in order');
    expect(r.commits.map((b) => b[0])).toEqual([100, 101, 3]);
  });
});
