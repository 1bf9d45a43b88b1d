import cassandra from 'cassandra-driver';
import { DAY_MS, dayOf } from '../days.js';
import {
  type AlertQuery,
  type AlertRecord,
  type AlertState,
  type AlertTable,
  CLEARED_BY_DATA,
  type RaisedAlert,
} from '../port/alerts.js';
import { CLOCK_SKEW_MS, daysToRead } from '../time-bounds.js';
import { eachPage, run } from './io.js';

/**
 * The alert book on Cassandra, in two tables written together (one logged batch, so a change
 * that reached one reaches the other):
 * - `alerts`: one row per alert by id, for getAlert and the read before each change; its state
 *   follows from when it was acknowledged and resolved, so no write reads a state column first;
 * - `alert_list_by_day`: the same alert again in a partition per day of its raise time, newest
 *   first, with Storage-Attached Indexes (Cassandra 5.0) on device, type and state. Listing is
 *   one query per day partition that Cassandra filters and pages: no read per alert, no
 *   filtering here. Its `state` cell is written with the state's rank as the write time (open 1,
 *   acknowledged 2, resolved 3), so whatever order concurrent changes land in — people
 *   acknowledging while the data clears the alert, a replayed raise — the furthest state wins,
 *   as it does for the times `alerts` derives its state from;
 * - `alert_days`: the days that hold alerts, in one small partition (a row per day), written
 *   with each alert. Alerts are kept for good, so no TTL bounds the days a list must walk; a
 *   list reads which days of its range hold alerts and walks only those, so a range from 1970
 *   to 2100 costs as many queries as it has days with alerts, not 47,000.
 * `alerts_by_day`, the list of ids per day of schema version 5, is no longer written or read.
 * The migrations that made the list and the days from the alerts before them are in
 * alert-migrations.ts.
 */

const COLUMNS =
  'alert_id, device_id, type, severity, condition_key, raised, evidence, clears_when, cleared, acknowledged, acknowledged_by, resolved, resolved_by';

/** Rows per page when listing (an alert row is about 300 bytes). */
export const LIST_PAGE = 1000;

const STATE_RANK: Readonly<Record<AlertState, number>> = { open: 1, acknowledged: 2, resolved: 3 };

/** The one partition of `alert_days`: a row per day is few rows. */
const ALERT_DAYS = 0;

/**
 * Days of alerts raised this recently are read whether `alert_days` names them or not: a
 * process of the version before it, still running during an upgrade, records alerts without
 * their day. Their raise times are about now.
 */
const RECENT_DAYS = 2;

export type Statement = { query: string; params: unknown[] };

export function statements(ks: string) {
  const list = `${ks}.alert_list_by_day`;
  const key = 'WHERE day = ? AND raised = ? AND alert_id = ?';
  return {
    record: `INSERT INTO ${ks}.alerts (alert_id, device_id, type, severity, condition_key, raised, evidence, clears_when) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    get: `SELECT ${COLUMNS} FROM ${ks}.alerts WHERE alert_id = ?`,
    clear: `UPDATE ${ks}.alerts SET cleared = ? WHERE alert_id = ?`,
    acknowledge: `UPDATE ${ks}.alerts SET acknowledged = ?, acknowledged_by = ? WHERE alert_id = ?`,
    resolve: `UPDATE ${ks}.alerts SET resolved = ?, resolved_by = ? WHERE alert_id = ?`,
    listRecord: `INSERT INTO ${list} (day, raised, alert_id, device_id, type, severity, condition_key, evidence, clears_when) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    listState: `UPDATE ${list} USING TIMESTAMP ? SET state = ? ${key}`,
    listClear: `UPDATE ${list} SET cleared = ? ${key}`,
    listAcknowledge: `UPDATE ${list} SET acknowledged = ?, acknowledged_by = ? ${key}`,
    listResolve: `UPDATE ${list} SET resolved = ?, resolved_by = ? ${key}`,
    allAlerts: `SELECT ${COLUMNS} FROM ${ks}.alerts`,
    recordDay: `INSERT INTO ${ks}.alert_days (list, day) VALUES (${ALERT_DAYS}, ?)`,
    daysBetween: `SELECT day FROM ${ks}.alert_days WHERE list = ${ALERT_DAYS} AND day >= ? AND day <= ?`,
    listedDays: `SELECT DISTINCT day FROM ${ks}.alert_list_by_day`,
  };
}
export type Statements = ReturnType<typeof statements>;

