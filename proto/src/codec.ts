import './runtime.js';
import { fleetline } from '../gen/fleetline.js';
import { assertDeviceId, isValidDeviceId } from './device-id.js';
import { InvalidMessageError, MalformedMessageError } from './errors.js';
import { decodeSeries, encodeSeries, type Sample } from './series.js';
import {
  checkEntries,
  checkText,
  clip,
  MAX_EVIDENCE_ENTRIES,
  MAX_SET_CONFIG_ENTRIES,
  TEXT_LIMITS,
} from './text-limits.js';
import { isWireTime, wireTimeProblem } from './time-range.js';
import { checkTroubleCodes } from './trouble-codes.js';

import v1 = fleetline.telemetry.v1;

/**
 * Encode/decode helpers for the v1 messages. Decoders never return a message that breaks the
 * contract: they throw MalformedMessageError (not protobuf) or InvalidMessageError (rule broken),
 * each naming what is wrong, so a caller can reject one message and carry on.
 */

export interface TelemetryBatchInput {
  deviceId: string;
  seq: number;
  /** The run of the device's seq counter (see seq_epoch in the .proto); 0 or absent: none. */
  seqEpoch?: number;
  /** Defaults to the earliest sample time (or now, for an empty batch). */
  baseTimeMs?: number;
  samples: readonly Sample[];
}

export interface TelemetryBatch {
  deviceId: string;
  seq: number;
  /** Present when the device sends one (non-zero). */
  seqEpoch?: number;
  baseTimeMs: number;
  samples: Sample[];
}

export function encodeTelemetryBatch(input: TelemetryBatchInput): Uint8Array {
  assertDeviceId(input.deviceId);
  checkSeq(input.seq, 'seq');
  checkSeqEpoch(input.seqEpoch);
  const baseTimeMs = input.baseTimeMs ?? earliest(input.samples) ?? Date.now();
  checkTime(baseTimeMs, 'base_time_ms');
  return v1.TelemetryBatch.encode({
    deviceId: input.deviceId,
    seq: input.seq,
    ...(input.seqEpoch ? { seqEpoch: input.seqEpoch } : {}),
    baseTimeMs,
    series: encodeSeries(input.samples, baseTimeMs, 'TelemetryBatch'),
  }).finish();
}

export function decodeTelemetryBatch(bytes: Uint8Array): TelemetryBatch {
  const m = decodeWith(v1.TelemetryBatch, bytes, 'TelemetryBatch');
  const where = 'TelemetryBatch';
  checkDecodedIdentity(m.deviceId, m.seq, where);
  checkTime(m.baseTimeMs, `${where}.base_time_ms`);
  return {
    deviceId: m.deviceId,
    seq: m.seq,
    ...(m.seqEpoch ? { seqEpoch: m.seqEpoch } : {}),
    baseTimeMs: m.baseTimeMs,
    samples: decodeSeries(m.series, m.baseTimeMs, where),
  };
}

// ── events ───────────────────────────────────────────────────────────────────────────────

export type Severity = 'minor' | 'severe';
export type ImpactDirection = 'front' | 'rear' | 'left' | 'right' | 'rollover' | 'unspecified';

export interface Collision {
  severity: Severity;
  peakG: number;
  deltaVKmh: number;
  direction: ImpactDirection;
  latitude?: number;
  longitude?: number;
  speedBeforeKmh: number;
  /** High-rate window of samples around the trigger. */
  window: Sample[];
}

export interface TriggerCapture {
  name: string;
  triggeredAtMs: number;
  /** Seq of the collision event this window completes; 0 for a plain trigger. */
  relatedSeq: number;
  window: Sample[];
}

export type EventPayload =
  | { kind: 'collision'; collision: Collision }
  | { kind: 'troubleCodes'; codes: string[] }
  | { kind: 'triggerCapture'; capture: TriggerCapture };

export interface VehicleEvent {
  deviceId: string;
  seq: number;
  /** The run of the device's seq counter (see seq_epoch in the .proto); 0 or absent: none. */
  seqEpoch?: number;
  timeMs: number;
  payload: EventPayload;
}

