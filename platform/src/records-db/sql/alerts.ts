import {
  type AlertQuery,
  type AlertRecord,
  type AlertTable,
  CLEARED_BY_DATA,
  type RaisedAlert,
} from '../port/alerts.js';
import { json } from './rows.js';
import { first, type Sql, type SqlValue } from './sql.js';
import { scopeIds } from './vehicles.js';

interface AlertRow {
  alert_id: string;
  device_id: string;
  type: string;
  severity: string;
  condition_key: string;
  raised_ms: number;
  /** JSON: parsed (PostgreSQL's jsonb) or text (SQLite). */
  evidence: unknown;
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
  evidence: json<AlertRecord['evidence']>(r.evidence),
  clearsWhen: r.clears_when,
  state: r.state,
  ...(r.cleared_ms === null ? {} : { clearedMs: r.cleared_ms }),
  ...(r.acknowledged_ms === null ? {} : { acknowledgedMs: r.acknowledged_ms }),
  ...(r.acknowledged_by === null ? {} : { acknowledgedBy: r.acknowledged_by }),
  ...(r.resolved_ms === null ? {} : { resolvedMs: r.resolved_ms }),
  ...(r.resolved_by === null ? {} : { resolvedBy: r.resolved_by }),
});

const COLUMNS =
  'a.alert_id, a.device_id, a.type, a.severity, a.condition_key, a.raised_ms, a.evidence, a.clears_when, a.state, a.cleared_ms, a.acknowledged_ms, a.acknowledged_by, a.resolved_ms, a.resolved_by';

/**
 * The alert book, over either dialect: one row per alert with its state as a column. Each
 * change is one statement whose WHERE says which states it applies to, so concurrent changes —
 * people acknowledging while the data clears the alert, a replayed raise — need no read first
 * and cannot move an alert back: the database applies them one after the other to the row.
 *
 * A list is one query, newest first (ties by id), its filters in the WHERE where the indexes
 * (migration 2) answer them; a scope joins the alerts with the vehicles their devices are
 * bound to and keeps those of the vehicles the scope covers (scopeIds, vehicles.ts).
 */
export class SqlAlerts implements AlertTable {
  constructor(private readonly sql: Sql) {}

  async recordAlertRaised(a: RaisedAlert): Promise<void> {
    // A replay (same id) changes nothing: its acknowledgement and resolution stay.
    await this.sql.run(
      `INSERT INTO alerts (alert_id, device_id, type, severity, condition_key, raised_ms, evidence, clears_when, state)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open') ON CONFLICT (alert_id) DO NOTHING`,
      [
        a.alertId,
        a.deviceId,
        a.type,
        a.severity,
        a.conditionKey,
        a.raisedMs,
        JSON.stringify(a.evidence),
        a.clearsWhen,
      ],
    );
  }

  async recordAlertCleared(alertId: string, clearedMs: number): Promise<void> {
    // The first clear stands; a resolution by people before it stands too.
    await this.sql.run(
      `UPDATE alerts SET cleared_ms = coalesce(cleared_ms, ?), resolved_ms = coalesce(resolved_ms, ?),
         resolved_by = coalesce(resolved_by, ?), state = 'resolved'
       WHERE alert_id = ?`,
      [clearedMs, clearedMs, CLEARED_BY_DATA, alertId],
    );
  }

  async acknowledgeAlert(alertId: string, by: string, atMs: number) {
    await this.sql.run(
      `UPDATE alerts SET state = 'acknowledged', acknowledged_ms = ?, acknowledged_by = ?
       WHERE alert_id = ? AND state = 'open'`,
      [atMs, by, alertId],
    );
    return this.getAlert(alertId);
  }

  async resolveAlert(alertId: string, by: string, atMs: number) {
    await this.sql.run(
      `UPDATE alerts SET state = 'resolved', resolved_ms = ?, resolved_by = ?
       WHERE alert_id = ? AND state <> 'resolved'`,
      [atMs, by, alertId],
    );
    return this.getAlert(alertId);
  }

  async getAlert(alertId: string): Promise<AlertRecord | undefined> {
    const row = await first<AlertRow>(
      this.sql,
      `SELECT ${COLUMNS} FROM alerts a WHERE a.alert_id = ?`,
      [alertId],
    );
    return row && alertOf(row);
  }

  async listAlerts(q: AlertQuery): Promise<AlertRecord[]> {
    if (q.toMs <= q.fromMs || q.limit <= 0) return [];
    const where = ['a.raised_ms >= ?', 'a.raised_ms < ?'];
    const params: SqlValue[] = [q.fromMs, q.toMs];
    const filter = (column: string, value: string | undefined) => {
      if (value === undefined) return;
      where.push(`a.${column} = ?`);
      params.push(value);
    };
    filter('device_id', q.deviceId);
    filter('type', q.type);
    filter('state', q.state);
    let from = 'alerts a';
    if (q.scope) {
      const ids = scopeIds(q.scope);
      if (!ids) return [];
      from = 'alerts a JOIN vehicles v ON v.device_id = a.device_id';
      where.push(`v.id IN (${ids.sql})`);
      params.push(...ids.params);
    }
    const rows = await this.sql.all<AlertRow>(
      `SELECT ${COLUMNS} FROM ${from} WHERE ${where.join(' AND ')}
       ORDER BY a.raised_ms DESC, a.alert_id LIMIT ?`,
      [...params, q.limit],
    );
    return rows.map(alertOf);
  }
}