/** An alert's row in the list: its day and raise time, then its id. */
const listKey = (a: Pick<AlertRecord, 'raisedMs' | 'alertId'>) => [
  dayOf(a.raisedMs),
  new Date(a.raisedMs),
  a.alertId,
];

const stateOf = (
  q: Statements,
  a: Pick<AlertRecord, 'raisedMs' | 'alertId'>,
  state: AlertState,
) => ({
  query: q.listState,
  params: [cassandra.types.Long.fromNumber(STATE_RANK[state]), state, ...listKey(a)],
});

/** The writes that put an alert as it stands into the list (all one partition). */
export function listRow(q: Statements, a: AlertRecord): Statement[] {
  const key = listKey(a);
  const out: Statement[] = [
    {
      query: q.listRecord,
      params: [
        ...key,
        a.deviceId,
        a.type,
        a.severity,
        a.conditionKey,
        JSON.stringify(a.evidence),
        a.clearsWhen,
      ],
    },
    stateOf(q, a, a.state),
  ];
  if (a.clearedMs !== undefined)
    out.push({ query: q.listClear, params: [new Date(a.clearedMs), ...key] });
  if (a.acknowledgedMs !== undefined) {
    out.push({
      query: q.listAcknowledge,
      params: [new Date(a.acknowledgedMs), a.acknowledgedBy, ...key],
    });
  }
  if (a.resolvedMs !== undefined) {
    out.push({
      query: q.listResolve,
      params: [new Date(a.resolvedMs), a.resolvedBy, ...key],
    });
  }
  return out;
}

export class CassandraAlerts implements AlertTable {
  private readonly q: Statements;

  constructor(
    private readonly client: cassandra.Client,
    private readonly ks: string,
    /** No alert is raised further ahead of now than this (the devices' clock allowance). */
    private readonly maxAheadMs: number,
  ) {
    this.q = statements(ks);
  }

  async recordAlertRaised(a: RaisedAlert): Promise<void> {
    // Only the columns fixed at raise time: recording again rewrites the same values and
    // leaves acknowledgement and resolution alone (and the state, ranked lowest).
    await this.write(
      [
        {
          query: this.q.record,
          params: [
            a.alertId,
            a.deviceId,
            a.type,
            a.severity,
            a.conditionKey,
            new Date(a.raisedMs),
            JSON.stringify(a.evidence),
            a.clearsWhen,
          ],
        },
        ...listRow(this.q, { ...a, state: 'open' }),
        { query: this.q.recordDay, params: [dayOf(a.raisedMs)] },
      ],
      'record an alert',
    );
  }

  async recordAlertCleared(alertId: string, clearedMs: number): Promise<void> {
    const alert = await this.getAlert(alertId);
    if (!alert) return;
    const key = listKey(alert);
    const writes: Statement[] = [];
    if (alert.clearedMs === undefined) {
      writes.push(
        { query: this.q.clear, params: [new Date(clearedMs), alertId] },
        { query: this.q.listClear, params: [new Date(clearedMs), ...key] },
      );
    }
    if (alert.resolvedMs === undefined) {
      writes.push(...this.resolution(alert, CLEARED_BY_DATA, clearedMs));
    }
    if (writes.length > 0) await this.write(writes, 'clear an alert');
  }

  async acknowledgeAlert(alertId: string, by: string, atMs: number) {
    const alert = await this.getAlert(alertId);
    if (alert?.state !== 'open') return alert;
    await this.write(
      [
        { query: this.q.acknowledge, params: [new Date(atMs), by, alertId] },
        { query: this.q.listAcknowledge, params: [new Date(atMs), by, ...listKey(alert)] },
        stateOf(this.q, alert, 'acknowledged'),
      ],
      'acknowledge an alert',
    );
    return this.getAlert(alertId);
  }

  async resolveAlert(alertId: string, by: string, atMs: number) {
    const alert = await this.getAlert(alertId);
    if (!alert || alert.state === 'resolved') return alert;
    await this.write(this.resolution(alert, by, atMs), 'resolve an alert');
    return this.getAlert(alertId);
  }

