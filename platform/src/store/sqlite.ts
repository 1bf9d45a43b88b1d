import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreClosedError, StoreUnavailableError } from '../errors.js';
import type {
  ActorSnapshot,
  DeviceRecord,
  HeldCommand,
  SampleQuery,
  SampleRow,
  Store,
  StoredSample,
  VehicleSeen,
} from './port.js';

/**
 * The embedded Store adapter on SQLite. WAL mode lets other processes (the CLI) read and
 * write the same file while a server runs; synchronous=FULL makes a resolved write durable,
 * because the processor commits log offsets right after it.
 */

export interface SqliteStoreOptions {
  path: string;
  /** 0: keep samples forever. */
  samplesTtlDays: number;
}

/** Versioned migrations, applied in order at open; never edit one that has shipped. */
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
];

/** Held commands are kept this long past their expiry, then deleted. */
const HELD_COMMAND_GRACE_MS = 3600_000;

interface HeldCommandRow {
  device_id: string;
  command_id: string;
  payload: Buffer;
  expires_ms: number;
  logged_ms: number;
  log_offset: number;
}

interface DeviceRow {
  device_id: string;
  secret_hash: string;
  created_ms: number;
  revoked_ms: number | null;
}

const deviceOf = (r: DeviceRow): DeviceRecord => ({
  deviceId: r.device_id,
  secretHash: r.secret_hash,
  createdMs: r.created_ms,
  ...(r.revoked_ms === null ? {} : { revokedMs: r.revoked_ms }),
});

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private closed = false;
  private readonly expiry: NodeJS.Timeout;
  private readonly stmt;

  constructor(options: SqliteStoreOptions) {
    mkdirSync(dirname(options.path), { recursive: true });
    try {
      this.db = new Database(options.path);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.db.pragma('busy_timeout = 5000');
      this.migrate();
    } catch (err) {
      throw new StoreUnavailableError(
        `cannot open SQLite store ${options.path}: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
    this.stmt = {
      upsertSample: this.db.prepare(
        'INSERT INTO samples (device_id, signal_id, t_ms, value) VALUES (?, ?, ?, ?) ON CONFLICT (device_id, signal_id, t_ms) DO UPDATE SET value = excluded.value',
      ),
      querySamples: this.db.prepare<
        [string, number, number, number, number],
        { t_ms: number; value: number }
      >(
        'SELECT t_ms, value FROM samples WHERE device_id = ? AND signal_id = ? AND t_ms >= ? AND t_ms < ? ORDER BY t_ms LIMIT ?',
      ),
      markSeen: this.db.prepare(
        'INSERT INTO vehicles (device_id, last_seen_ms) VALUES (?, ?) ON CONFLICT (device_id) DO UPDATE SET last_seen_ms = max(last_seen_ms, excluded.last_seen_ms)',
      ),
      listVehicles: this.db.prepare<[], { device_id: string; last_seen_ms: number }>(
        'SELECT device_id, last_seen_ms FROM vehicles ORDER BY device_id',
      ),
      expire: this.db.prepare('DELETE FROM samples WHERE t_ms < ?'),
      addDevice: this.db.prepare(
        'INSERT INTO devices (device_id, secret_hash, created_ms) VALUES (?, ?, ?) ON CONFLICT (device_id) DO NOTHING',
      ),
      getDevice: this.db.prepare<[string], DeviceRow>('SELECT * FROM devices WHERE device_id = ?'),
      listDevices: this.db.prepare<[], DeviceRow>('SELECT * FROM devices ORDER BY device_id'),
      revokeDevice: this.db.prepare(
        'UPDATE devices SET revoked_ms = coalesce(revoked_ms, ?) WHERE device_id = ?',
      ),
      holdCommand: this.db.prepare(
        'INSERT INTO held_commands (device_id, command_id, payload, expires_ms, logged_ms, log_offset) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (device_id, command_id) DO NOTHING',
      ),
      pendingCommands: this.db.prepare<[string, number], HeldCommandRow>(
        'SELECT device_id, command_id, payload, expires_ms, logged_ms, log_offset FROM held_commands WHERE device_id = ? AND acked_ms IS NULL AND expires_ms > ? ORDER BY logged_ms, log_offset',
      ),
      // An acknowledgement for a command never held here is kept too, so holding it later
      // (a gateway reading the log late) cannot bring it back.
      acknowledgeCommand: this.db.prepare(
        "INSERT INTO held_commands (device_id, command_id, payload, expires_ms, logged_ms, log_offset, acked_ms) VALUES (?, ?, x'', ?, 0, 0, ?) ON CONFLICT (device_id, command_id) DO UPDATE SET acked_ms = coalesce(acked_ms, excluded.acked_ms)",
      ),
      expireCommands: this.db.prepare('DELETE FROM held_commands WHERE expires_ms < ?'),
      saveSnapshot: this.db.prepare(
        'INSERT INTO actor_snapshots (actor_id, data, saved_ms) VALUES (?, ?, ?) ON CONFLICT (actor_id) DO UPDATE SET data = excluded.data, saved_ms = excluded.saved_ms WHERE excluded.saved_ms >= actor_snapshots.saved_ms',
      ),
      loadSnapshot: this.db.prepare<[string], { actor_id: string; data: string; saved_ms: number }>(
        'SELECT actor_id, data, saved_ms FROM actor_snapshots WHERE actor_id = ?',
      ),
    };
    const ttlMs = options.samplesTtlDays * 86_400_000;
    const expire = () => {
      if (this.closed) return;
      if (ttlMs > 0) this.stmt.expire.run(Date.now() - ttlMs);
      this.stmt.expireCommands.run(Date.now() - HELD_COMMAND_GRACE_MS);
    };
    expire();
    this.expiry = setInterval(expire, 3600_000);
    this.expiry.unref();
  }

  private migrate(): void {
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at_ms INTEGER NOT NULL)',
    );
    const applied = new Set(
      (this.db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
        (r) => r.version,
      ),
    );
    migrations.forEach((sql, i) => {
      const version = i + 1;
      if (applied.has(version)) return;
      this.db.transaction(() => {
        this.db.exec(sql);
        this.db
          .prepare('INSERT INTO schema_migrations (version, applied_at_ms) VALUES (?, ?)')
          .run(version, Date.now());
      })();
    });
  }

  async writeSamples(rows: readonly SampleRow[]): Promise<void> {
    this.assertOpen();
    this.db.transaction(() => {
      for (const r of rows) this.stmt.upsertSample.run(r.deviceId, r.signalId, r.timeMs, r.value);
    })();
  }

  async querySamples(q: SampleQuery): Promise<StoredSample[]> {
    this.assertOpen();
    return this.stmt.querySamples
      .all(q.deviceId, q.signalId, q.fromMs, q.toMs, q.limit)
      .map((r) => ({ timeMs: r.t_ms, value: r.value }));
  }

  async markSeen(vehicles: readonly VehicleSeen[]): Promise<void> {
    this.assertOpen();
    this.db.transaction(() => {
      for (const v of vehicles) this.stmt.markSeen.run(v.deviceId, v.lastSeenMs);
    })();
  }

  async listVehicles(): Promise<VehicleSeen[]> {
    this.assertOpen();
    return this.stmt.listVehicles
      .all()
      .map((r) => ({ deviceId: r.device_id, lastSeenMs: r.last_seen_ms }));
  }

  async addDevice(record: DeviceRecord): Promise<boolean> {
    this.assertOpen();
    return (
      this.stmt.addDevice.run(record.deviceId, record.secretHash, record.createdMs).changes === 1
    );
  }

  async getDevice(deviceId: string): Promise<DeviceRecord | undefined> {
    this.assertOpen();
    const row = this.stmt.getDevice.get(deviceId);
    return row ? deviceOf(row) : undefined;
  }

  async listDevices(): Promise<DeviceRecord[]> {
    this.assertOpen();
    return this.stmt.listDevices.all().map(deviceOf);
  }

  async revokeDevice(deviceId: string, atMs: number): Promise<boolean> {
    this.assertOpen();
    return this.stmt.revokeDevice.run(atMs, deviceId).changes === 1;
  }

  async holdCommand(c: HeldCommand): Promise<void> {
    this.assertOpen();
    this.stmt.holdCommand.run(
      c.deviceId,
      c.commandId,
      Buffer.from(c.payload.buffer, c.payload.byteOffset, c.payload.byteLength),
      c.expiresMs,
      c.loggedMs,
      c.logOffset,
    );
  }

  async pendingCommands(deviceId: string, nowMs: number): Promise<HeldCommand[]> {
    this.assertOpen();
    return this.stmt.pendingCommands.all(deviceId, nowMs).map((r) => ({
      deviceId: r.device_id,
      commandId: r.command_id,
      payload: new Uint8Array(r.payload),
      expiresMs: r.expires_ms,
      loggedMs: r.logged_ms,
      logOffset: r.log_offset,
    }));
  }

  async acknowledgeCommand(deviceId: string, commandId: string, atMs: number): Promise<void> {
    this.assertOpen();
    // An acknowledgement without a held row expires with the grace period.
    this.stmt.acknowledgeCommand.run(deviceId, commandId, atMs, atMs);
  }

  async saveSnapshot(snapshot: ActorSnapshot): Promise<void> {
    this.assertOpen();
    this.stmt.saveSnapshot.run(snapshot.actorId, snapshot.data, snapshot.savedMs);
  }

  async loadSnapshot(actorId: string): Promise<ActorSnapshot | undefined> {
    this.assertOpen();
    const row = this.stmt.loadSnapshot.get(actorId);
    return row ? { actorId: row.actor_id, data: row.data, savedMs: row.saved_ms } : undefined;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.expiry);
    this.db.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreClosedError();
  }
}
