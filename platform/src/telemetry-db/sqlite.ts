import { dirname } from 'node:path';
import { FleetlineError } from '@fleetline/proto';
import Database from 'better-sqlite3';
import { StoreClosedError } from '../errors.js';
import { storeError } from '../failures/failure.js';
import { classifySqliteFailure, sqliteFailureOf } from '../failures/sqlite.js';
import { ensurePrivateDatabase, ensurePrivateDir } from '../private-files.js';
import { deleteInSlices } from '../sqlite-slices.js';
import { classifyOperationFailures } from './operation-failures.js';
import {
  type ActorSnapshot,
  type AlertQuery,
  type AlertRecord,
  CLEARED_BY_DATA,
  type DeviceRecord,
  type DeviceStatusRow,
  type EventQuery,
  type EventRow,
  type HeldCommand,
  type RaisedAlert,
  type SampleBucket,
  type SampleBucketQuery,
  type SampleQuery,
  type SampleRow,
  type ServicePlanRow,
  type ServiceRecordRow,
  type StoredSample,
  type TelemetryDb,
  type VehicleSeen,
} from './port/index.js';
import { ReadPool } from './read-pool.js';
import {
  type AlertRow,
  alertOf,
  type DeviceRow,
  deviceOf,
  type SqliteReadOps,
} from './sqlite-reads.js';

/**
 * The embedded TelemetryDb adapter on SQLite. WAL mode lets other processes (the CLI) read and
 * write the same file while a server runs; synchronous=FULL makes a resolved write durable,
 * because the processor commits log offsets right after it.
 *
 * better-sqlite3 is synchronous, so a query blocks the thread it runs on. Writes and reads by
 * key (a device, an alert, a snapshot: microseconds) stay on the caller's thread, where
 * ingest runs. Reads whose cost grows with the data — ranges of samples, their buckets, the
 * lists — go to a few reader threads with read-only connections of their own (ReadPool), so
 * however many of them run, the event loop that acknowledges devices' publishes is not held.
 *
 * Every operation fails only with the TelemetryDb's errors, classified by SQLite's result code
 * (failures/sqlite.ts) wherever it ran: SQLITE_BUSY past the busy timeout (another process
 * writing, a long checkpoint) is StoreUnavailableError, which retry loops wait out; a value
 * a table refuses or a damaged file is StoreRejectedError. See the end of this module.
 */

export interface SqliteTelemetryDbOptions {
  path: string;
  /** 0: keep samples (and events) forever. */
  samplesTtlDays: number;
  /** Reader threads for the expensive reads; default 2. */
  readWorkers?: number;
  /** Expensive reads that may wait for a reader thread; more are refused. Default 32. */
  readQueue?: number;
  /**
   * How long a statement waits for another connection's lock (another process's write, a
   * checkpoint) before it fails with SQLITE_BUSY; default 5,000 ms.
   */
  busyTimeoutMs?: number;
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
  `CREATE TABLE alerts (
     alert_id TEXT PRIMARY KEY, device_id TEXT NOT NULL, type TEXT NOT NULL, severity TEXT NOT NULL,
     condition_key TEXT NOT NULL, raised_ms INTEGER NOT NULL, evidence TEXT NOT NULL,
     clears_when TEXT NOT NULL, state TEXT NOT NULL, cleared_ms INTEGER,
     acknowledged_ms INTEGER, acknowledged_by TEXT, resolved_ms INTEGER, resolved_by TEXT
   ) WITHOUT ROWID;
   CREATE INDEX alerts_by_time ON alerts (raised_ms);`,
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

interface ServicePlanTableRow {
  device_id: string;
  interval_km: number;
  interval_days: number;
  ahead_km: number;
  ahead_days: number;
  updated_ms: number;
  updated_by: string;
}

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

export class SqliteTelemetryDb implements TelemetryDb {
  readonly kind = 'sqlite' as const;
  /** The database file. */
  readonly path: string;
  private readonly db: Database.Database;
  private closed = false;
  private readonly expiry: NodeJS.Timeout;
  private readonly stmt;
  private readonly reads: ReadPool<SqliteReadOps>;

