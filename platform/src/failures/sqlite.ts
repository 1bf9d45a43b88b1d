import Database from 'better-sqlite3';
import { codeOf, type DriverFailure } from './failure.js';

/**
 * better-sqlite3's failures, by the SqliteError's `code`: SQLite's result code name, primary
 * or extended (SQLITE_BUSY, SQLITE_CONSTRAINT_NOTNULL, … — sqlite.org/rescode.html). An
 * extended code is read by its primary code, the part before its second underscore.
 */

/**
 * Another connection holds the lock (BUSY, LOCKED), the disk is full or failed an operation
 * (FULL, IOERR), the file cannot be opened right now (CANTOPEN), or the schema changed under a
 * prepared statement (SCHEMA): a later attempt may succeed. The rest — constraint violations,
 * type mismatches, too big, read-only, corrupt, misuse, SQL errors — fail again the same way.
 */
const RETRYABLE = new Set([
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_FULL',
  'SQLITE_IOERR',
  'SQLITE_CANTOPEN',
  'SQLITE_SCHEMA',
  'SQLITE_PROTOCOL',
]);

const primary = (code: string) => code.split('_').slice(0, 2).join('_');

export function classifySqliteFailure(err: unknown): DriverFailure {
  const e = err as Error & { code?: unknown };
  if (e instanceof Database.SqliteError) {
    const code = codeOf(e) ?? 'SQLITE_ERROR';
    return { retryable: RETRYABLE.has(primary(code)), code, reason: `${code}: ${e.message}` };
  }
  return { retryable: false, reason: e?.message ?? String(err) };
}

/**
 * A failure a reader thread reported (its message and code: errors cross threads as plain
 * data) as the error it was there: SQLite's own error when the code is one of SQLite's, so it
 * is classified as if it had happened on this thread; a plain Error otherwise.
 */
export function sqliteFailureOf(message: string, code: string | undefined): Error {
  if (code?.startsWith('SQLITE_')) return new Database.SqliteError(message, code);
  return Object.assign(new Error(message), code === undefined ? {} : { code });
}
