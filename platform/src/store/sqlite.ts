import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreClosedError } from '../errors.js';
import { storeError } from '../failures/failure.js';
import { classifySqliteFailure } from '../failures/sqlite.js';
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
  type SampleQuery,
  type SampleRow,
  type ServicePlanRow,
  type ServiceRecordRow,
  type Store,
  type StoredSample,
  type VehicleSeen,
} from './port.js';

/**
 * The embedded Store adapter on SQLite. WAL mode lets other processes (the CLI) read and
 * write the same file while a server runs; synchronous=FULL makes a resolved write durable,
 * because the processor commits log offsets right after it.
 */

export interface SqliteStoreOptions {
  path: string;
  /** 0: keep samples (and events) forever. */
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

interface EventTableRow {
  device_id: string;
  t_ms: number;
  seq: number;
  kind: string;
  detail: string;
}

interface ServicePlanTableRow {
  device_id: string;
  interval_km: number;
  interval_days: number;
  ahead_km: number;
  ahead_days: number;
  updated_ms: number;
  updated_by: string;
}

interface ServiceRecordTableRow {
  device_id: string;
  service_id: string;
  t_ms: number;
  odometer_km: number;
  done_by: string;
  note: string;
}

interface AlertRow {
  alert_id: string;
  device_id: string;
  type: string;
  severity: string;
  condition_key: string;
  raised_ms: number;
  evidence: string;
  clears_when: string;
  state: AlertRecord['state'];
  cleared_ms: number | null;
  acknowledged_ms: number | null;
  acknowledged_by: string | null;
  resolved_ms: number | null;
  resolved_by: string | null;
}

const alertOf = (r: AlertRow): AlertRecord => ({
  alertId: r.alert_id,
  deviceId: r.device_id,
  type: r.type,
  severity: r.severity,
  conditionKey: r.condition_key,
  raisedMs: r.raised_ms,
  evidence: JSON.parse(r.evidence) as AlertRecord['evidence'],
  clearsWhen: r.clears_when,
  state: r.state,
  ...(r.cleared_ms === null ? {} : { clearedMs: r.cleared_ms }),
  ...(r.acknowledged_ms === null ? {} : { acknowledgedMs: r.acknowledged_ms }),
  ...(r.acknowledged_by === null ? {} : { acknowledgedBy: r.acknowledged_by }),
  ...(r.resolved_ms === null ? {} : { resolvedMs: r.resolved_ms }),
  ...(r.resolved_by === null ? {} : { resolvedBy: r.resolved_by }),
});

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
      const failure = classifySqliteFailure(err);
      throw storeError(failure, `cannot open SQLite store ${options.path}: ${failure.reason}`, err);
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
      getVehicle: this.db.prepare<[string], { last_seen_ms: number }>(
        'SELECT last_seen_ms FROM vehicles WHERE device_id = ?',
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
      listAlerts: this.db.prepare<
        {
          from: number;
          to: number;
          device: string | null;
          type: string | null;
          state: string | null;
          limit: number;
        },
        AlertRow
      >(
        'SELECT * FROM alerts WHERE raised_ms >= @from AND raised_ms < @to AND (@device IS NULL OR device_id = @device) AND (@type IS NULL OR type = @type) AND (@state IS NULL OR state = @state) ORDER BY raised_ms DESC, alert_id LIMIT @limit',
      ),
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
      listEvents: this.db.prepare<
        { device: string; from: number; to: number; kind: string | null; limit: number },
        EventTableRow
      >(
        'SELECT device_id, t_ms, seq, kind, detail FROM events WHERE device_id = @device AND t_ms >= @from AND t_ms < @to AND (@kind IS NULL OR kind = @kind) ORDER BY t_ms DESC, seq DESC LIMIT @limit',
      ),
      expireEvents: this.db.prepare('DELETE FROM events WHERE t_ms < ?'),
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
      listServices: this.db.prepare<[string, number], ServiceRecordTableRow>(
        'SELECT * FROM service_records WHERE device_id = ? ORDER BY t_ms DESC, service_id LIMIT ?',
      ),
    };
    const ttlMs = options.samplesTtlDays * 86_400_000;
    const expire = () => {
      if (this.closed) return;
      if (ttlMs > 0) {
        this.stmt.expire.run(Date.now() - ttlMs);
        this.stmt.expireEvents.run(Date.now() - ttlMs);
      }
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
    return this.stmt.listAlerts
      .all({
        from: q.fromMs,
        to: q.toMs,
        device: q.deviceId ?? null,
        type: q.type ?? null,
        state: q.state ?? null,
        limit: q.limit,
      })
      .map(alertOf);
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
    return this.stmt.listEvents
      .all({
        device: q.deviceId,
        from: q.fromMs,
        to: q.toMs,
        kind: q.kind ?? null,
        limit: Math.max(0, q.limit),
      })
      .map((r) => ({
        deviceId: r.device_id,
        seq: r.seq,
        timeMs: r.t_ms,
        kind: r.kind,
        detail: r.detail,
      }));
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
    return this.stmt.listServices.all(deviceId, Math.max(0, limit)).map((r) => ({
      deviceId: r.device_id,
      serviceId: r.service_id,
      timeMs: r.t_ms,
      odometerKm: r.odometer_km,
      by: r.done_by,
      note: r.note,
    }));
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