  constructor(options: SqliteTelemetryDbOptions) {
    this.path = options.path;
    const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    try {
      // Owner-only folder and files (the -wal and -shm files take the database file's mode).
      ensurePrivateDir(dirname(options.path));
      ensurePrivateDatabase(options.path);
      this.db = new Database(options.path);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
      this.migrate();
    } catch (err) {
      const failure = classifySqliteFailure(err);
      throw storeError(failure, `cannot open SQLite store ${options.path}: ${failure.reason}`, err);
    }
    this.stmt = {
      upsertSample: this.db.prepare(
        'INSERT INTO samples (device_id, signal_id, t_ms, value) VALUES (?, ?, ?, ?) ON CONFLICT (device_id, signal_id, t_ms) DO UPDATE SET value = excluded.value',
      ),
      markSeen: this.db.prepare(
        'INSERT INTO vehicles (device_id, last_seen_ms) VALUES (?, ?) ON CONFLICT (device_id) DO UPDATE SET last_seen_ms = max(last_seen_ms, excluded.last_seen_ms)',
      ),
      expire: this.db.prepare(
        'DELETE FROM samples WHERE (device_id, signal_id, t_ms) IN (SELECT device_id, signal_id, t_ms FROM samples WHERE t_ms < ? LIMIT ?)',
      ),
      getVehicle: this.db.prepare<[string], { last_seen_ms: number }>(
        'SELECT last_seen_ms FROM vehicles WHERE device_id = ?',
      ),
      addDevice: this.db.prepare(
        'INSERT INTO devices (device_id, secret_hash, created_ms) VALUES (?, ?, ?) ON CONFLICT (device_id) DO NOTHING',
      ),
      getDevice: this.db.prepare<[string], DeviceRow>('SELECT * FROM devices WHERE device_id = ?'),
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
      expireCommands: this.db.prepare(
        'DELETE FROM held_commands WHERE (device_id, command_id) IN (SELECT device_id, command_id FROM held_commands WHERE expires_ms < ? LIMIT ?)',
      ),
      saveSnapshot: this.db.prepare(
        'INSERT INTO actor_snapshots (actor_id, data, saved_ms) VALUES (?, ?, ?) ON CONFLICT (actor_id) DO UPDATE SET data = excluded.data, saved_ms = excluded.saved_ms WHERE excluded.saved_ms >= actor_snapshots.saved_ms',
      ),
      recordAlert: this.db.prepare(
        "INSERT INTO alerts (alert_id, device_id, type, severity, condition_key, raised_ms, evidence, clears_when, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open') ON CONFLICT (alert_id) DO NOTHING",
      ),
      clearAlert: this.db.prepare(
        "UPDATE alerts SET cleared_ms = coalesce(cleared_ms, ?), resolved_ms = coalesce(resolved_ms, ?), resolved_by = coalesce(resolved_by, ?), state = 'resolved' WHERE alert_id = ?",
      ),
      acknowledgeAlert: this.db.prepare(
        "UPDATE alerts SET state = 'acknowledged', acknowledged_ms = ?, acknowledged_by = ? WHERE alert_id = ? AND state = 'open'",
      ),
      resolveAlert: this.db.prepare(
        "UPDATE alerts SET state = 'resolved', resolved_ms = ?, resolved_by = ? WHERE alert_id = ? AND state != 'resolved'",
      ),
      getAlert: this.db.prepare<[string], AlertRow>('SELECT * FROM alerts WHERE alert_id = ?'),
      loadSnapshot: this.db.prepare<[string], { actor_id: string; data: string; saved_ms: number }>(
        'SELECT actor_id, data, saved_ms FROM actor_snapshots WHERE actor_id = ?',
      ),
      // The newest sample time wins, whatever order the writes come in.
      writeLatest: this.db.prepare(
        'INSERT INTO latest_values (device_id, signal_id, t_ms, value) VALUES (?, ?, ?, ?) ON CONFLICT (device_id, signal_id) DO UPDATE SET t_ms = excluded.t_ms, value = excluded.value WHERE excluded.t_ms >= latest_values.t_ms',
      ),
      latestValues: this.db.prepare<
        [string],
        { device_id: string; signal_id: number; t_ms: number; value: number }
      >(
        'SELECT device_id, signal_id, t_ms, value FROM latest_values WHERE device_id = ? ORDER BY signal_id',
      ),
      writeEvent: this.db.prepare(
        'INSERT INTO events (device_id, t_ms, seq, kind, detail) VALUES (?, ?, ?, ?, ?) ON CONFLICT (device_id, t_ms, seq) DO UPDATE SET kind = excluded.kind, detail = excluded.detail',
      ),
      expireEvents: this.db.prepare(
        'DELETE FROM events WHERE (device_id, t_ms, seq) IN (SELECT device_id, t_ms, seq FROM events WHERE t_ms < ? LIMIT ?)',
      ),
      recordStatus: this.db.prepare(
        'INSERT INTO device_status (device_id, state, t_ms, agent_version) VALUES (?, ?, ?, ?) ON CONFLICT (device_id) DO UPDATE SET state = excluded.state, t_ms = excluded.t_ms, agent_version = excluded.agent_version WHERE excluded.t_ms >= device_status.t_ms',
      ),
      getStatus: this.db.prepare<
        [string],
        { device_id: string; state: DeviceStatusRow['state']; t_ms: number; agent_version: string }
      >('SELECT device_id, state, t_ms, agent_version FROM device_status WHERE device_id = ?'),
      setServicePlan: this.db.prepare(
        'INSERT INTO service_plans (device_id, interval_km, interval_days, ahead_km, ahead_days, updated_ms, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (device_id) DO UPDATE SET interval_km = excluded.interval_km, interval_days = excluded.interval_days, ahead_km = excluded.ahead_km, ahead_days = excluded.ahead_days, updated_ms = excluded.updated_ms, updated_by = excluded.updated_by',
      ),
      getServicePlan: this.db.prepare<[string], ServicePlanTableRow>(
        'SELECT * FROM service_plans WHERE device_id = ?',
      ),
      recordService: this.db.prepare(
        'INSERT INTO service_records (device_id, service_id, t_ms, odometer_km, done_by, note) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (device_id, service_id) DO NOTHING',
      ),
    };
    // Started with the first expensive read: a CLI that registers a device starts none.
    this.reads = new ReadPool<SqliteReadOps>({
      script: new URL('./sqlite-read-worker.js', import.meta.url),
      workerData: { path: options.path, busyTimeoutMs },
      size: options.readWorkers ?? 2,
      maxQueue: options.readQueue ?? 32,
      name: `SQLite store ${options.path}`,
      // Classified with the rest (below), as if the read had failed on this thread.
      failure: sqliteFailureOf,
    });
    const ttlMs = options.samplesTtlDays * 86_400_000;
    // A round that fails (the file busy with another process's write, say) leaves the rows
    // to the next round: nothing is lost by deleting them later.
    const expire = () => void this.expireOld(ttlMs).catch(() => {});
    expire();
    this.expiry = setInterval(expire, 3600_000);
    this.expiry.unref();
  }