const severities: Record<Severity, v1.Severity> = {
  minor: v1.Severity.SEVERITY_MINOR,
  severe: v1.Severity.SEVERITY_SEVERE,
};
const directions: Record<ImpactDirection, v1.ImpactDirection> = {
  unspecified: v1.ImpactDirection.IMPACT_DIRECTION_UNSPECIFIED,
  front: v1.ImpactDirection.IMPACT_DIRECTION_FRONT,
  rear: v1.ImpactDirection.IMPACT_DIRECTION_REAR,
  left: v1.ImpactDirection.IMPACT_DIRECTION_LEFT,
  right: v1.ImpactDirection.IMPACT_DIRECTION_RIGHT,
  rollover: v1.ImpactDirection.IMPACT_DIRECTION_ROLLOVER,
};

export function encodeEvent(e: VehicleEvent): Uint8Array {
  assertDeviceId(e.deviceId);
  checkSeq(e.seq, 'seq');
  checkSeqEpoch(e.seqEpoch);
  checkTime(e.timeMs, 'time_ms');
  const m: v1.Event.$Properties = { deviceId: e.deviceId, seq: e.seq, timeMs: e.timeMs };
  if (e.seqEpoch) m.seqEpoch = e.seqEpoch;
  if (e.payload.kind === 'collision') {
    const c = e.payload.collision;
    const windowBase = earliest(c.window) ?? e.timeMs;
    checkTime(windowBase, 'collision.window_base_time_ms');
    m.collision = {
      severity: severities[c.severity],
      peakG: c.peakG,
      deltaVKmh: c.deltaVKmh,
      direction: directions[c.direction],
      speedBeforeKmh: c.speedBeforeKmh,
      windowBaseTimeMs: windowBase,
      window: encodeSeries(c.window, windowBase, 'collision.window'),
      ...(c.latitude === undefined ? {} : { latitude: c.latitude }),
      ...(c.longitude === undefined ? {} : { longitude: c.longitude }),
    };
  } else if (e.payload.kind === 'troubleCodes') {
    checkTroubleCodes(e.payload.codes, 'trouble_codes');
    m.troubleCodes = { codes: e.payload.codes };
  } else {
    const c = e.payload.capture;
    checkText(c.name, TEXT_LIMITS.triggerName, 'trigger_capture.name', { required: true });
    checkTime(c.triggeredAtMs, 'trigger_capture.triggered_at_ms');
    checkSeq(c.relatedSeq, 'trigger_capture.related_seq');
    const windowBase = earliest(c.window) ?? c.triggeredAtMs;
    checkTime(windowBase, 'trigger_capture.window_base_time_ms');
    m.triggerCapture = {
      name: c.name,
      triggeredAtMs: c.triggeredAtMs,
      relatedSeq: c.relatedSeq,
      windowBaseTimeMs: windowBase,
      window: encodeSeries(c.window, windowBase, 'trigger_capture.window'),
    };
  }
  return v1.Event.encode(m).finish();
}

