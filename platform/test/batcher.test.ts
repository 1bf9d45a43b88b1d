import { describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/infra.js';
import { Batcher, type BatcherOptions } from '../src/batcher.js';

/** The processor's use: each call a function of the items (group commit). */
function groupCommit<T>(write: (items: T[]) => Promise<void>, options?: BatcherOptions) {
  const batcher = new Batcher(write, options);
  return (items: readonly T[]) => batcher.add(items);
}

/** A write that finishes when the test says so. */
function heldWrites() {
  const writes: number[][] = [];
  const finish: (() => void)[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const write = (items: number[]) => {
    writes.push(items);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    return new Promise<void>((r) =>
      finish.push(() => {
        inFlight--;
        r();
      }),
    );
  };
  return {
    writes,
    write,
    finishNext: () => finish.shift()?.(),
    get maxInFlight() {
      return maxInFlight;
    },
  };
}

describe('Batcher as group commit (waiting for the turn)', () => {
  it('should write the items of calls made together in one write, each caller settled by it', async () => {
    const writes: number[][] = [];
    const write = groupCommit<number>(async (items) => void writes.push(items));
    await Promise.all([write([1, 2]), write([3]), write([]), write([4, 5])]);
    expect(writes).toEqual([[1, 2, 3, 4, 5]]);
  });

  it('should gather what comes while writes are under way into the next one, up to maxInFlight', async () => {
    const held = heldWrites();
    const write = groupCommit<number>(held.write, { maxInFlight: 1 });
    const first = write([1]);
    await new Promise((r) => setImmediate(r));
    expect(held.writes).toEqual([[1]]);
    // While the first write is under way, three calls wait and go together.
    const rest = [write([2]), write([3]), write([4])];
    await new Promise((r) => setImmediate(r));
    expect(held.writes).toEqual([[1]]);
    held.finishNext();
    await first;
    await eventually(() => held.writes.length === 2, 'the second write', 2000, 1);
    expect(held.writes).toEqual([[1], [2, 3, 4]]);
    held.finishNext();
    await Promise.all(rest);
    expect(held.maxInFlight).toBe(1);
  });

  it('should fail only the callers whose items were in the failed write', async () => {
    let n = 0;
    const write = groupCommit<string>(async (items) => {
      n++;
      if (items.includes('bad')) throw new Error('store down');
    });
    const bad = write(['bad']);
    const good = new Promise<void>((resolve, reject) => {
      // The next turn: a separate write.
      setImmediate(() => write(['good']).then(resolve, reject));
    });
    await expect(bad).rejects.toThrow('store down');
    await expect(good).resolves.toBeUndefined();
    expect(n).toBe(2);
  });

  it('should split a gathering that would pass maxItems', async () => {
    const writes: number[][] = [];
    const write = groupCommit<number>(async (items) => void writes.push(items), { maxItems: 3 });
    await Promise.all([write([1, 2]), write([3, 4]), write([5])]);
    expect(writes).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
  });
});

describe('Batcher one write at a time, at once (the Kafka producer)', () => {
  const oneAtATime = { maxInFlight: 1, maxItems: 3, waitForTurn: false };

  it('should start a write at once when none is under way', async () => {
    const held = heldWrites();
    const batcher = new Batcher(held.write, oneAtATime);
    const first = batcher.add([1]);
    // No turn passed: the write is under way already.
    expect(held.writes).toEqual([[1]]);
    held.finishNext();
    await first;
  });

  it('should send what came during a write together next, up to maxItems, one write at a time', async () => {
    const held = heldWrites();
    const batcher = new Batcher(held.write, oneAtATime);
    const all = [
      batcher.add([1]),
      batcher.add([2]),
      batcher.add([3, 4]),
      batcher.add([5, 6, 7, 8]),
    ];
    expect(held.writes).toEqual([[1]]);
    held.finishNext();
    await eventually(() => held.writes.length === 2, 'the second write', 2000, 1);
    // [2] and [3, 4] fit in 3; the next call would pass it, and is written alone, whole.
    expect(held.writes).toEqual([[1], [2, 3, 4]]);
    held.finishNext();
    await eventually(() => held.writes.length === 3, 'the third write', 2000, 1);
    expect(held.writes).toEqual([[1], [2, 3, 4], [5, 6, 7, 8]]);
    held.finishNext();
    await Promise.all(all);
    expect(held.maxInFlight).toBe(1);
  });

  it('should drain: resolve once every write is done, and at once when none is under way', async () => {
    const held = heldWrites();
    const batcher = new Batcher(held.write, oneAtATime);
    await batcher.drain();
    void batcher.add([1]);
    void batcher.add([2]);
    let drained = false;
    const drain = batcher.drain().then(() => {
      drained = true;
    });
    held.finishNext();
    await eventually(() => held.writes.length === 2, 'the second write', 2000, 1);
    expect(drained).toBe(false);
    held.finishNext();
    await drain;
    expect(held.writes).toEqual([[1], [2]]);
  });

  it('should fail the callers of a write that throws before returning a promise, and carry on', async () => {
    let calls = 0;
    const batcher = new Batcher<number>((items) => {
      calls++;
      if (items.includes(0)) throw new Error('not even started');
      return Promise.resolve();
    }, oneAtATime);
    await expect(batcher.add([0])).rejects.toThrow('not even started');
    await expect(batcher.add([1])).resolves.toBeUndefined();
    await batcher.drain();
    expect(calls).toBe(2);
  });
});
