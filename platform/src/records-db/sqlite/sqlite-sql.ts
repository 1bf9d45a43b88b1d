import type Database from 'better-sqlite3';
import { RecordsClosedError } from '../../errors.js';
import type { Sql, SqlDialect, SqlSession, SqlValue } from '../sql/sql.js';
import { recordsErrorOfSqlite } from './failures.js';

export const sqliteDialect: SqlDialect = {
  name: 'sqlite',
  jsonArray: (select) => `(SELECT json_group_array(q.x) FROM (${select}) q)`,
};

/** better-sqlite3 binds no booleans: SQLite keeps them as 1 and 0. */
const bind = (params: readonly SqlValue[]) =>
  params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));

/** How long a data_version read stands for the file's (changeMark). */
const VERSION_FRESH_MS = 1;

/** Prepared statements kept; past this many (lists of many ids make many texts) all are dropped. */
const MAX_STATEMENTS = 500;

/**
 * The books' statements on one better-sqlite3 connection. The driver is synchronous; a
 * transaction, though, spans awaits (the books' steps are async, as on PostgreSQL), and any
 * statement run on the connection meanwhile would join it. So every operation waits its turn:
 * one at a time, a transaction's statements with it. These are low-volume records; a turn
 * takes microseconds.
 */
export class SqliteSql implements Sql {
  readonly dialect = sqliteDialect;
  private readonly statements = new Map<string, Database.Statement>();
  private turn: Promise<unknown> = Promise.resolve();
  /** Operations queued or running: none means a single statement may run at once. */
  private pending = 0;
  private closed = false;
  /** Writes run on this connection (changeMark). */
  private writes = 0;
  private dataVersion: Database.Statement | undefined;
  /** data_version as last read, and when (performance.now()). */
  private version: unknown;
  private versionReadAt = Number.NEGATIVE_INFINITY;

  /** The session that runs statements at once: a transaction's, or one operation's. */
  private readonly now: SqlSession = {
    all: async <R>(sql: string, params: readonly SqlValue[] = []) =>
      this.guard(() => this.statement(sql).all(...bind(params)) as R[]),
    run: async (sql: string, params: readonly SqlValue[] = []) =>
      this.guard(() => this.statement(sql).run(...bind(params)).changes),
  };

  constructor(
    private readonly db: Database.Database,
    /** The file, for messages. */
    private readonly where: string,
  ) {}

  all<R>(sql: string, params: readonly SqlValue[] = []): Promise<R[]> {
    // Nothing waiting and no transaction open: the statement runs now, without queueing —
    // what every request's session read takes.
    if (this.idle()) return this.settled(() => this.statement(sql).all(...bind(params)) as R[]);
    return this.inTurn(() => this.now.all<R>(sql, params));
  }

  run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    if (this.idle()) return this.settled(() => this.statement(sql).run(...bind(params)).changes);
    return this.inTurn(() => this.now.run(sql, params));
  }

  transaction<T>(work: (tx: SqlSession) => Promise<T>): Promise<T> {
    return this.inTurn(async () => {
      // IMMEDIATE: the write lock now (waiting out another process's), not at the first write.
      this.guard(() => this.db.exec('BEGIN IMMEDIATE'));
      try {
        const result = await work(this.now);
        this.guard(() => this.db.exec('COMMIT'));
        return result;
      } catch (err) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw err;
      } finally {
        this.writes++;
      }
    });
  }

  /**
   * This connection's writes, and SQLite's data_version, which changes when another
   * connection — the admin CLI, another process — commits to the file. data_version opens a
   * read transaction (as costly as half a query), so it is read at most once a millisecond:
   * another process's write shows within one — as if the request had been checked just before
   * it — while this connection's own show at once.
   */
  changeMark(): string | undefined {
    if (this.closed) return undefined;
    const now = performance.now();
    if (now - this.versionReadAt >= VERSION_FRESH_MS) {
      this.dataVersion ??= this.db.prepare('PRAGMA data_version').pluck();
      this.version = this.guard(() => this.dataVersion?.get());
      this.versionReadAt = now;
    }
    return `${this.writes}.${this.version}`;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.turn;
    this.db.close();
  }

  private inTurn<T>(op: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new RecordsClosedError());
    this.pending++;
    const result = this.turn.then(op).finally(() => {
      this.pending--;
    });
    this.turn = result.catch(() => undefined);
    return result;
  }

  private idle(): boolean {
    return !this.closed && this.pending === 0 && !this.db.inTransaction;
  }

  /** Runs one statement now; its result or its (classified) error as a settled promise. */
  private settled<T>(op: () => T): Promise<T> {
    try {
      return Promise.resolve(this.guard(op));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  private statement(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      if (this.statements.size >= MAX_STATEMENTS) this.statements.clear();
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    // Counted before it runs: a read that starts after it sees a new mark.
    if (!s.readonly) this.writes++;
    return s;
  }

  private guard<T>(op: () => T): T {
    try {
      return op();
    } catch (err) {
      throw recordsErrorOfSqlite(err, this.where);
    }
  }
}