export function decodeEvent(bytes: Uint8Array): VehicleEvent {
  const m = decodeWith(v1.Event, bytes, 'Event');
  const where = 'Event';
  checkDecodedIdentity(m.deviceId, m.seq, where);
  checkTime(m.timeMs, `${where}.time_ms`);
  let payload: EventPayload;
  if (m.collision) {
    const c = m.collision as v1.Collision;
    checkTime(c.windowBaseTimeMs, `${where}.collision.window_base_time_ms`);
    const severity = reverse(severities, c.severity);
    if (!severity) throw new InvalidMessageError(`${where}.collision.severity must be set`);
    const collision: Collision = {
      severity,
      peakG: c.peakG,
      deltaVKmh: c.deltaVKmh,
      direction: reverse(directions, c.direction) ?? 'unspecified',
      speedBeforeKmh: c.speedBeforeKmh,
      window: decodeSeries(c.window, c.windowBaseTimeMs, `${where}.collision.window`),
    };
    if (c.latitude != null) collision.latitude = c.latitude;
    if (c.longitude != null) collision.longitude = c.longitude;
    checkCollision(collision, `${where}.collision`);
    payload = { kind: 'collision', collision };
  } else if (m.troubleCodes) {
    const codes = m.troubleCodes.codes ?? [];
    checkTroubleCodes(codes, `${where}.trouble_codes`);
    payload = { kind: 'troubleCodes', codes: [...codes] };
  } else if (m.triggerCapture) {
    const c = m.triggerCapture as v1.TriggerCapture;
    checkText(c.name, TEXT_LIMITS.triggerName, `${where}.trigger_capture.name`, {
      required: true,
    });
    checkTime(c.triggeredAtMs, `${where}.trigger_capture.triggered_at_ms`);
    checkTime(c.windowBaseTimeMs, `${where}.trigger_capture.window_base_time_ms`);
    checkDecodedSeq(c.relatedSeq, `${where}.trigger_capture.related_seq`);
    payload = {
      kind: 'triggerCapture',
      capture: {
        name: c.name,
        triggeredAtMs: c.triggeredAtMs,
        relatedSeq: c.relatedSeq,
        window: decodeSeries(c.window, c.windowBaseTimeMs, `${where}.trigger_capture.window`),
      },
    };
  } else {
    throw new InvalidMessageError(
      `${where} carries no payload (collision, trouble_codes or trigger_capture)`,
    );
  }
  return {
    deviceId: m.deviceId,
    seq: m.seq,
    ...(m.seqEpoch ? { seqEpoch: m.seqEpoch } : {}),
    timeMs: m.timeMs,
    payload,
  };
}

// ── status ───────────────────────────────────────────────────────────────────────────────

export type DeviceState = 'online' | 'offline';

export interface DeviceStatus {
  deviceId: string;
  timeMs: number;
  state: DeviceState;
  agentVersion: string;
}

const states: Record<DeviceState, v1.DeviceState> = {
  online: v1.DeviceState.DEVICE_STATE_ONLINE,
  offline: v1.DeviceState.DEVICE_STATE_OFFLINE,
};

export function encodeStatus(s: DeviceStatus): Uint8Array {
  assertDeviceId(s.deviceId);
  checkTime(s.timeMs, 'time_ms');
  checkText(s.agentVersion, TEXT_LIMITS.agentVersion, 'agent_version');
  return v1.DeviceStatus.encode({
    deviceId: s.deviceId,
    timeMs: s.timeMs,
    state: states[s.state],
    agentVersion: s.agentVersion,
  }).finish();
}

export function decodeStatus(bytes: Uint8Array): DeviceStatus {
  const m = decodeWith(v1.DeviceStatus, bytes, 'DeviceStatus');
  if (!isValidDeviceId(m.deviceId)) {
    throw new InvalidMessageError(
      `DeviceStatus.device_id ${JSON.stringify(m.deviceId)} is invalid`,
    );
  }
  checkTime(m.timeMs, 'DeviceStatus.time_ms');
  checkText(m.agentVersion, TEXT_LIMITS.agentVersion, 'DeviceStatus.agent_version');
  const state = reverse(states, m.state);
  if (!state) throw new InvalidMessageError('DeviceStatus.state must be ONLINE or OFFLINE');
  return { deviceId: m.deviceId, timeMs: m.timeMs, state, agentVersion: m.agentVersion };
}

// ── commands ─────────────────────────────────────────────────────────────────────────────

export type CommandAction =
  | { kind: 'ping' }
  | { kind: 'setConfig'; values: Record<string, string> };

export interface Command {
  commandId: string;
  deviceId: string;
  issuedAtMs: number;
  /** 0: never expires. */
  expiresAtMs: number;
  action: CommandAction;
}

