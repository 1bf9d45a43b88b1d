import type { VehicleScope } from './vehicles.js';

/**
 * The alert book: alerts as people work with them, beside the vehicles, stores and people they
 * concern, so that "the open alerts of store S" is one indexed query joining alerts with
 * vehicles. The alert recorder writes the detectors' changes (`alerts.v1`) here; every write
 * is idempotent, so a change read twice is recorded once.
 */

export type AlertState = 'open' | 'acknowledged' | 'resolved';

/** An alert as people work with it: raised by a detector, acknowledged, resolved. */
export interface AlertRecord {
  readonly alertId: string;
  readonly deviceId: string;
  readonly type: string;
  readonly severity: string;
  readonly conditionKey: string;
  /** Epoch ms when the condition began. */
  readonly raisedMs: number;
  readonly evidence: Readonly<Record<string, number | string>>;
  readonly clearsWhen: string;
  readonly state: AlertState;
  /** When the data showed the condition over (conditions that clear by data). */
  readonly clearedMs?: number;
  readonly acknowledgedMs?: number;
  readonly acknowledgedBy?: string;
  readonly resolvedMs?: number;
  readonly resolvedBy?: string;
}

export type RaisedAlert = Pick<
  AlertRecord,
  | 'alertId'
  | 'deviceId'
  | 'type'
  | 'severity'
  | 'conditionKey'
  | 'raisedMs'
  | 'evidence'
  | 'clearsWhen'
>;

export interface AlertQuery {
  /** Alerts raised in [fromMs, toMs), newest first. */
  readonly fromMs: number;
  readonly toMs: number;
  readonly deviceId?: string;
  readonly type?: string;
  readonly state?: AlertState;
  /**
   * Only the alerts of devices bound to a vehicle the scope covers (see VehicleScope); an
   * alert of a device bound to no vehicle is in no scope. Absent: every alert.
   */
  readonly scope?: VehicleScope;
  readonly limit: number;
}

/** Who resolves an alert whose condition the data showed over. */
export const CLEARED_BY_DATA = 'cleared by data';

export interface AlertTable {
  /**
   * Records a raised alert. Recording it again (a replay: same id, same content) changes
   * nothing; its acknowledgement and resolution stay.
   */
  recordAlertRaised(alert: RaisedAlert): Promise<void>;
  /**
   * Records that the condition is over: sets clearedMs and resolves the alert (by
   * CLEARED_BY_DATA) unless someone resolved it first. Unknown ids are ignored.
   */
  recordAlertCleared(alertId: string, clearedMs: number): Promise<void>;
  /** Open → acknowledged (who, when); an acknowledged or resolved alert keeps its record. */
  acknowledgeAlert(alertId: string, by: string, atMs: number): Promise<AlertRecord | undefined>;
  /** → resolved (who, when), once; a resolved alert keeps its first resolution. */
  resolveAlert(alertId: string, by: string, atMs: number): Promise<AlertRecord | undefined>;
  getAlert(alertId: string): Promise<AlertRecord | undefined>;
  listAlerts(query: AlertQuery): Promise<AlertRecord[]>;
}
