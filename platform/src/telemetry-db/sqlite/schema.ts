import type Database from 'better-sqlite3';

/**
 * A migration whose tables are no longer used: it keeps its version number, so the versions
 * after it and those files have recorded keep their meaning, and does nothing. Files that
 * applied it keep its tables and rows; new files do not get them. Version 5 made the alert
 * book, which now lives in the business records (records-db).
 */
const RETIRED = '';

/**
 * Versioned migrations, applied in order at open; never edit one that has shipped, only retire
 * it (above).
 */
const migrations: readonly string[] = [
  `CREATE TABLE samples (
     device_id TEXT NOT NULL, signal_id INTEGER NOT NULL, t_ms INTEGER NOT NULL, value REAL NOT NULL,
     PRIMARY KEY (device_id, signal_id, t_ms)) WITHOUT ROWID;
   CREATE INDEX samples_by_time ON samples (t_ms);
   CREATE TABLE vehicles (device_id TEXT PRIMARY KEY, last_seen_ms INTEGER NOT NULL) WITHOUT ROWID;`,
  `CREATE TABLE devices (
     device_id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL, created_ms INTEGER NOT NULL,
     revoked_ms INTEGER) WITHOUT ROWID;`,
  `CREATE TABLE held_commands (
     device_id TEXT NOT NULL, command_id TEXT NOT NULL, payload BLOB NOT NULL,
     expires_ms INTEGER NOT NULL, logged_ms INTEGER NOT NULL, log_offset INTEGER NOT NULL,
     acked_ms INTEGER, PRIMARY KEY (device_id, command_id)) WITHOUT ROWID;
   CREATE INDEX held_commands_by_expiry ON held_commands (expires_ms);`,
  `CREATE TABLE actor_snapshots (
     actor_id TEXT PRIMARY KEY, data TEXT NOT NULL, saved_ms INTEGER NOT NULL) WITHOUT ROWID;`,
  // 5: the alert book (retired).
  RETIRED,
  // Latest value per signal and the device's status keep the newest by time (upserts with a
  // WHERE); events expire with the samples; plans and service records are kept for good.
  `CREATE TABLE latest_values (
     device_id TEXT NOT NULL, signal_id INTEGER NOT NULL, t_ms INTEGER NOT NULL, value REAL NOT NULL,
     PRIMARY KEY (device_id, signal_id)) WITHOUT ROWID;
   CREATE TABLE events (
     device_id TEXT NOT NULL, t_ms INTEGER NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL,
     detail TEXT NOT NULL, PRIMARY KEY (device_id, t_ms, seq)) WITHOUT ROWID;
   CREATE INDEX events_by_time ON events (t_ms);
   CREATE TABLE device_status (
     device_id TEXT PRIMARY KEY, state TEXT NOT NULL, t_ms INTEGER NOT NULL,
     agent_version TEXT NOT NULL) WITHOUT ROWID;
   CREATE TABLE service_plans (
     device_id TEXT PRIMARY KEY, interval_km REAL NOT NULL, interval_days REAL NOT NULL,
     ahead_km REAL NOT NULL, ahead_days REAL NOT NULL, updated_ms INTEGER NOT NULL,
     updated_by TEXT NOT NULL) WITHOUT ROWID;
   CREATE TABLE service_records (
     device_id TEXT NOT NULL, service_id TEXT NOT NULL, t_ms INTEGER NOT NULL,
     odometer_km REAL NOT NULL, done_by TEXT NOT NULL, note TEXT NOT NULL,
     PRIMARY KEY (device_id, service_id)) WITHOUT ROWID;
   CREATE INDEX service_records_by_time ON service_records (device_id, t_ms DESC, service_id);`,
];

/** Applies the migrations the file has not had yet, each in a transaction with its version. */
export function migrate(db: Database.Database): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at_ms INTEGER NOT NULL)',
  );
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
      (r) => r.version,
    ),
  );
  migrations.forEach((sql, i) => {
    const version = i + 1;
    if (applied.has(version)) return;
    db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at_ms) VALUES (?, ?)').run(
        version,
        Date.now(),
      );
    })();
  });
}
