import { FleetlineError } from '@fleetline/proto';
import Database from 'better-sqlite3';
import { RecordsRejectedError, RecordsUnavailableError } from '../../errors.js';
import { classifySqliteFailure } from '../../failures/sqlite.js';
import { missingReference, uniqueConflict } from '../sql/constraints.js';

/**
 * SQLite's failures as the RecordsDb's errors, by result code (sqlite.org/rescode.html): a
 * unique key taken is a RecordConflictError naming the field; a reference to nothing is
 * rejected; a lock held past the busy timeout, a full or failing disk may pass
 * (RecordsUnavailableError); the rest fail again the same way (RecordsRejectedError).
 */

/**
 * The columns of a unique constraint SQLite reports failing. Its result carries no constraint
 * name, only this text, whose form ("UNIQUE constraint failed: t.a, t.b") has been the same
 * since SQLite 3.8.2; the contract suite's conflict cases catch a change.
 */
const uniqueColumns = (message: string) => /^UNIQUE constraint failed: (.+)$/.exec(message)?.[1];

export function recordsErrorOfSqlite(err: unknown, where: string): Error {
  if (err instanceof FleetlineError) return err;
  if (err instanceof Database.SqliteError) {
    if (err.code === 'SQLITE_CONSTRAINT_UNIQUE' || err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
      const columns = uniqueColumns(err.message);
      if (columns) return uniqueConflict({ columns }, err);
    }
    if (err.code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return missingReference(undefined, where, err);
  }
  const failure = classifySqliteFailure(err);
  const details = { cause: err, ...(failure.code ? { driverCode: failure.code } : {}) };
  const message = `${where}: ${failure.reason}`;
  return failure.retryable
    ? new RecordsUnavailableError(message, details)
    : new RecordsRejectedError(message, details);
}