  async getAlert(alertId: string): Promise<AlertRecord | undefined> {
    const result = await run(() => this.client.execute(this.q.get, [alertId]), 'read an alert');
    const row = result.first();
    return row?.get('device_id') ? alertOfRow(row) : undefined;
  }

  async listAlerts(q: AlertQuery): Promise<AlertRecord[]> {
    const out: AlertRecord[] = [];
    if (q.toMs <= q.fromMs || q.limit <= 0) return out;
    // The filters go into the query, where the indexes answer them.
    const filters = (
      [
        ['device_id', q.deviceId],
        ['type', q.type],
        ['state', q.state],
      ] as const
    ).filter(([, value]) => value !== undefined);
    const query = `SELECT ${COLUMNS} FROM ${this.ks}.alert_list_by_day WHERE day = ? AND raised >= ? AND raised < ?${filters
      .map(([column]) => ` AND ${column} = ?`)
      .join('')} LIMIT ?`;
    // The days that hold alerts, newest first, each page by page; stop as soon as the limit
    // is reached.
    for (const day of await this.daysWithAlerts(q.fromMs, q.toMs)) {
      if (out.length >= q.limit) break;
      const left = q.limit - out.length;
      await eachPage(
        this.client,
        query,
        [day, new Date(q.fromMs), new Date(q.toMs), ...filters.map(([, value]) => value), left],
        Math.min(LIST_PAGE, left),
        'list alerts',
        (rows) => {
          for (const row of rows) out.push(alertOfRow(row));
          return out.length >= q.limit;
        },
      );
    }
    return out;
  }

  /** The days of [fromMs, toMs) that hold alerts (or may: see RECENT_DAYS), newest first. */
  private async daysWithAlerts(fromMs: number, toMs: number): Promise<number[]> {
    const now = Date.now();
    const range = daysToRead(fromMs, toMs, now, { ttlDays: 0, maxAheadMs: this.maxAheadMs });
    if (!range) return [];
    const days = new Set<number>();
    await eachPage(
      this.client,
      this.q.daysBetween,
      [range.first, range.last],
      LIST_PAGE,
      'list the days of alerts',
      (rows) => {
        for (const row of rows) days.add(row.get('day') as number);
      },
    );
    const recent = dayOf(now - RECENT_DAYS * DAY_MS - CLOCK_SKEW_MS);
    for (let day = Math.max(range.first, recent); day <= range.last; day++) days.add(day);
    return [...days].sort((a, b) => b - a);
  }

  private resolution(alert: AlertRecord, by: string, atMs: number): Statement[] {
    return [
      { query: this.q.resolve, params: [new Date(atMs), by, alert.alertId] },
      { query: this.q.listResolve, params: [new Date(atMs), by, ...listKey(alert)] },
      stateOf(this.q, alert, 'resolved'),
    ];
  }

  /** The writes of one change, to both tables, in one logged batch: all land or none. */
  private write(writes: Statement[], what: string): Promise<unknown> {
    return run(() => this.client.batch(writes, { prepare: true, logged: true }), what);
  }
}

export function alertOfRow(row: cassandra.types.Row): AlertRecord {
  const time = (name: string) => (row.get(name) as Date | null)?.getTime();
  const text = (name: string) => (row.get(name) as string | null) ?? undefined;
  const cleared = time('cleared');
  const acknowledged = time('acknowledged');
  const resolved = time('resolved');
  const acknowledgedBy = text('acknowledged_by');
  const resolvedBy = text('resolved_by');
  return {
    alertId: row.get('alert_id') as string,
    deviceId: row.get('device_id') as string,
    type: row.get('type') as string,
    severity: row.get('severity') as string,
    conditionKey: row.get('condition_key') as string,
    raisedMs: time('raised') ?? 0,
    evidence: JSON.parse((row.get('evidence') as string | null) ?? '{}') as AlertRecord['evidence'],
    clearsWhen: text('clears_when') ?? '',
    state:
      resolved !== undefined ? 'resolved' : acknowledged !== undefined ? 'acknowledged' : 'open',
    ...(cleared === undefined ? {} : { clearedMs: cleared }),
    ...(acknowledged === undefined ? {} : { acknowledgedMs: acknowledged }),
    ...(acknowledgedBy === undefined ? {} : { acknowledgedBy }),
    ...(resolved === undefined ? {} : { resolvedMs: resolved }),
    ...(resolvedBy === undefined ? {} : { resolvedBy }),
  };
}
