import type { ClusterMetadata, ExtendedGroupProtocolSubscription } from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import { Assignment, coPartitionedAssigner } from '../../../src/log/kafka/assignment.js';

describe('coPartitionedAssigner', () => {
  it('should give partition i of every topic to one member, in the library’s terms', () => {
    const members = new Map<string, ExtendedGroupProtocolSubscription>([
      ['m-b', { memberId: 'm-b', version: 0, topics: ['events', 'telemetry'] }],
      ['m-a', { memberId: 'm-a', version: 0, topics: ['events', 'telemetry'] }],
    ]);
    const metadata = {
      topics: new Map([
        ['telemetry', { partitionsCount: 3 }],
        ['events', { partitionsCount: 3 }],
      ]),
    } as unknown as ClusterMetadata;
    const result = coPartitionedAssigner(
      'm-a',
      members,
      new Set(['telemetry', 'events']),
      metadata,
    );
    const byMember = new Map(
      result.map((r) => [r.memberId, Object.fromEntries(r.assignments)] as const),
    );
    expect(byMember.get('m-a')).toEqual({
      events: { topic: 'events', partitions: [0, 2] },
      telemetry: { topic: 'telemetry', partitions: [0, 2] },
    });
    expect(byMember.get('m-b')).toEqual({
      events: { topic: 'events', partitions: [1] },
      telemetry: { topic: 'telemetry', partitions: [1] },
    });
  });
});

describe('Assignment', () => {
  it('should hold the partitions of the latest join only', () => {
    const a = new Assignment();
    expect(a.update(null)).toEqual([]);
    expect(a.has('t', 0)).toBe(false);
    expect(
      a.update([
        { topic: 't', partitions: [0, 2] },
        { topic: 'u', partitions: [1] },
      ]),
    ).toEqual([
      { topic: 't', partition: 0 },
      { topic: 't', partition: 2 },
      { topic: 'u', partition: 1 },
    ]);
    expect([a.has('t', 0), a.has('t', 1), a.has('t', 2), a.has('u', 1)]).toEqual([
      true,
      false,
      true,
      true,
    ]);
    // A rebalance took t-0 and u-1 away.
    a.update([{ topic: 't', partitions: [2] }]);
    expect([a.has('t', 0), a.has('t', 2), a.has('u', 1)]).toEqual([false, true, false]);
  });

  it('should not take a topic and partition for another pair whose parts join alike', () => {
    const a = new Assignment();
    a.update([{ topic: 't1', partitions: [1] }]);
    expect(a.has('t1', 1)).toBe(true);
    expect(a.has('t', 11)).toBe(false);
  });
});
