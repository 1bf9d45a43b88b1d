import type Database from 'better-sqlite3';
import { pendingMigrations, schemaMigrationsTable } from '../sql/migrations.js';

/**
 * Brings the file's schema up to date: the migrations it has not had, all in one
 * transaction with their rows in schema_migrations. BEGIN IMMEDIATE takes the file's write
 * lock before anything is read, so a second process opening the same fresh file waits (its
 * busy timeout) and then finds them applied: each is applied once.
 */
export function migrateSqlite(db: Database.Database, where: string): void {
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec(schemaMigrationsTable);
    const applied = db
      .prepare<[], { version: number }>('SELECT version FROM schema_migrations')
      .all()
      .map((r) => r.version);
    const record = db.prepare(
      'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
    );
    for (const m of pendingMigrations(applied, where)) {
      db.exec(m.sql('sqlite'));
      record.run(m.version, m.name, Date.now());
    }
    db.exec('COMMIT');
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  }
}
