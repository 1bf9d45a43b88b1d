import type { GroupAssignment, GroupPartitionsAssigner } from '@platformatic/kafka';
import { coPartitionedAssignment } from '../co-partitioning.js';
import type { TopicPartition } from '../port.js';
import { partitionKey } from './records.js';

/**
 * The group leader's assignment, in the library's terms: partition i of every topic to one
 * member (co-partitioning.ts), so one vehicle's topics meet in one process.
 */
export const coPartitionedAssigner: GroupPartitionsAssigner = (
  _current,
  members,
  topics,
  metadata,
) =>
  [
    ...coPartitionedAssignment(
      new Map([...members].map(([id, m]) => [id, m.topics])),
      topics,
      (topic) => metadata.topics.get(topic)?.partitionsCount ?? 0,
    ),
  ].map(([memberId, byTopic]) => ({
    memberId,
    assignments: new Map([...byTopic].map(([topic, partitions]) => [topic, { topic, partitions }])),
  }));

/**
 * This member's partitions, as the group last assigned them (updated at each join and
 * rejoin). Records of a partition outside it are not handed over: its new owner reads them
 * from the committed offset, and two members must not work on one partition at once.
 */
export class Assignment {
  private keys = new Set<string>();

  /** Takes the group's assignment (null before the first join: none) and returns it. */
  update(assignments: readonly GroupAssignment[] | null): TopicPartition[] {
    const partitions = (assignments ?? []).flatMap((a) =>
      a.partitions.map((partition) => ({ topic: a.topic, partition })),
    );
    this.keys = new Set(partitions.map((p) => partitionKey(p.topic, p.partition)));
    return partitions;
  }

  has(topic: string, partition: number): boolean {
    return this.keys.has(partitionKey(topic, partition));
  }
}
