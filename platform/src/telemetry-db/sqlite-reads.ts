import type Database from 'better-sqlite3';
import type {
  AlertQuery,
  AlertRecord,
  DeviceRecord,
  EventQuery,
  EventRow,
  SampleBucket,
  SampleBucketQuery,
  SampleQuery,
  ServiceRecordRow,
  VehicleSeen,
} from './port/index.js';

/**
 * The SQLite telemetry database's reads whose cost grows with the data — ranges of samples, their
 * buckets, lists of vehicles, devices, alerts, events and services. They run on a reader thread's
 * own read-only connection (see sqlite-read-worker.ts), never on the thread that serves devices.
 * Plain functions of a connection: no threads or messages here.
 */

export interface AlertRow {
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

export const alertOf = (r: AlertRow): AlertRecord => ({
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

export interface DeviceRow {
  device_id: string;
  secret_hash: string;
  created_ms: number;
  revoked_ms: number | null;
}

export const deviceOf = (r: DeviceRow): DeviceRecord => ({
  deviceId: r.device_id,
  secretHash: r.secret_hash,
  createdMs: r.created_ms,
  ...(r.revoked_ms === null ? {} : { revokedMs: r.revoked_ms }),
});

interface EventTableRow {
  device_id: string;
  t_ms: number;
  seq: number;
  kind: string;
  detail: string;
}

interface ServiceRecordTableRow {
  device_id: string;
  service_id: string;
  t_ms: number;
  odometer_km: number;
  done_by: string;
  note: string;
}

/**
 * Samples as two columns: typed arrays cross to the main thread without being copied
 * (transferred), where an array of objects would be cloned there, one object at a time.
 */
export interface SampleColumns {
  readonly timeMs: Float64Array;
  readonly value: Float64Array;
}

export class SqliteReads {
  private readonly stmt;

  constructor(db: Database.Database) {
    this.stmt = {
      querySamples: db
        .prepare<[string, number, number, number, number], [number, number]>(
          'SELECT t_ms, value FROM samples WHERE device_id = ? AND signal_id = ? AND t_ms >= ? AND t_ms < ? ORDER BY t_ms LIMIT ?',
        )
        .raw(),
      // Integer arithmetic for the bucket index: numbers are bound as REAL, and a REAL
      // division would put every sample into a bucket of its own. The inner LIMIT bounds
      // the work to maxSamples + 1 rows however large the range.
      bucketSamples: db.prepare<
        {
          device: string;
          signal: number;
          from: number;
          to: number;
          width: number;
          cap: number;
        },
        { i: number; n: number; mean: number; lo: number; hi: number }
      >(
        `SELECT (t_ms - CAST(@from AS INTEGER)) / CAST(@width AS INTEGER) AS i,
           count(*) AS n, avg(value) AS mean, min(value) AS lo, max(value) AS hi
         FROM (SELECT t_ms, value FROM samples
               WHERE device_id = @device AND signal_id = @signal AND t_ms >= @from AND t_ms < @to
               ORDER BY t_ms LIMIT @cap)
         GROUP BY i ORDER BY i`,
      ),
      listVehicles: db.prepare<[], { device_id: string; last_seen_ms: number }>(
        'SELECT device_id, last_seen_ms FROM vehicles ORDER BY device_id',
      ),
      listDevices: db.prepare<[], DeviceRow>('SELECT * FROM devices ORDER BY device_id'),
      listAlerts: db.prepare<
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
      listEvents: db.prepare<
        { device: string; from: number; to: number; kind: string | null; limit: number },
        EventTableRow
      >(
        'SELECT device_id, t_ms, seq, kind, detail FROM events WHERE device_id = @device AND t_ms >= @from AND t_ms < @to AND (@kind IS NULL OR kind = @kind) ORDER BY t_ms DESC, seq DESC LIMIT @limit',
      ),
      listServices: db.prepare<[string, number], ServiceRecordTableRow>(
        'SELECT * FROM service_records WHERE device_id = ? ORDER BY t_ms DESC, service_id LIMIT ?',
      ),
    };
  }

  querySamples(q: SampleQuery): SampleColumns {
    const times: number[] = [];
    const values: number[] = [];
    for (const [t, v] of this.stmt.querySamples.iterate(
      q.deviceId,
      q.signalId,
      q.fromMs,
      q.toMs,
      q.limit,
    )) {
      times.push(t);
      values.push(v);
    }
    return { timeMs: Float64Array.from(times), value: Float64Array.from(values) };
  }

  bucketSamples(q: SampleBucketQuery): SampleBucket[] | undefined {
    const rows = this.stmt.bucketSamples.all({
      device: q.deviceId,
      signal: q.signalId,
      from: q.fromMs,
      to: q.toMs,
      width: q.widthMs,
      cap: q.maxSamples + 1,
    });
    let read = 0;
    for (const r of rows) read += r.n;
    if (read > q.maxSamples) return undefined;
    return rows.map((r) => ({
      startMs: q.fromMs + r.i * q.widthMs,
      count: r.n,
      mean: r.mean,
      min: r.lo,
      max: r.hi,
    }));
  }

  listVehicles(): VehicleSeen[] {
    return this.stmt.listVehicles
      .all()
      .map((r) => ({ deviceId: r.device_id, lastSeenMs: r.last_seen_ms }));
  }

  listDevices(): DeviceRecord[] {
    return this.stmt.listDevices.all().map(deviceOf);
  }

  listAlerts(q: AlertQuery): AlertRecord[] {
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

  listEvents(q: EventQuery): EventRow[] {
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

  listServices(q: { deviceId: string; limit: number }): ServiceRecordRow[] {
    return this.stmt.listServices.all(q.deviceId, Math.max(0, q.limit)).map((r) => ({
      deviceId: r.device_id,
      serviceId: r.service_id,
      timeMs: r.t_ms,
      odometerKm: r.odometer_km,
      by: r.done_by,
      note: r.note,
    }));
  }
}

/** What a reader thread can be asked to do: each read takes one argument. */
export const sqliteReadOps = {
  querySamples: (r: SqliteReads, q: SampleQuery) => r.querySamples(q),
  bucketSamples: (r: SqliteReads, q: SampleBucketQuery) => r.bucketSamples(q),
  listVehicles: (r: SqliteReads, _: undefined) => r.listVehicles(),
  listDevices: (r: SqliteReads, _: undefined) => r.listDevices(),
  listAlerts: (r: SqliteReads, q: AlertQuery) => r.listAlerts(q),
  listEvents: (r: SqliteReads, q: EventQuery) => r.listEvents(q),
  listServices: (r: SqliteReads, q: { deviceId: string; limit: number }) => r.listServices(q),
} as const;

export type SqliteReadOps = typeof sqliteReadOps;