export function encodeCommand(c: Command): Uint8Array {
  assertDeviceId(c.deviceId);
  checkText(c.commandId, TEXT_LIMITS.commandId, 'command_id', { required: true });
  checkTime(c.issuedAtMs, 'issued_at_ms');
  checkExpiry(c.expiresAtMs, 'expires_at_ms');
  if (c.action.kind === 'setConfig') checkSetConfig(c.action.values, 'set_config.values');
  return v1.Command.encode({
    commandId: c.commandId,
    deviceId: c.deviceId,
    issuedAtMs: c.issuedAtMs,
    expiresAtMs: c.expiresAtMs,
    ...(c.action.kind === 'ping' ? { ping: {} } : { setConfig: { values: c.action.values } }),
  }).finish();
}

export function decodeCommand(bytes: Uint8Array): Command {
  const m = decodeWith(v1.Command, bytes, 'Command');
  checkText(m.commandId, TEXT_LIMITS.commandId, 'Command.command_id', { required: true });
  if (!isValidDeviceId(m.deviceId)) {
    throw new InvalidMessageError(`Command.device_id ${JSON.stringify(m.deviceId)} is invalid`);
  }
  checkTime(m.issuedAtMs, 'Command.issued_at_ms');
  checkExpiry(m.expiresAtMs, 'Command.expires_at_ms');
  let action: CommandAction;
  if (m.ping) action = { kind: 'ping' };
  else if (m.setConfig) {
    const values = { ...(m.setConfig.values ?? {}) };
    checkSetConfig(values, 'Command.set_config.values');
    action = { kind: 'setConfig', values };
  } else throw new InvalidMessageError('Command carries no action');
  return {
    commandId: m.commandId,
    deviceId: m.deviceId,
    issuedAtMs: m.issuedAtMs,
    expiresAtMs: m.expiresAtMs,
    action,
  };
}

// ── alerts ───────────────────────────────────────────────────────────────────────────────

export const alertTypes = [
  'collision',
  'harsh_braking',
  'harsh_acceleration',
  'harsh_cornering',
  'maintenance_due',
  'dtc',
  'low_battery',
  'overheat',
  'low_fuel',
  'offline',
] as const;
export type AlertType = (typeof alertTypes)[number];
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

const alertTypeCodes: Record<AlertType, v1.AlertType> = {
  collision: v1.AlertType.ALERT_TYPE_COLLISION,
  harsh_braking: v1.AlertType.ALERT_TYPE_HARSH_BRAKING,
  harsh_acceleration: v1.AlertType.ALERT_TYPE_HARSH_ACCELERATION,
  harsh_cornering: v1.AlertType.ALERT_TYPE_HARSH_CORNERING,
  maintenance_due: v1.AlertType.ALERT_TYPE_MAINTENANCE_DUE,
  dtc: v1.AlertType.ALERT_TYPE_DTC,
  low_battery: v1.AlertType.ALERT_TYPE_LOW_BATTERY,
  overheat: v1.AlertType.ALERT_TYPE_OVERHEAT,
  low_fuel: v1.AlertType.ALERT_TYPE_LOW_FUEL,
  offline: v1.AlertType.ALERT_TYPE_OFFLINE,
};
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
  checkTime(a.timeMs, 'time_ms');
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
  if (!isValidDeviceId(m.deviceId)) {
    throw new InvalidMessageError(`${where}.device_id ${JSON.stringify(m.deviceId)} is invalid`);
  }
  const type = reverse(alertTypeCodes, m.type);
  if (!type) throw new InvalidMessageError(`${where}.type ${m.type} is not a known alert type`);
  const severity = reverse(alertSeverityCodes, m.severity);
  if (!severity) throw new InvalidMessageError(`${where}.severity must be set`);
  const transition = reverse(alertTransitionCodes, m.transition);
  if (!transition) throw new InvalidMessageError(`${where}.transition must be RAISED or CLEARED`);
  checkText(m.conditionKey, TEXT_LIMITS.conditionKey, `${where}.condition_key`, {
    required: true,
  });
  checkTime(m.timeMs, `${where}.time_ms`);
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

// ── service ──────────────────────────────────────────────────────────────────────────────

