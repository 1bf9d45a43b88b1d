import { describe, expect, it } from 'vitest';
import { eventually } from '../../../../test-support/infra.js';
import { ConsumerGroup, roundRobin } from '../../../src/log/embedded/consumer-group.js';
import type { LogRecord, TopicPartition } from '../../../src/log/port.js';
import { MemorySource } from './memory-source.js';

describe('roundRobin', () => {
  it('should deal each topic’s partitions over the members subscribed to it', () => {
    const a = { name: 'a', topics: ['t', 'u'] };
    const b = { name: 'b', topics: ['t'] };
    const c = { name: 'c', topics: ['v'] };
    const result = roundRobin([a, b, c], (topic) => ({ t: 3, u: 2, v: 0 })[topic] ?? 0);
    expect(result.get(a)).toEqual([
      ['t', 0],
      ['t', 2],
      ['u', 0],
      ['u', 1],
    ]);
    expect(result.get(b)).toEqual([['t', 1]]);
    expect(result.get(c)).toEqual([]);
  });
});

/** A member's view: its partitions as last told, and what it was handed. */
function watcher() {
  const seen = { assigned: [] as TopicPartition[], records: [] as LogRecord[] };
  return {
    seen,
    options: {
      groupId: 'g',
      topics: ['t'],
      onAssigned: (p: readonly TopicPartition[]) => {
        seen.assigned = [...p];
      },
      handle: async (records: readonly LogRecord[]) => {
        seen.records.push(...records);
      },
    },
  };
}

describe('ConsumerGroup', () => {
  it('should split the partitions between members, and give them all to the one left', async () => {
    const source = new MemorySource({ t: 4 });
    const group = new ConsumerGroup(source, 'g');
    const a = watcher();
    const b = watcher();
    const ca = group.join(a.options);
    await eventually(() => a.seen.assigned.length === 4, 'a to own 4 partitions');
    const cb = group.join(b.options);
    await eventually(
      () => a.seen.assigned.length === 2 && b.seen.assigned.length === 2,
      'two partitions each',
    );
    for (let p = 0; p < 4; p++) source.append('t', p, p);
    await eventually(() => a.seen.records.length + b.seen.records.length === 4, 'all 4 records');
    const owned = (w: ReturnType<typeof watcher>) => w.seen.assigned.map((p) => p.partition);
    for (const w of [a, b]) {
      expect(w.seen.records.every((r) => owned(w).includes(r.partition))).toBe(true);
    }
    await cb.close();
    await eventually(() => a.seen.assigned.length === 4, 'a to own all 4 again');
    await ca.close();
  });

  it('should start a member from the group’s committed offset, else from where startAt says', async () => {
    const source = new MemorySource({ t: 1 });
    for (let n = 0; n < 5; n++) source.append('t', 0, n);
    const group = new ConsumerGroup(source, 'g');
    const first = watcher();
    const c1 = group.join(first.options);
    await eventually(() => first.seen.records.length === 5, 'the five records');
    await c1.close();
    expect(source.committed('g', 't', 0)).toBe(5);
    source.append('t', 0, 5);
    const second = watcher();
    const c2 = group.join(second.options);
    await eventually(() => second.seen.records.length === 1, 'the one record after the commit');
    expect(second.seen.records[0]?.offset).toBe(5);
    await c2.close();

    const latest = watcher();
    const other = new ConsumerGroup(source, 'h');
    const c3 = other.join({ ...latest.options, groupId: 'h', startAt: 'latest' });
    await eventually(() => latest.seen.assigned.length === 1, 'the partition');
    source.append('t', 0, 6);
    await eventually(() => latest.seen.records.length === 1, 'the record appended after joining');
    expect(latest.seen.records[0]?.offset).toBe(6);
    await c3.close();
  });

  it('should not move a partition while its member has a batch in hand', async () => {
    const source = new MemorySource({ t: 2 });
    const group = new ConsumerGroup(source, 'g');
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const a = watcher();
    const ca = group.join({
      ...a.options,
      handle: async (records) => {
        a.seen.records.push(...records);
        await held;
      },
    });
    await eventually(() => a.seen.assigned.length === 2, 'a to own both partitions');
    source.append('t', 0, 0);
    source.append('t', 1, 1);
    await eventually(() => a.seen.records.length > 0, 'a batch in hand');
    const b = watcher();
    const cb = group.join(b.options);
    expect(group.isRebalancing).toBe(true);
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
    // The rebalance waits for the batch: a still owns both, b has none yet.
    expect(a.seen.assigned).toHaveLength(2);
    expect(b.seen.assigned).toHaveLength(0);
    release();
    await group.whenStable();
    expect([a.seen.assigned.length, b.seen.assigned.length]).toEqual([1, 1]);
    // The batch was committed before the partitions moved: b gets nothing again.
    expect(b.seen.records).toEqual([]);
    await Promise.all([ca.close(), cb.close()]);
  });
});
