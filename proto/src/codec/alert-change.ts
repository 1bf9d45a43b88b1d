import { fleetline } from '../../gen/fleetline.js';
import { assertDeviceId, checkDecodedDeviceId } from '../device-id.js';
import { InvalidMessageError } from '../errors.js';
import {
  checkEntries,
  checkText,
  clip,
  MAX_EVIDENCE_ENTRIES,
  TEXT_LIMITS,
} from '../text-limits.js';
import { checkWireTime } from '../time-range.js';
import { decodeWith, nameOf } from './protobuf.js';

import v1 = fleetline.telemetry.v1;

/**
 * AlertChange (`alerts.v1`): an alert condition on one vehicle raised or cleared.
 *
 * Alert types are the wire enum's names without their prefix, in lower case
 * (`ALERT_TYPE_LOW_FUEL` → `low_fuel`): a new type is one line in `alert.proto` and nothing here.
 */
type AlertTypeName<K> = K extends `ALERT_TYPE_${infer N}` ? Lowercase<N> : never;
export type AlertType = AlertTypeName<Exclude<keyof typeof v1.AlertType, 'ALERT_TYPE_UNSPECIFIED'>>;

const alertTypeCodes = Object.fromEntries(
  Object.entries(v1.AlertType)
    .filter(([, code]) => code !== v1.AlertType.ALERT_TYPE_UNSPECIFIED)
    .map(([name, code]) => [name.slice('ALERT_TYPE_'.length).toLowerCase(), code]),
) as Record<AlertType, v1.AlertType>;

/** Every alert type, in the order of their wire numbers. */
export const alertTypes = Object.keys(alertTypeCodes) as readonly AlertType[];

export type AlertSeverity = 'info' | 'warning' | 'critical';
export type AlertTransition = 'raised' | 'cleared';
export type Evidence = Readonly<Record<string, number | string>>;

/** A change of an alert condition on one vehicle, as carried on `alerts.v1`. */
export interface AlertChange {
  alertId: string;
  deviceId: string;
  type: AlertType;
  severity: AlertSeverity;
  transition: AlertTransition;
  conditionKey: string;
  timeMs: number;
  evidence: Evidence;
  /** The clear condition in words; empty on a CLEARED record. */
  clearsWhen: string;
}

const alertSeverityCodes: Record<AlertSeverity, v1.AlertSeverity> = {
  info: v1.AlertSeverity.ALERT_SEVERITY_INFO,
  warning: v1.AlertSeverity.ALERT_SEVERITY_WARNING,
  critical: v1.AlertSeverity.ALERT_SEVERITY_CRITICAL,
};
const alertTransitionCodes: Record<AlertTransition, v1.AlertTransition> = {
  raised: v1.AlertTransition.ALERT_TRANSITION_RAISED,
  cleared: v1.AlertTransition.ALERT_TRANSITION_CLEARED,
};

export function encodeAlertChange(a: AlertChange): Uint8Array {
  assertDeviceId(a.deviceId);
  checkText(a.alertId, TEXT_LIMITS.alertId, 'alert_id', { required: true });
  checkText(a.conditionKey, TEXT_LIMITS.conditionKey, 'condition_key', { required: true });
  checkWireTime(a.timeMs, 'time_ms');
  checkText(a.clearsWhen, TEXT_LIMITS.clearsWhen, 'clears_when');
  checkEvidence(a.evidence, 'evidence');
  const evidence: Record<string, v1.IEvidenceValue> = {};
  for (const [k, v] of Object.entries(a.evidence)) {
    evidence[k] = typeof v === 'number' ? { number: v } : { text: v };
  }
  return v1.AlertChange.encode({
    alertId: a.alertId,
    deviceId: a.deviceId,
    type: alertTypeCodes[a.type],
    severity: alertSeverityCodes[a.severity],
    transition: alertTransitionCodes[a.transition],
    conditionKey: a.conditionKey,
    timeMs: a.timeMs,
    evidence,
    clearsWhen: a.clearsWhen,
  }).finish();
}

export function decodeAlertChange(bytes: Uint8Array): AlertChange {
  const m = decodeWith(v1.AlertChange, bytes, 'AlertChange');
  const where = 'AlertChange';
  checkText(m.alertId, TEXT_LIMITS.alertId, `${where}.alert_id`, { required: true });
  checkDecodedDeviceId(m.deviceId, where);
  const type = nameOf(alertTypeCodes, m.type);
  if (!type) throw new InvalidMessageError(`${where}.type ${m.type} is not a known alert type`);
  const severity = nameOf(alertSeverityCodes, m.severity);
  if (!severity) throw new InvalidMessageError(`${where}.severity must be set`);
  const transition = nameOf(alertTransitionCodes, m.transition);
  if (!transition) throw new InvalidMessageError(`${where}.transition must be RAISED or CLEARED`);
  checkText(m.conditionKey, TEXT_LIMITS.conditionKey, `${where}.condition_key`, {
    required: true,
  });
  checkWireTime(m.timeMs, `${where}.time_ms`);
  checkText(m.clearsWhen, TEXT_LIMITS.clearsWhen, `${where}.clears_when`);
  const evidence: Record<string, number | string> = {};
  for (const [k, v] of Object.entries(m.evidence ?? {})) {
    if (v.number !== undefined && v.number !== null) evidence[k] = v.number;
    else if (v.text !== undefined && v.text !== null) evidence[k] = v.text;
    else throw new InvalidMessageError(`${where}.evidence.${clip(k)} carries no value`);
  }
  checkEvidence(evidence, `${where}.evidence`);
  return {
    alertId: m.alertId,
    deviceId: m.deviceId,
    type,
    severity,
    transition,
    conditionKey: m.conditionKey,
    timeMs: m.timeMs,
    evidence,
    clearsWhen: m.clearsWhen,
  };
}

/**
 * Evidence is shown to people and stored as JSON, where NaN and ±∞ would turn into null — in
 * an API answer that promises a number or a text: its numbers are finite. A detector that
 * computes a non-finite number says so in words (alert-changes.ts in cloud).
 */
function checkEvidence(evidence: Evidence, field: string): void {
  const entries = Object.entries(evidence);
  checkEntries(entries.length, MAX_EVIDENCE_ENTRIES, field);
  for (const [key, value] of entries) {
    checkText(key, TEXT_LIMITS.evidenceKey, `${field} key`, { required: true });
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) {
        throw new InvalidMessageError(`${field}.${key} must be a finite number, got ${value}`);
      }
    } else {
      checkText(value, TEXT_LIMITS.evidenceText, `${field}.${key}`);
    }
  }
}
