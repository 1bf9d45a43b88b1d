import { partitionForKey, type TopicPartition } from '@fleetline/platform';

/**
 * Which vehicles this processor owns: those whose partition the consumer group assigned it.
 * A vehicle's partition is the one its records came on; for a vehicle not heard from here
 * (the clock's sweep over every vehicle in the telemetry database) it is the one its key hashes to,
 * as producers place it. The topics are co-partitioned, so one partition number stands for the
 * vehicle's partition of every topic. No I/O.
 */
export class PartitionOwnership {
  private assigned = new Set<number>();
  /** The partition of each vehicle with a live actor, as its records came. */
  private readonly partitionOf = new Map<string, number>();

  /** Partitions per topic. */
  constructor(private readonly partitions: number) {}

  /** The consumer's assignment changed: these are the partitions owned now. */
  assign(tps: readonly TopicPartition[]): void {
    this.assigned = new Set(tps.map((tp) => tp.partition));
  }

  /** The partitions owned now, in order. */
  get partitionsOwned(): number[] {
    return [...this.assigned].sort((a, b) => a - b);
  }

  /** A record of the vehicle came on this partition. */
  heard(deviceId: string, partition: number): void {
    this.partitionOf.set(deviceId, partition);
  }

  owns(deviceId: string): boolean {
    return this.assigned.has(
      this.partitionOf.get(deviceId) ?? partitionForKey(deviceId, this.partitions),
    );
  }

  /** Forgets the partitions of vehicles that no longer have a live actor. */
  keepOnly(live: (deviceId: string) => boolean): void {
    for (const key of this.partitionOf.keys()) if (!live(key)) this.partitionOf.delete(key);
  }
}