  private expiring = false;

  /** Deletes samples and events past the TTL and held commands past their grace, in slices. */
  private async expireOld(ttlMs: number): Promise<void> {
    if (this.expiring || this.closed) return;
    this.expiring = true;
    try {
      const now = Date.now();
      const rounds: [Database.Statement<[number, number]>, number][] = [];
      if (ttlMs > 0)
        rounds.push([this.stmt.expire, now - ttlMs], [this.stmt.expireEvents, now - ttlMs]);
      rounds.push([this.stmt.expireCommands, now - HELD_COMMAND_GRACE_MS]);
      // A slice at a time (sqlite-slices.ts), so a backlog never holds ingest for seconds.
      for (const [statement, before] of rounds) {
        await deleteInSlices(statement, before, () => this.closed);
      }
    } finally {
      this.expiring = false;
    }
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
    const { timeMs, value } = await this.reads.run('querySamples', q);
    const out: StoredSample[] = new Array(timeMs.length);
    for (let i = 0; i < timeMs.length; i++) out[i] = { timeMs: timeMs[i]!, value: value[i]! };
    return out;
  }

  async bucketSamples(q: SampleBucketQuery): Promise<SampleBucket[] | undefined> {
    this.assertOpen();
    if (!(Number.isInteger(q.widthMs) && q.widthMs >= 1)) {
      throw new RangeError(`bucket width must be a whole number of ms ≥ 1, not ${q.widthMs}`);
    }
    return this.reads.run('bucketSamples', q);
  }

  async markSeen(vehicles: readonly VehicleSeen[]): Promise<void> {
    this.assertOpen();
    this.db.transaction(() => {
      for (const v of vehicles) this.stmt.markSeen.run(v.deviceId, v.lastSeenMs);
    })();
  }

  async listVehicles(): Promise<VehicleSeen[]> {
    this.assertOpen();
    return this.reads.run('listVehicles', undefined);
  }

