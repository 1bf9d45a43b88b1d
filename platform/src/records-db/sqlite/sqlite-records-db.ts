import { SqlRecordsDb } from '../sql/sql-records-db.js';
import { openRecordsFile } from './connection.js';
import { recordsErrorOfSqlite } from './failures.js';
import { SqliteSql } from './sqlite-sql.js';

export interface SqliteRecordsDbOptions {
  /** The database file; created (owner-only, with its folder) when missing. */
  readonly path: string;
  /**
   * How long a statement waits for another connection's lock (the CLI writing, another
   * process migrating) before it fails with RecordsUnavailableError; default 5,000 ms.
   */
  readonly busyTimeoutMs?: number;
}

/**
 * The embedded RecordsDb adapter on SQLite: one file in the data folder, its schema migrated
 * when it opens. better-sqlite3 is synchronous; the records are few and their statements
 * take microseconds, so they run on the caller's thread.
 */
export class SqliteRecordsDb extends SqlRecordsDb {
  /** The database file. */
  readonly path: string;

  constructor(options: SqliteRecordsDbOptions) {
    const where = `SQLite records ${options.path}`;
    let sql: SqliteSql;
    try {
      sql = new SqliteSql(openRecordsFile(options.path, options.busyTimeoutMs ?? 5000), where);
    } catch (err) {
      throw recordsErrorOfSqlite(err, `cannot open ${where}`);
    }
    super('sqlite', sql);
    this.path = options.path;
  }
}