/** Service every intervalKm or intervalDays, whichever first; "coming up" opens ahead of it. */
export interface ServicePlanValues {
  intervalKm: number;
  intervalDays: number;
  /** At least 0 and less than intervalKm. */
  aheadKm: number;
  /** At least 0 and less than intervalDays. */
  aheadDays: number;
}

/** A service done; the same serviceId is the same service. */
export interface ServiceDone {
  serviceId: string;
  odometerKm: number;
}

export type ServiceChange =
  | { kind: 'plan'; plan: ServicePlanValues }
  | { kind: 'serviced'; serviced: ServiceDone };

/** A change to a vehicle's maintenance, as carried on `service.v1`. */
export interface ServiceUpdate {
  deviceId: string;
  /** When the plan was set, or when the service was done. */
  timeMs: number;
  change: ServiceChange;
}

export function encodeServiceUpdate(u: ServiceUpdate): Uint8Array {
  assertDeviceId(u.deviceId);
  checkTime(u.timeMs, 'time_ms');
  const m: v1.ServiceUpdate.$Properties = { deviceId: u.deviceId, timeMs: u.timeMs };
  if (u.change.kind === 'plan') {
    checkPlan(u.change.plan, 'plan');
    const { intervalKm, intervalDays, aheadKm, aheadDays } = u.change.plan;
    m.plan = { intervalKm, intervalDays, aheadKm, aheadDays };
  } else {
    checkServiced(u.change.serviced, 'serviced');
    const { serviceId, odometerKm } = u.change.serviced;
    m.serviced = { serviceId, odometerKm };
  }
  return v1.ServiceUpdate.encode(m).finish();
}

export function decodeServiceUpdate(bytes: Uint8Array): ServiceUpdate {
  const m = decodeWith(v1.ServiceUpdate, bytes, 'ServiceUpdate');
  const where = 'ServiceUpdate';
  if (!isValidDeviceId(m.deviceId)) {
    throw new InvalidMessageError(`${where}.device_id ${JSON.stringify(m.deviceId)} is invalid`);
  }
  checkTime(m.timeMs, `${where}.time_ms`);
  let change: ServiceChange;
  if (m.plan) {
    const plan: ServicePlanValues = {
      intervalKm: m.plan.intervalKm ?? 0,
      intervalDays: m.plan.intervalDays ?? 0,
      aheadKm: m.plan.aheadKm ?? 0,
      aheadDays: m.plan.aheadDays ?? 0,
    };
    checkPlan(plan, `${where}.plan`);
    change = { kind: 'plan', plan };
  } else if (m.serviced) {
    const serviced: ServiceDone = {
      serviceId: m.serviced.serviceId ?? '',
      odometerKm: m.serviced.odometerKm ?? 0,
    };
    checkServiced(serviced, `${where}.serviced`);
    change = { kind: 'serviced', serviced };
  } else {
    throw new InvalidMessageError(`${where} carries no change (plan or serviced)`);
  }
  return { deviceId: m.deviceId, timeMs: m.timeMs, change };
}

function checkPlan(p: ServicePlanValues, where: string): void {
  for (const [field, value, ahead, aheadField] of [
    ['interval_km', p.intervalKm, p.aheadKm, 'ahead_km'],
    ['interval_days', p.intervalDays, p.aheadDays, 'ahead_days'],
  ] as const) {
    if (!Number.isFinite(value) || value <= 0) {
      throw new InvalidMessageError(`${where}.${field} must be a positive number, got ${value}`);
    }
    if (!Number.isFinite(ahead) || ahead < 0 || ahead >= value) {
      throw new InvalidMessageError(
        `${where}.${aheadField} must be at least 0 and less than ${field} (${value}), got ${ahead}`,
      );
    }
  }
}

function checkServiced(s: ServiceDone, where: string): void {
  checkText(s.serviceId, TEXT_LIMITS.serviceId, `${where}.service_id`, { required: true });
  if (!Number.isFinite(s.odometerKm) || s.odometerKm < 0) {
    throw new InvalidMessageError(
      `${where}.odometer_km must be a non-negative number, got ${s.odometerKm}`,
    );
  }
}