  async getVehicle(deviceId: string): Promise<VehicleSeen | undefined> {
    this.assertOpen();
    const row = this.stmt.getVehicle.get(deviceId);
    return row ? { deviceId, lastSeenMs: row.last_seen_ms } : undefined;
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
    return this.reads.run('listDevices', undefined);
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

  async recordAlertRaised(a: RaisedAlert): Promise<void> {
    this.assertOpen();
    this.stmt.recordAlert.run(
      a.alertId,
      a.deviceId,
      a.type,
      a.severity,
      a.conditionKey,
      a.raisedMs,
      JSON.stringify(a.evidence),
      a.clearsWhen,
    );
  }

  async recordAlertCleared(alertId: string, clearedMs: number): Promise<void> {
    this.assertOpen();
    this.stmt.clearAlert.run(clearedMs, clearedMs, CLEARED_BY_DATA, alertId);
  }

  async acknowledgeAlert(alertId: string, by: string, atMs: number) {
    this.assertOpen();
    this.stmt.acknowledgeAlert.run(atMs, by, alertId);
    return this.getAlert(alertId);
  }

  async resolveAlert(alertId: string, by: string, atMs: number) {
    this.assertOpen();
    this.stmt.resolveAlert.run(atMs, by, alertId);
    return this.getAlert(alertId);
  }

  async getAlert(alertId: string): Promise<AlertRecord | undefined> {
    this.assertOpen();
    const row = this.stmt.getAlert.get(alertId);
    return row ? alertOf(row) : undefined;
  }

  async listAlerts(q: AlertQuery): Promise<AlertRecord[]> {
    this.assertOpen();
    return this.reads.run('listAlerts', q);
  }

  async writeLatest(rows: readonly SampleRow[]): Promise<void> {
    this.assertOpen();
    this.db.transaction(() => {
      for (const r of rows) this.stmt.writeLatest.run(r.deviceId, r.signalId, r.timeMs, r.value);
    })();
  }

  async latestValues(deviceId: string): Promise<SampleRow[]> {
    this.assertOpen();
    return this.stmt.latestValues.all(deviceId).map((r) => ({
      deviceId: r.device_id,
      signalId: r.signal_id,
      timeMs: r.t_ms,
      value: r.value,
    }));
  }

  async writeEvents(rows: readonly EventRow[]): Promise<void> {
    this.assertOpen();
    this.db.transaction(() => {
      for (const e of rows) this.stmt.writeEvent.run(e.deviceId, e.timeMs, e.seq, e.kind, e.detail);
    })();
  }

  async listEvents(q: EventQuery): Promise<EventRow[]> {
    this.assertOpen();
    return this.reads.run('listEvents', q);
  }

  async recordStatus(status: DeviceStatusRow): Promise<void> {
    this.assertOpen();
    this.stmt.recordStatus.run(status.deviceId, status.state, status.timeMs, status.agentVersion);
  }

  async getStatus(deviceId: string): Promise<DeviceStatusRow | undefined> {
    this.assertOpen();
    const row = this.stmt.getStatus.get(deviceId);
    return row
      ? {
          deviceId: row.device_id,
          state: row.state,
          timeMs: row.t_ms,
          agentVersion: row.agent_version,
        }
      : undefined;
  }

  async setServicePlan(p: ServicePlanRow): Promise<void> {
    this.assertOpen();
    this.stmt.setServicePlan.run(
      p.deviceId,
      p.intervalKm,
      p.intervalDays,
      p.aheadKm,
      p.aheadDays,
      p.updatedMs,
      p.updatedBy,
    );
  }

  async getServicePlan(deviceId: string): Promise<ServicePlanRow | undefined> {
    this.assertOpen();
    const r = this.stmt.getServicePlan.get(deviceId);
    return r
      ? {
          deviceId: r.device_id,
          intervalKm: r.interval_km,
          intervalDays: r.interval_days,
          aheadKm: r.ahead_km,
          aheadDays: r.ahead_days,
          updatedMs: r.updated_ms,
          updatedBy: r.updated_by,
        }
      : undefined;
  }

  async recordService(r: ServiceRecordRow): Promise<void> {
    this.assertOpen();
    this.stmt.recordService.run(r.deviceId, r.serviceId, r.timeMs, r.odometerKm, r.by, r.note);
  }

  async listServices(deviceId: string, limit: number): Promise<ServiceRecordRow[]> {
    this.assertOpen();
    return this.reads.run('listServices', { deviceId, limit });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.expiry);
    await this.reads.close();
    this.db.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreClosedError();
  }
}

/**
 * One place for every operation's failure: SQLite's errors (and anything else a statement
 * throws, such as a value it cannot bind) become the TelemetryDb's by their result code;
 * its own errors (closed, too busy to read, a reader thread lost) pass unchanged.
 */
classifyOperationFailures(SqliteTelemetryDb, (telemetryDb, operation, err) => {
  if (err instanceof FleetlineError) return err;
  const failure = classifySqliteFailure(err);
  return storeError(
    failure,
    `SQLite store ${telemetryDb.path}: ${operation} failed: ${failure.reason}`,
    err,
  );
});
