import { describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/infra.js';
import { groupCommit } from '../src/group-commit.js';

describe('groupCommit', () => {
  it('should write the items of calls made together in one write, each caller settled by it', async () => {
    const writes: number[][] = [];
    const write = groupCommit<number>(async (items) => void writes.push(items));
    await Promise.all([write([1, 2]), write([3]), write([]), write([4, 5])]);
    expect(writes).toEqual([[1, 2, 3, 4, 5]]);
  });

  it('should gather what comes while writes are under way into the next one, up to maxInFlight', async () => {
    const writes: number[][] = [];
    const finish: (() => void)[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const write = groupCommit<number>(
      (items) => {
        writes.push(items);
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        return new Promise<void>((r) =>
          finish.push(() => {
            inFlight--;
            r();
          }),
        );
      },
      { maxInFlight: 1 },
    );
    const first = write([1]);
    await new Promise((r) => setImmediate(r));
    expect(writes).toEqual([[1]]);
    // While the first write is under way, three calls wait and go together.
    const rest = [write([2]), write([3]), write([4])];
    await new Promise((r) => setImmediate(r));
    expect(writes).toEqual([[1]]);
    finish.shift()?.();
    await first;
    await eventually(() => writes.length === 2, 'the second write', 2000, 1);
    expect(writes).toEqual([[1], [2, 3, 4]]);
    finish.shift()?.();
    await Promise.all(rest);
    expect(maxInFlight).toBe(1);
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
