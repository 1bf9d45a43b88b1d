import type { EventEmitter } from 'node:events';
import type { LogRecord } from '../port.js';

/**
 * What the embedded log's readers (group members, tails) read through: its partitions, their
 * records and the groups' offsets. EmbeddedLog is one; a test can give a plain object.
 */
export interface PartitionSource {
  partitionsOf(topic: string): number;
  /** The offset the partition's next record will get. */
  endOffset(topic: string, partition: number): number;
  fetch(topic: string, partition: number, from: number, limit: number): LogRecord[];
  /** The group's committed offset, or undefined when it never committed on the partition. */
  committed(group: string, topic: string, partition: number): number | undefined;
  commit(group: string, offsets: Iterable<[string, number, number]>): void;
  readonly isClosed: boolean;
  /** Emits 'append' after each durable flush. */
  readonly appended: EventEmitter;
}

/** A partition being read, and the next offset to hand over from it. */
export interface Position {
  topic: string;
  partition: number;
  position: number;
}

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/**
 * Up to `max` records from the positions, spread over the partitions so that one busy
 * partition cannot starve the others.
 */
export function fetchSpread(
  source: PartitionSource,
  positions: readonly Position[],
  max: number,
): LogRecord[] {
  const records: LogRecord[] = [];
  const share = Math.max(1, Math.floor(max / Math.max(1, positions.length)));
  for (const p of positions) {
    records.push(...source.fetch(p.topic, p.partition, p.position, share));
  }
  return records;
}

/** Per partition of `records`: [topic, partition, the offset after its last record]. */
export function endsOf(records: readonly LogRecord[]): Map<string, [string, number, number]> {
  const ends = new Map<string, [string, number, number]>();
  for (const r of records)
    ends.set(key(r.topic, r.partition), [r.topic, r.partition, r.offset + 1]);
  return ends;
}

/** Moves each position past the records handed over (`ends` from endsOf). */
export function advance(
  positions: readonly Position[],
  ends: ReadonlyMap<string, [string, number, number]>,
): void {
  for (const p of positions) {
    const end = ends.get(key(p.topic, p.partition));
    if (end) p.position = end[2];
  }
}

/**
 * Where a reader with nothing to read waits: until wake() (a record was appended, the reader
 * is stopping, a rebalance ended) or at most `ms`, so that a missed wake-up costs a second.
 */
export class Waiter {
  private wakeUp: (() => void) | undefined;

  wait(ms = 1000): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wakeUp = resolve;
      setTimeout(resolve, ms).unref();
    });
  }

  wake(): void {
    const w = this.wakeUp;
    this.wakeUp = undefined;
    w?.();
  }
}
