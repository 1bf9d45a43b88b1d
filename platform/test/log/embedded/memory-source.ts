import { EventEmitter } from 'node:events';
import type { PartitionSource } from '../../../src/log/embedded/reading.js';
import type { LogRecord } from '../../../src/log/port.js';

/** A PartitionSource in memory, for the embedded log's readers without SQLite. */
export class MemorySource implements PartitionSource {
  readonly appended = new EventEmitter();
  readonly offsets = new Map<string, number>();
  isClosed = false;
  private readonly records = new Map<string, LogRecord[]>();

  constructor(private readonly topics: Record<string, number>) {}

  partitionsOf(topic: string): number {
    return this.topics[topic] ?? 0;
  }

  /** Appends a record with value `n` to a partition, and says so as the log does. */
  append(topic: string, partition: number, n: number): void {
    const list = this.list(topic, partition);
    list.push({
      topic,
      partition,
      offset: list.length,
      key: `k${n}`,
      value: new Uint8Array([n]),
      headers: {},
      timestampMs: 0,
    });
    this.appended.emit('append');
  }

  endOffset(topic: string, partition: number): number {
    return this.list(topic, partition).length;
  }

  fetch(topic: string, partition: number, from: number, limit: number): LogRecord[] {
    return this.list(topic, partition).slice(from, from + limit);
  }

  committed(group: string, topic: string, partition: number): number | undefined {
    return this.offsets.get(`${group}/${topic}/${partition}`);
  }

  commit(group: string, offsets: Iterable<[string, number, number]>): void {
    for (const [topic, partition, offset] of offsets) {
      this.offsets.set(`${group}/${topic}/${partition}`, offset);
    }
  }

  private list(topic: string, partition: number): LogRecord[] {
    const k = `${topic}/${partition}`;
    let list = this.records.get(k);
    if (!list) {
      list = [];
      this.records.set(k, list);
    }
    return list;
  }
}
