import { EventEmitter } from 'node:events';
import { LogClosedError } from '../errors.js';
import { logError } from '../failures/failure.js';
import { classifySqliteFailure } from '../failures/sqlite.js';
import { ConsumerGroup } from './embedded/consumer-group.js';
import { LogDatabase } from './embedded/database.js';
import type { PartitionSource } from './embedded/reading.js';
import { Retention } from './embedded/retention.js';
import { EmbeddedTail } from './embedded/tail.js';
import { partitionForKey } from './partitioner.js';
import type {
  ConsumeOptions,
  Log,
  LogConsumer,
  LogProducer,
  LogRecord,
  LogTail,
  ProduceRecord,
  TailOptions,
  TopicSpec,
} from './port.js';

/**
 * The embedded Log adapter: Kafka's model (topics, partitions, offsets, consumer groups with
 * committed offsets) inside one process, durable on SQLite.
 *
 * Durability: WAL with synchronous=FULL, so a send() resolves only after its transaction is
 * on disk. Appends made in the same turn of the event loop share one transaction (group
 * commit), which keeps fsyncs off the per-record path. The file is opened in exclusive
 * locking mode: one process owns the embedded log.
 *
 * Its parts are in embedded/: the SQLite file (database.ts), consumer groups and their
 * members, tails (read from the end in no group), and retention (Kafka's retention.ms, deleting a slice of records at a time).
 * This class keeps the topics and end offsets in memory and appends.
 */

export interface EmbeddedLogOptions {
  /** SQLite file; created with its folder when missing. */
  path: string;
  /** Partitions of a topic created implicitly by a first send. */
  defaultPartitions: number;
  /** Records older than this are deleted (Kafka's retention.ms). Default 7 days. */
  retentionMs?: number;
}

interface PendingSend {
  records: readonly ProduceRecord[];
  resolve(): void;
  reject(err: Error): void;
}

const tp = (topic: string, partition: number) => `${topic}\u0000${partition}`;

export class EmbeddedLog implements Log, PartitionSource {
  readonly kind = 'embedded' as const;
  private readonly db: LogDatabase;
  private readonly partitions = new Map<string, number>();
  private readonly nextOffset = new Map<string, number>();
  private pending: PendingSend[] = [];
  private flushScheduled = false;
  private closed = false;
  /** Emits 'append' after each durable flush. */
  readonly appended = new EventEmitter();
  private readonly groups = new Map<string, ConsumerGroup>();
  private readonly tails = new Set<EmbeddedTail>();
  private readonly retention: Retention;

  constructor(private readonly options: EmbeddedLogOptions) {
    this.db = new LogDatabase(options.path);
    for (const t of this.db.topics()) this.partitions.set(t.name, t.partitions);
    for (const e of this.db.endOffsets()) this.nextOffset.set(tp(e.topic, e.partition), e.next);
    this.retention = new Retention(
      this.db.retention,
      options.retentionMs ?? 7 * 24 * 3600_000,
      () => this.closed,
    );
  }

  async ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    this.assertOpen();
    for (const t of topics) this.createTopic(t.name, t.partitions);
  }

  private createTopic(name: string, partitions: number): number {
    const existing = this.partitions.get(name);
    if (existing !== undefined) return existing;
    this.db.createTopic(name, partitions);
    this.partitions.set(name, partitions);
    for (const g of this.groups.values()) g.topicsChanged();
    return partitions;
  }

  async createProducer(): Promise<LogProducer> {
    this.assertOpen();
    return {
      send: (records) => this.append(records),
      close: async () => {},
    };
  }

  /** Queues records for the next group commit. */
  append(records: readonly ProduceRecord[]): Promise<void> {
    if (this.closed) return Promise.reject(new LogClosedError());
    if (records.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ records, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Writes every queued send in one transaction, then settles them all. */
  private flush(): void {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    const next = new Map<string, number>();
    const now = Date.now();
    try {
      this.db.transaction(() => {
        for (const send of batch) {
          for (const r of send.records) {
            const partitions = this.createTopic(r.topic, this.options.defaultPartitions);
            const partition = partitionForKey(r.key, partitions);
            const k = tp(r.topic, partition);
            const offset = next.get(k) ?? this.nextOffset.get(k) ?? 0;
            this.db.insert(r.topic, partition, offset, r, now);
            next.set(k, offset + 1);
          }
        }
        for (const [k, offset] of next) {
          const [topic, partition] = k.split('\u0000') as [string, string];
          this.db.saveEnd(topic, Number(partition), offset);
        }
      });
    } catch (err) {
      const failure = classifySqliteFailure(err);
      const e = logError(failure, `embedded log append failed: ${failure.reason}`, err);
      for (const send of batch) send.reject(e);
      return;
    }
    for (const [k, offset] of next) this.nextOffset.set(k, offset);
    for (const send of batch) send.resolve();
    this.appended.emit('append');
  }

  async consume(options: ConsumeOptions): Promise<LogConsumer> {
    this.assertOpen();
    let group = this.groups.get(options.groupId);
    if (!group) {
      group = new ConsumerGroup(this, options.groupId);
      this.groups.set(options.groupId, group);
    }
    return group.join(options);
  }

  async tail(options: TailOptions): Promise<LogTail> {
    this.assertOpen();
    const tail = new EmbeddedTail(this, options);
    this.tails.add(tail);
    return {
      partitions: tail.partitions,
      close: async () => {
        this.tails.delete(tail);
        await tail.close();
      },
    };
  }

  // ── read by the groups' members and the tails (PartitionSource) ────────────────────────

  partitionsOf(topic: string): number {
    return this.partitions.get(topic) ?? 0;
  }

  committed(group: string, topic: string, partition: number): number | undefined {
    return this.db.committed(group, topic, partition);
  }

  endOffset(topic: string, partition: number): number {
    return this.nextOffset.get(tp(topic, partition)) ?? 0;
  }

  commit(group: string, offsets: Iterable<[string, number, number]>): void {
    this.db.commit(group, offsets);
  }

  fetch(topic: string, partition: number, from: number, limit: number): LogRecord[] {
    return this.db.fetch(topic, partition, from, limit);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private assertOpen(): void {
    if (this.closed) throw new LogClosedError();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.all([
      ...[...this.groups.values()].map((g) => g.closeAll()),
      ...[...this.tails].map((t) => t.close()),
    ]);
    this.tails.clear();
    this.flush();
    this.closed = true;
    this.retention.stop();
    this.db.close();
  }
}
