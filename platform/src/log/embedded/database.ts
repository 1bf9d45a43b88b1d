import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { logError } from '../../failures/failure.js';
import { classifySqliteFailure } from '../../failures/sqlite.js';
import { ensurePrivateDatabase, ensurePrivateDir } from '../../private-files.js';
import type { LogRecord } from '../port.js';

interface Row {
  offset: number;
  key: string;
  value: Buffer;
  headers: string;
  timestamp_ms: number;
}

/**
 * The embedded log's SQLite file: its schema and every statement the log runs. WAL with
 * synchronous=FULL, so a committed transaction is on disk; exclusive locking mode, so one
 * process owns the file (a second one is refused with a message saying so).
 */
export class LogDatabase {
  private readonly db: Database.Database;
  private readonly stmt: {
    insert: Database.Statement;
    fetch: Database.Statement<[string, number, number, number], Row>;
    committed: Database.Statement<[string, string, number], { offset: number }>;
    commit: Database.Statement;
    createTopic: Database.Statement;
    saveEnd: Database.Statement;
    retention: Database.Statement<[number, number]>;
  };

  constructor(readonly path: string) {
    this.db = openDatabase(path);
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
      saveEnd: this.db.prepare(
        'INSERT INTO end_offsets (topic, partition, next_offset) VALUES (?, ?, ?) ON CONFLICT (topic, partition) DO UPDATE SET next_offset = excluded.next_offset',
      ),
      retention: this.db.prepare(
        'DELETE FROM records WHERE (topic, partition, offset) IN (SELECT topic, partition, offset FROM records WHERE timestamp_ms < ? LIMIT ?)',
      ),
    };
  }

  /** Every topic with its partition count. */
  topics(): { name: string; partitions: number }[] {
    return this.db.prepare('SELECT name, partitions FROM topics').all() as {
      name: string;
      partitions: number;
    }[];
  }

  /**
   * The offset each partition's next record gets. Kept apart from the records: offsets keep
   * growing after retention deletes old records, as in Kafka.
   */
  endOffsets(): { topic: string; partition: number; next: number }[] {
    return (
      this.db.prepare('SELECT topic, partition, next_offset FROM end_offsets').all() as {
        topic: string;
        partition: number;
        next_offset: number;
      }[]
    ).map((e) => ({ topic: e.topic, partition: e.partition, next: e.next_offset }));
  }

  /** Runs `work` in one transaction: all of it is on disk when this returns, or none of it. */
  transaction(work: () => void): void {
    this.db.transaction(work)();
  }

  insert(
    topic: string,
    partition: number,
    offset: number,
    record: { key: string; value: Uint8Array; headers?: Readonly<Record<string, string>> },
    timestampMs: number,
  ): void {
    this.stmt.insert.run(
      topic,
      partition,
      offset,
      record.key,
      record.value,
      JSON.stringify(record.headers ?? {}),
      timestampMs,
    );
  }

  saveEnd(topic: string, partition: number, next: number): void {
    this.stmt.saveEnd.run(topic, partition, next);
  }

  createTopic(name: string, partitions: number): void {
    this.stmt.createTopic.run(name, partitions);
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

  /** The group's committed offset, or undefined when it never committed on the partition. */
  committed(group: string, topic: string, partition: number): number | undefined {
    return this.stmt.committed.get(group, topic, partition)?.offset;
  }

  commit(group: string, offsets: Iterable<[string, number, number]>): void {
    this.transaction(() => {
      for (const [topic, partition, offset] of offsets) {
        this.stmt.commit.run(group, topic, partition, offset);
      }
    });
  }

  /** Deletes at most `slice` records appended before `before` (for deleteInSlices). */
  get retention(): Database.Statement<[number, number]> {
    return this.stmt.retention;
  }

  close(): void {
    this.db.close();
  }
}

function openDatabase(path: string): Database.Database {
  try {
    // Owner-only folder and files (the -wal file takes the database file's mode).
    ensurePrivateDir(dirname(path));
    ensurePrivateDatabase(path);
    const db = new Database(path);
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(`
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
    return db;
  } catch (err) {
    const failure = classifySqliteFailure(err);
    throw logError(
      failure,
      failure.code === 'SQLITE_BUSY'
        ? `embedded log ${path} is in use by another Fleetline process (one process owns it; stop the other or set FLEETLINE_DATA_DIR)`
        : `cannot open embedded log ${path}: ${failure.reason}`,
      err,
    );
  }
}
