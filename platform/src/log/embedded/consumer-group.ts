import type { ConsumeOptions, LogConsumer } from '../port.js';
import { Member, type MemberGroup } from './member.js';
import type { PartitionSource, Position } from './reading.js';

/**
 * In-process group coordinator. Partitions of the subscribed topics are spread round-robin
 * over the members; a membership change pauses the group until every member has finished the
 * batch in hand and committed it, so no partition is ever worked on by two members at once
 * and per-key order holds across a rebalance.
 */
export class ConsumerGroup implements MemberGroup {
  private members: Member[] = [];
  private paused: Promise<void> | undefined;
  private rebalanceQueued = false;

  constructor(
    readonly source: PartitionSource,
    readonly id: string,
  ) {}

  join(options: ConsumeOptions): LogConsumer {
    const member = new Member(this, options);
    this.members.push(member);
    void this.rebalance();
    member.start();
    return { close: () => this.leave(member) };
  }

  private async leave(member: Member): Promise<void> {
    if (!this.members.includes(member)) return;
    await member.stop();
    this.members = this.members.filter((m) => m !== member);
    await this.rebalance();
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.members.map((m) => this.leave(m)));
  }

  topicsChanged(): void {
    void this.rebalance();
  }

  get isRebalancing(): boolean {
    return this.paused !== undefined;
  }

  whenStable(): Promise<void> {
    return this.paused ?? Promise.resolve();
  }

  private rebalance(): Promise<void> {
    if (this.paused) {
      this.rebalanceQueued = true;
      return this.paused;
    }
    this.paused = (async () => {
      do {
        this.rebalanceQueued = false;
        await Promise.all(this.members.map((m) => m.idle()));
        this.assign();
      } while (this.rebalanceQueued);
      this.paused = undefined;
      for (const m of this.members) m.wake();
    })();
    return this.paused;
  }

  private assign(): void {
    for (const [member, partitions] of roundRobin(this.members, (t) =>
      this.source.partitionsOf(t),
    )) {
      member.assign(
        partitions.map(([topic, partition]) => ({
          topic,
          partition,
          position: this.startOf(member, topic, partition),
        })),
      );
    }
  }

  /** Where a member starts on a partition: the group's committed offset, else startAt. */
  private startOf(member: Member, topic: string, partition: number): Position['position'] {
    return (
      this.source.committed(this.id, topic, partition) ??
      (member.startAt === 'latest' ? this.source.endOffset(topic, partition) : 0)
    );
  }
}

/**
 * Partition p of a topic to the (p mod n)-th of the n members subscribed to it, topics in
 * name order. Every member is in the result, those without partitions with none. Pure.
 */
export function roundRobin<M extends { readonly topics: readonly string[] }>(
  members: readonly M[],
  partitionsOf: (topic: string) => number,
): Map<M, [string, number][]> {
  const assignment = new Map<M, [string, number][]>(members.map((m) => [m, []]));
  const topics = [...new Set(members.flatMap((m) => m.topics))].sort();
  for (const topic of topics) {
    const subscribers = members.filter((m) => m.topics.includes(topic));
    const n = partitionsOf(topic);
    for (let p = 0; p < n; p++) {
      assignment.get(subscribers[p % subscribers.length] as M)?.push([topic, p]);
    }
  }
  return assignment;
}