// ── shared checks ────────────────────────────────────────────────────────────────────────

/** A setting path and its value per entry, and not too many of them. */
function checkSetConfig(values: Readonly<Record<string, string>>, field: string): void {
  const entries = Object.entries(values);
  checkEntries(entries.length, MAX_SET_CONFIG_ENTRIES, field);
  for (const [key, value] of entries) {
    checkText(key, TEXT_LIMITS.setConfigKey, `${field} key`, { required: true });
    checkText(value, TEXT_LIMITS.setConfigValue, `${field}[${JSON.stringify(key)}]`);
  }
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

function decodeWith<T>(
  type: { decode(reader: Uint8Array): T },
  bytes: Uint8Array,
  name: string,
): T {
  try {
    return type.decode(bytes);
  } catch (err) {
    throw new MalformedMessageError(
      `payload (${bytes.length} bytes) is not a valid ${name}: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

function checkDecodedIdentity(deviceId: string, seq: number, where: string): void {
  if (!isValidDeviceId(deviceId)) {
    throw new InvalidMessageError(`${where}.device_id ${JSON.stringify(deviceId)} is invalid`);
  }
  checkDecodedSeq(seq, `${where}.seq`);
}

function checkDecodedSeq(seq: number, field: string): void {
  // uint64 on the wire; past 2^53 a JavaScript number no longer tells neighbours apart.
  if (!Number.isSafeInteger(seq) || seq < 0) {
    throw new InvalidMessageError(`${field} ${seq} is out of range`);
  }
}

/**
 * A collision's numbers go into alert evidence, JSON and the store as they are: NaN or ±∞
 * would arrive as null, and a position off the globe would be drawn somewhere. Magnitudes
 * (peak acceleration, speed) cannot be negative; a change of velocity can.
 */
function checkCollision(c: Collision, where: string): void {
  for (const [field, value] of [
    ['peak_g', c.peakG],
    ['delta_v_kmh', c.deltaVKmh],
    ['speed_before_kmh', c.speedBeforeKmh],
  ] as const) {
    if (!Number.isFinite(value) || (field !== 'delta_v_kmh' && value < 0)) {
      throw new InvalidMessageError(
        `${where}.${field} must be a finite${field === 'delta_v_kmh' ? '' : ', non-negative'} number, got ${value}`,
      );
    }
  }
  // WGS 84 degrees.
  for (const [field, value, limit] of [
    ['latitude', c.latitude, 90],
    ['longitude', c.longitude, 180],
  ] as const) {
    if (value !== undefined && !(Math.abs(value) <= limit)) {
      throw new InvalidMessageError(
        `${where}.${field} must be within ±${limit} degrees, got ${value}`,
      );
    }
  }
}

function checkSeq(seq: number, field: string): void {
  if (!Number.isSafeInteger(seq) || seq < 0) {
    throw new InvalidMessageError(`${field} must be a non-negative safe integer, got ${seq}`);
  }
}

/** uint32 on the wire: anything else would be truncated into another epoch. */
function checkSeqEpoch(epoch: number | undefined): void {
  if (epoch === undefined) return;
  if (!Number.isInteger(epoch) || epoch < 0 || epoch > 0xffff_ffff) {
    throw new InvalidMessageError(
      `seq_epoch must be an integer from 0 to 4294967295, got ${epoch}`,
    );
  }
}

/** Every time on the wire is a wire time (see time-range.ts). */
function checkTime(t: number, field: string): void {
  if (!isWireTime(t)) throw new InvalidMessageError(wireTimeProblem(t, field));
}

/** An expiry is a wire time, or 0 for "never". */
function checkExpiry(t: number, field: string): void {
  if (t !== 0) checkTime(t, field);
}

function earliest(samples: readonly Sample[]): number | undefined {
  let min: number | undefined;
  for (const s of samples) if (min === undefined || s.timeMs < min) min = s.timeMs;
  return min;
}

function reverse<K extends string, V>(map: Record<K, V>, value: V): K | undefined {
  for (const k in map) if (map[k] === value) return k;
  return undefined;
}
