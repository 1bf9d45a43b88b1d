import { describe, expect, it } from 'vitest';
import { coPartitionedAssignment } from '../../src/log/co-partitioning.js';

describe('co-partitioned assignment', () => {
  it('should give one member partition i of every topic, each partition once', () => {
    const members = new Map([
      ['m-b', undefined],
      ['m-a', undefined],
      ['m-c', undefined],
    ]);
    const a = coPartitionedAssignment(members, ['telemetry', 'events'], () => 4);
    for (let p = 0; p < 4; p++) {
      const owners = ['telemetry', 'events'].map((t) =>
        [...a].filter(([, byTopic]) => byTopic.get(t)?.includes(p)).map(([id]) => id),
      );
      expect(owners[0]).toHaveLength(1);
      expect(owners[1]).toEqual(owners[0]);
    }
    // The same answer whatever order the members come in.
    const reordered = new Map([...members].reverse());
    expect(coPartitionedAssignment(reordered, ['events', 'telemetry'], () => 4)).toEqual(a);
  });

  it('should give a topic only to its subscribers', () => {
    const a = coPartitionedAssignment(
      new Map([
        ['m-1', ['telemetry']],
        ['m-2', ['telemetry', 'alerts']],
      ]),
      ['telemetry', 'alerts'],
      () => 3,
    );
    expect(a.get('m-1')?.get('alerts')).toBeUndefined();
    expect(a.get('m-2')?.get('alerts')).toEqual([0, 1, 2]);
  });
});
