import type Database from 'better-sqlite3';
import {
  type AlertQuery,
  type AlertRecord,
  type AlertTable,
  CLEARED_BY_DATA,
  type RaisedAlert,
} from '../port/alerts.js';
import type { ReadPool } from './read-pool.js';
import type { SqliteReadOps } from './reads.js';

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

/**
 * Alerts in one table with their state as a column: each change is one UPDATE whose WHERE
 * says which states it applies to. Lists are read on a reader thread.
 */
export class SqliteAlerts implements AlertTable {
  private readonly record;
  private readonly clear;
  private readonly acknowledge;
  private readonly resolve;
  private readonly get;

  constructor(
    db: Database.Database,
    private readonly reads: ReadPool<SqliteReadOps>,
  ) {
    this.record = db.prepare(
      "INSERT INTO alerts (alert_id, device_id, type, severity, condition_key, raised_ms, evidence, clears_when, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open') ON CONFLICT (alert_id) DO NOTHING",
    );
    this.clear = db.prepare(
      "UPDATE alerts SET cleared_ms = coalesce(cleared_ms, ?), resolved_ms = coalesce(resolved_ms, ?), resolved_by = coalesce(resolved_by, ?), state = 'resolved' WHERE alert_id = ?",
    );
    this.acknowledge = db.prepare(
      "UPDATE alerts SET state = 'acknowledged', acknowledged_ms = ?, acknowledged_by = ? WHERE alert_id = ? AND state = 'open'",
    );
    this.resolve = db.prepare(
      "UPDATE alerts SET state = 'resolved', resolved_ms = ?, resolved_by = ? WHERE alert_id = ? AND state != 'resolved'",
    );
    this.get = db.prepare<[string], AlertRow>('SELECT * FROM alerts WHERE alert_id = ?');
  }

  async recordAlertRaised(a: RaisedAlert): Promise<void> {
    this.record.run(
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
    this.clear.run(clearedMs, clearedMs, CLEARED_BY_DATA, alertId);
  }

  async acknowledgeAlert(alertId: string, by: string, atMs: number) {
    this.acknowledge.run(atMs, by, alertId);
    return this.getAlert(alertId);
  }

  async resolveAlert(alertId: string, by: string, atMs: number) {
    this.resolve.run(atMs, by, alertId);
    return this.getAlert(alertId);
  }

  async getAlert(alertId: string): Promise<AlertRecord | undefined> {
    const row = this.get.get(alertId);
    return row ? alertOf(row) : undefined;
  }

  async listAlerts(q: AlertQuery): Promise<AlertRecord[]> {
    return this.reads.run('listAlerts', q);
  }
}

/** The alerts' reads on a reader thread's connection. */
export class AlertReads {
  private readonly list;

  constructor(db: Database.Database) {
    this.list = db.prepare<
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
    );
  }

  listAlerts(q: AlertQuery): AlertRecord[] {
    return this.list
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
}
