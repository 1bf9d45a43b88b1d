import { EventEmitter } from 'node:events';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { LogClosedError } from '../errors.js';
import { logError } from '../failures/failure.js';
import { classifySqliteFailure } from '../failures/sqlite.js';
import { ensurePrivateDatabase, ensurePrivateDir } from '../private-files.js';
import { deleteInSlices } from '../sqlite-slices.js';
import { partitionForKey } from './partitioner.js';
import type {
  ConsumeOptions,
  Log,
  LogConsumer,
  LogProducer,
  LogRecord,
  ProduceRecord,
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
 * Retention (Kafka's retention.ms) runs at open and every minute, deleting a slice of records
 * at a time with a turn of the event loop between slices (sqlite-slices.ts): the log shares
 * its thread with the gateway, and a backlog of millions of records deleted in one statement
 * held it for seconds.
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

interface Row {
  offset: number;
  key: string;
  value: Buffer;
  headers: string;
  timestamp_ms: number;
}

const tp = (topic: string, partition: number) => `${topic}\u0000${partition}`;

export class EmbeddedLog implements Log {
  readonly kind = 'embedded' as const;
  private readonly db: Database.Database;
  private readonly partitions = new Map<string, number>();
  private readonly nextOffset = new Map<string, number>();
  private pending: PendingSend[] = [];
  private flushScheduled = false;
  private closed = false;
  /** Emits 'append' after each durable flush. */
  readonly appended = new EventEmitter();
  private readonly groups = new Map<string, ConsumerGroup>();
  private readonly retentionTimer: NodeJS.Timeout;
  private readonly stmt: {
    insert: Database.Statement;
    fetch: Database.Statement<[string, number, number, number], Row>;
    committed: Database.Statement<[string, string, number], { offset: number }>;
    commit: Database.Statement;
    createTopic: Database.Statement;
    retention: Database.Statement<[number, number]>;
  };

  constructor(private readonly options: EmbeddedLogOptions) {
    try {
      // Owner-only folder and files (the -wal file takes the database file's mode).
      ensurePrivateDir(dirname(options.path));
      ensurePrivateDatabase(options.path);
      this.db = new Database(options.path);
      this.db.pragma('locking_mode = EXCLUSIVE');
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS topics (name TEXT PRIMARY KEY, partitions INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS records (
          topic TEXT NOT NULL, partition INTEGER NOT NULL, offset INTEGER NOT NULL,
          key TEXT NOT NULL, value BLOB NOT NULL, headers TEXT NOT NULL, timestamp_ms INTEGER NOT NULL,
          PRIMARY KEY (topic, partition, offset)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS records_by_time ON records (timestamp_ms);
        CREATE TABLE IF NOT EXISTS group_offsets (
          group_id TEXT NOT NULL, topic TEXT NOT NULL, partition INTEGER NOT NULL, offset INTEGER NOT NULL,
          PRIMARY KEY (group_id, topic, partition)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS end_offsets (
          topic TEXT NOT NULL, partition INTEGER NOT NULL, next_offset INTEGER NOT NULL,
          PRIMARY KEY (topic, partition)) WITHOUT ROWID;
      `);
    } catch (err) {
      const failure = classifySqliteFailure(err);
      throw logError(
        failure,
        failure.code === 'SQLITE_BUSY'
          ? `embedded log ${options.path} is in use by another Fleetline process (one process owns it; stop the other or set FLEETLINE_DATA_DIR)`
          : `cannot open embedded log ${options.path}: ${failure.reason}`,
        err,
      );
    }
    for (const t of this.db.prepare('SELECT name, partitions FROM topics').all() as {
      name: string;
      partitions: number;
    }[]) {
      this.partitions.set(t.name, t.partitions);
    }
    // Offsets keep growing after retention deletes old records, as in Kafka.
    for (const e of this.db
      .prepare('SELECT topic, partition, next_offset FROM end_offsets')
      .all() as {
      topic: string;
      partition: number;
      next_offset: number;
    }[]) {
      this.nextOffset.set(tp(e.topic, e.partition), e.next_offset);
    }
    this.stmt = {
      insert: this.db.prepare(
        'INSERT INTO records (topic, partition, offset, key, value, headers, timestamp_ms) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      fetch: this.db.prepare(
        'SELECT offset, key, value, headers, timestamp_ms FROM records WHERE topic = ? AND partition = ? AND offset >= ? ORDER BY offset LIMIT ?',
      ),
      committed: this.db.prepare(
        'SELECT offset FROM group_offsets WHERE group_id = ? AND topic = ? AND partition = ?',
      ),
      commit: this.db.prepare(
        'INSERT INTO group_offsets (group_id, topic, partition, offset) VALUES (?, ?, ?, ?) ON CONFLICT (group_id, topic, partition) DO UPDATE SET offset = excluded.offset',
      ),
      createTopic: this.db.prepare('INSERT OR IGNORE INTO topics (name, partitions) VALUES (?, ?)'),
      retention: this.db.prepare(
        'DELETE FROM records WHERE (topic, partition, offset) IN (SELECT topic, partition, offset FROM records WHERE timestamp_ms < ? LIMIT ?)',
      ),
    };
    const saveEnd = this.db.prepare(
      'INSERT INTO end_offsets (topic, partition, next_offset) VALUES (?, ?, ?) ON CONFLICT (topic, partition) DO UPDATE SET next_offset = excluded.next_offset',
    );
    this.saveEnd = (topic, partition, next) => saveEnd.run(topic, partition, next);
    const retentionMs = options.retentionMs ?? 7 * 24 * 3600_000;
    // A round that fails (a full disk, say) leaves the records to the next round: records
    // deleted later are not lost, and a timer's throw would end the process.
    const retain = () => void this.retain(retentionMs).catch(() => {});
    setImmediate(retain);
    this.retentionTimer = setInterval(retain, 60_000);
    this.retentionTimer.unref();
  }

  private retaining = false;

  /** Deletes the records older than the retention, a slice at a time. */
  private async retain(retentionMs: number): Promise<void> {
    if (this.retaining || this.closed) return;
    this.retaining = true;
    try {
      await deleteInSlices(this.stmt.retention, Date.now() - retentionMs, () => this.closed);
    } finally {
      this.retaining = false;
    }
  }

  private readonly saveEnd: (topic: string, partition: number, next: number) => void;

  async ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    this.assertOpen();
    for (const t of topics) this.createTopic(t.name, t.partitions);
  }

  private createTopic(name: string, partitions: number): number {
    const existing = this.partitions.get(name);
    if (existing !== undefined) return existing;
    this.stmt.createTopic.run(name, partitions);
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
            this.stmt.insert.run(
              r.topic,
              partition,
              offset,
              r.key,
              r.value,
              JSON.stringify(r.headers ?? {}),
              now,
            );
            next.set(k, offset + 1);
          }
        }
        for (const [k, offset] of next) {
          const [topic, partition] = k.split('\u0000') as [string, string];
          this.saveEnd(topic, Number(partition), offset);
        }
      })();
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

  // ── used by ConsumerGroup ──────────────────────────────────────────────────────────────

  partitionsOf(topic: string): number {
    return this.partitions.get(topic) ?? 0;
  }

  /** The group's committed offset, or undefined when it never committed on the partition. */
  committed(group: string, topic: string, partition: number): number | undefined {
    return this.stmt.committed.get(group, topic, partition)?.offset;
  }

  /** The offset the partition's next record will get. */
  endOffset(topic: string, partition: number): number {
    return this.nextOffset.get(tp(topic, partition)) ?? 0;
  }

  commit(group: string, offsets: Iterable<[string, number, number]>): void {
    this.db.transaction(() => {
      for (const [topic, partition, offset] of offsets) {
        this.stmt.commit.run(group, topic, partition, offset);
      }
    })();
  }

  fetch(topic: string, partition: number, from: number, limit: number): LogRecord[] {
    return this.stmt.fetch.all(topic, partition, from, limit).map((row) => ({
      topic,
      partition,
      offset: row.offset,
      key: row.key,
      value: new Uint8Array(row.value.buffer, row.value.byteOffset, row.value.byteLength),
      headers: JSON.parse(row.headers) as Record<string, string>,
      timestampMs: row.timestamp_ms,
    }));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private assertOpen(): void {
    if (this.closed) throw new LogClosedError();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.all([...this.groups.values()].map((g) => g.closeAll()));
    this.flush();
    this.closed = true;
    clearInterval(this.retentionTimer);
    this.db.close();
  }
}

/**
 * In-process group coordinator. Partitions of the subscribed topics are spread round-robin
 * over the members; a membership change pauses the group until every member has finished the
 * batch in hand and committed it, so no partition is ever worked on by two members at once
 * and per-key order holds across a rebalance.
 */
class ConsumerGroup {
  private members: Member[] = [];
  private paused: Promise<void> | undefined;
  private rebalanceQueued = false;

  constructor(
    readonly log: EmbeddedLog,
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

  /** Resolves when no rebalance is in progress. */
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
    const assignment = new Map<Member, [string, number][]>(this.members.map((m) => [m, []]));
    const topics = [...new Set(this.members.flatMap((m) => m.topics))].sort();
    for (const topic of topics) {
      const subscribers = this.members.filter((m) => m.topics.includes(topic));
      const n = this.log.partitionsOf(topic);
      for (let p = 0; p < n; p++) {
        assignment.get(subscribers[p % subscribers.length] as Member)?.push([topic, p]);
      }
    }
    for (const [member, partitions] of assignment) {
      member.assign(
        partitions.map(([topic, partition]) => ({
          topic,
          partition,
          position:
            this.log.committed(this.id, topic, partition) ??
            (member.startAt === 'latest' ? this.log.endOffset(topic, partition) : 0),
        })),
      );
    }
  }
}

interface Assigned {
  topic: string;
  partition: number;
  /** Next offset to hand over. */
  position: number;
}

class Member {
  readonly topics: readonly string[];
  private assigned: Assigned[] = [];
  private running = false;
  private busy: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private loopDone: Promise<void> | undefined;
  private readonly onAppend = () => this.wake();

  constructor(
    private readonly group: ConsumerGroup,
    private readonly options: ConsumeOptions,
  ) {
    this.topics = [...options.topics];
  }

  start(): void {
    this.running = true;
    this.group.log.appended.on('append', this.onAppend);
    this.loopDone = this.loop();
  }

  get startAt(): 'earliest' | 'latest' {
    return this.options.startAt ?? 'earliest';
  }

  assign(assigned: Assigned[]): void {
    this.assigned = assigned;
    this.options.onAssigned?.(assigned.map(({ topic, partition }) => ({ topic, partition })));
  }

  wake(): void {
    const w = this.wakeUp;
    this.wakeUp = undefined;
    w?.();
  }

  idle(): Promise<void> {
    return this.busy ?? Promise.resolve();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.group.log.appended.off('append', this.onAppend);
    this.wake();
    await this.loopDone;
  }

  private async loop(): Promise<void> {
    const max = this.options.maxBatch ?? 500;
    while (this.running) {
      // Checked again right before fetching: a rebalance that began while this member was
      // waking up must not find it idle and then see it handle a partition it moved away.
      // From here to marking itself busy nothing awaits.
      while (this.group.isRebalancing) await this.group.whenStable();
      if (!this.running) break;
      const records: LogRecord[] = [];
      // Spread the batch over the partitions so one busy partition cannot starve the others.
      const share = Math.max(1, Math.floor(max / Math.max(1, this.assigned.length)));
      for (const a of this.assigned) {
        records.push(...this.group.log.fetch(a.topic, a.partition, a.position, share));
      }
      if (records.length === 0) {
        await new Promise<void>((resolve) => {
          this.wakeUp = resolve;
          setTimeout(resolve, 1000).unref();
        });
        continue;
      }
      let release!: () => void;
      this.busy = new Promise<void>((r) => {
        release = r;
      });
      try {
        await this.options.handle(records);
        const ends = new Map<string, [string, number, number]>();
        for (const r of records)
          ends.set(tp(r.topic, r.partition), [r.topic, r.partition, r.offset + 1]);
        if (this.group.log.isClosed) break;
        this.group.log.commit(this.group.id, ends.values());
        for (const a of this.assigned) {
          const end = ends.get(tp(a.topic, a.partition));
          if (end) a.position = end[2];
        }
      } catch (err) {
        this.running = false;
        this.options.onError?.(err as Error);
      } finally {
        this.busy = undefined;
        release();
      }
    }
  }
}
