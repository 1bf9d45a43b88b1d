import { describe, expect, it } from 'vitest';
import {
  advance,
  endsOf,
  fetchSpread,
  type Position,
  Waiter,
} from '../../../src/log/embedded/reading.js';
import { MemorySource } from './memory-source.js';

describe('fetchSpread', () => {
  it('should share a batch between the partitions, so a busy one cannot starve the others', () => {
    const source = new MemorySource({ t: 2 });
    for (let n = 0; n < 100; n++) source.append('t', 0, n);
    source.append('t', 1, 7);
    const positions: Position[] = [
      { topic: 't', partition: 0, position: 0 },
      { topic: 't', partition: 1, position: 0 },
    ];
    const records = fetchSpread(source, positions, 10);
    expect(records.filter((r) => r.partition === 0)).toHaveLength(5);
    expect(records.filter((r) => r.partition === 1).map((r) => r.value[0])).toEqual([7]);
  });

  it('should fetch one record a partition at least, and from each position', () => {
    const source = new MemorySource({ t: 3 });
    for (let p = 0; p < 3; p++) for (let n = 0; n < 3; n++) source.append('t', p, n);
    const positions = [0, 1, 2].map((partition) => ({ topic: 't', partition, position: 2 }));
    expect(fetchSpread(source, positions, 1).map((r) => [r.partition, r.offset])).toEqual([
      [0, 2],
      [1, 2],
      [2, 2],
    ]);
  });
});

describe('endsOf and advance', () => {
  it('should move each position past the last record handed over from it, and no other', () => {
    const source = new MemorySource({ t: 3 });
    for (let n = 0; n < 4; n++) source.append('t', 0, n);
    source.append('t', 1, 9);
    const positions: Position[] = [0, 1, 2].map((partition) => ({
      topic: 't',
      partition,
      position: 0,
    }));
    const records = fetchSpread(source, positions, 30);
    const ends = endsOf(records);
    expect([...ends.values()]).toEqual([
      ['t', 0, 4],
      ['t', 1, 1],
    ]);
    advance(positions, ends);
    expect(positions.map((p) => p.position)).toEqual([4, 1, 0]);
  });
});

describe('Waiter', () => {
  it('should resolve a wait when woken, and a wait nobody wakes after its time', async () => {
    const w = new Waiter();
    let woken = false;
    const waiting = w.wait(60_000).then(() => {
      woken = true;
    });
    await Promise.resolve();
    expect(woken).toBe(false);
    w.wake();
    await waiting;
    expect(woken).toBe(true);
    w.wake(); // nobody waits: nothing happens
    const started = Date.now();
    await w.wait(20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
  });
});
