import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ensurePrivateDatabase, ensurePrivateDir } from '../../private-files.js';
import { migrate } from './schema.js';

/**
 * Opens the writer's connection to the database file, its schema brought up to date. WAL
 * mode lets other processes (the CLI) read and write the same file while a server runs;
 * synchronous=FULL makes a resolved write durable, because the processor commits log offsets
 * right after it. Throws what SQLite throws; the caller classifies it.
 */
export function openWriter(path: string, busyTimeoutMs: number): Database.Database {
  // Owner-only folder and files (the -wal and -shm files take the database file's mode).
  ensurePrivateDir(dirname(path));
  ensurePrivateDatabase(path);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  migrate(db);
  return db;
}
