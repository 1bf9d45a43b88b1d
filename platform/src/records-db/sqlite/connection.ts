import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ensurePrivateDatabase, ensurePrivateDir } from '../../private-files.js';
import { migrateSqlite } from './migrate.js';

/**
 * Opens the records' database file, its schema brought up to date. The busy timeout comes
 * first, so that every later step waits out another process's lock rather than failing: WAL
 * lets the CLI and a server use the file at once; synchronous=FULL makes a resolved write
 * durable; foreign keys are off in SQLite unless each connection turns them on. Throws what
 * SQLite throws; the caller classifies it.
 */
export function openRecordsFile(path: string, busyTimeoutMs: number): Database.Database {
  // Owner-only folder and files (the -wal and -shm files take the database file's mode).
  ensurePrivateDir(dirname(path));
  ensurePrivateDatabase(path);
  const db = new Database(path);
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrateSqlite(db, `SQLite records ${path}`);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
