import { expect } from 'vitest';
import { MAX_DATE_MS } from '../../../test-support/hostile.js';
import {
  type AlertChange,
  type Command,
  type DeviceStatus,
  FleetlineError,
  isValidDeviceId,
  MAX_EVIDENCE_ENTRIES,
  MAX_SET_CONFIG_ENTRIES,
  ProtoErrorCodes,
  type Sample,
  type ServiceUpdate,
  signalById,
  TEXT_LIMITS,
  type TelemetryBatch,
  type VehicleEvent,
} from '../../src/index.js';

/**
 * The wire contract under hostile input: every field of every message at its extremes, fields
 * the schema does not know, bytes cut short or changed, noise. A decoder either returns a
 * message that keeps the contract, or throws a Fleetline error with a stable code that says
 * which message (and field) is wrong — nothing else, and never work or memory out of
 * proportion to the bytes it was given.
 *
 * This module holds what the suites share: how a refusal looks, and what every decoded
 * message must satisfy. The suites: generated-input.test.ts (every field at its extremes,
 * damaged bytes, unknown fields) and targeted-input.test.ts (seqs, times, counts, strings and
 * floats at their limits).
 */

export const DEVICE = 'veh-hostile-1';
export const NOW = 1_764_000_000_000;
export const utf8 = (s: string) => Buffer.from(s, 'utf8');
export const contractErrorCodes: readonly string[] = Object.values(ProtoErrorCodes);
/** Decoding is pure and fast: many runs cost little, and reach deep into the generators. */
export const RUNS = { numRuns: 400 };

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export function attempt<T>(f: () => T): Outcome<T> {
  try {
    return { ok: true, value: f() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** A refusal: a Fleetline error with one of the wire contract's codes, naming the message. */
export function expectRefusal(error: unknown, message: string): void {
  if (!(error instanceof FleetlineError)) {
    throw new Error(`expected a Fleetline error, got ${String(error)}`, { cause: error });
  }
  expect(contractErrorCodes).toContain(error.code);
  expect(error.message).toContain(message);
}

/** Decodes: a message that keeps the contract, or a refusal naming the message. */
export function decodesOrRefuses<T>(
  decode: (b: Uint8Array) => T,
  name: string,
  check: (m: T, bytes: Uint8Array) => void,
  bytes: Uint8Array,
): Outcome<T> {
  const r = attempt(() => decode(bytes));
  if (r.ok) check(r.value, bytes);
  else expectRefusal(r.error, name);
  return r;
}

// ── what every decoded message must satisfy ──────────────────────────────────────────────

/** In a `u` regex a lone surrogate is a code point of its own, of category Cs. */
const LONE_SURROGATE = /\p{Cs}/u;

function checkText(s: unknown, where: string, max: number): void {
  expect(typeof s, where).toBe('string');
  // A string with a lone surrogate cannot be stored or sent on as UTF-8 without loss.
  expect(LONE_SURROGATE.test(s as string), `${where} has a lone surrogate`).toBe(false);
  expect([...(s as string)].length, `${where} characters`).toBeLessThanOrEqual(max);
}

function checkSeq(seq: number, where: string): void {
  expect(
    Number.isSafeInteger(seq) && seq >= 0,
    `${where} ${seq} is a safe non-negative integer`,
  ).toBe(true);
}

/** Epoch ms every store holds and every `new Date(t).toISOString()` renders. */
function checkTime(t: number, where: string, { negative = false } = {}): void {
  const ok = Number.isSafeInteger(t) && (negative || t >= 0) && Math.abs(t) <= MAX_DATE_MS;
  expect(ok, `${where} ${t} is epoch ms within what a Date holds`).toBe(true);
}

function checkSamples(samples: readonly Sample[], bytes: Uint8Array, where: string): void {
  // Each sample costs at least one byte on the wire: decoding never multiplies the input.
  expect(samples.length, `${where}: samples per byte`).toBeLessThanOrEqual(bytes.length);
  for (const s of samples) {
    expect(signalById(s.signalId), `${where} signal ${s.signalId} in the catalogue`).toBeDefined();
    checkTime(s.timeMs, `${where} sample time`);
    expect(Number.isFinite(s.value), `${where} sample value ${s.value} is finite`).toBe(true);
  }
}

export const checkBatch = (m: TelemetryBatch, bytes: Uint8Array) => {
  expect(isValidDeviceId(m.deviceId)).toBe(true);
  checkSeq(m.seq, 'seq');
  checkTime(m.baseTimeMs, 'base_time_ms');
  checkSamples(m.samples, bytes, 'TelemetryBatch');
};

/** SAE J2012: a system letter, four hex digits (the first 0–3), optionally a failure-type byte. */
const DTC = /^[PCBU][0-3][0-9A-F]{3}([0-9A-F]{2})?$/;

export const checkEvent = (m: VehicleEvent, bytes: Uint8Array) => {
  expect(isValidDeviceId(m.deviceId)).toBe(true);
  checkSeq(m.seq, 'seq');
  checkTime(m.timeMs, 'time_ms');
  const p = m.payload;
  if (p.kind === 'collision') {
    const c = p.collision;
    for (const [k, v] of Object.entries({
      peakG: c.peakG,
      deltaVKmh: c.deltaVKmh,
      speedBeforeKmh: c.speedBeforeKmh,
    })) {
      expect(Number.isFinite(v), `collision.${k} ${v} is finite`).toBe(true);
    }
    expect(c.peakG >= 0 && c.speedBeforeKmh >= 0, 'collision magnitudes ≥ 0').toBe(true);
    if (c.latitude !== undefined) expect(Math.abs(c.latitude)).toBeLessThanOrEqual(90);
    if (c.longitude !== undefined) expect(Math.abs(c.longitude)).toBeLessThanOrEqual(180);
    checkSamples(c.window, bytes, 'collision.window');
  } else if (p.kind === 'troubleCodes') {
    for (const code of p.codes) expect(code, 'trouble code').toMatch(DTC);
  } else {
    const c = p.capture;
    checkText(c.name, 'trigger_capture.name', TEXT_LIMITS.triggerName);
    expect(c.name.length).toBeGreaterThan(0);
    checkTime(c.triggeredAtMs, 'trigger_capture.triggered_at_ms');
    checkSeq(c.relatedSeq, 'trigger_capture.related_seq');
    checkSamples(c.window, bytes, 'trigger_capture.window');
  }
};

export const checkStatus = (m: DeviceStatus) => {
  expect(isValidDeviceId(m.deviceId)).toBe(true);
  checkTime(m.timeMs, 'time_ms');
  expect(['online', 'offline']).toContain(m.state);
  checkText(m.agentVersion, 'agent_version', TEXT_LIMITS.agentVersion);
};

export const checkCommand = (m: Command) => {
  checkText(m.commandId, 'command_id', TEXT_LIMITS.commandId);
  expect(m.commandId.length).toBeGreaterThan(0);
  expect(isValidDeviceId(m.deviceId)).toBe(true);
  checkTime(m.issuedAtMs, 'issued_at_ms');
  checkTime(m.expiresAtMs, 'expires_at_ms');
  if (m.action.kind === 'setConfig') {
    const entries = Object.entries(m.action.values);
    expect(entries.length).toBeLessThanOrEqual(MAX_SET_CONFIG_ENTRIES);
    for (const [k, v] of entries) {
      checkText(k, 'set_config key', TEXT_LIMITS.setConfigKey);
      expect(k.length).toBeGreaterThan(0);
      checkText(v, 'set_config value', TEXT_LIMITS.setConfigValue);
    }
  }
};

export const checkAlertChange = (m: AlertChange) => {
  checkText(m.alertId, 'alert_id', TEXT_LIMITS.alertId);
  expect(m.alertId.length).toBeGreaterThan(0);
  expect(isValidDeviceId(m.deviceId)).toBe(true);
  checkText(m.conditionKey, 'condition_key', TEXT_LIMITS.conditionKey);
  expect(m.conditionKey.length).toBeGreaterThan(0);
  checkTime(m.timeMs, 'time_ms');
  checkText(m.clearsWhen, 'clears_when', TEXT_LIMITS.clearsWhen);
  const entries = Object.entries(m.evidence);
  expect(entries.length).toBeLessThanOrEqual(MAX_EVIDENCE_ENTRIES);
  for (const [k, v] of entries) {
    checkText(k, 'evidence key', TEXT_LIMITS.evidenceKey);
    if (typeof v === 'string') checkText(v, `evidence.${k}`, TEXT_LIMITS.evidenceText);
    else expect(Number.isFinite(v), `evidence.${k} ${v} is a finite number`).toBe(true);
  }
};

export const checkServiceUpdate = (m: ServiceUpdate) => {
  expect(isValidDeviceId(m.deviceId)).toBe(true);
  // A service may be recorded as done before 1970 (an old vehicle's history).
  checkTime(m.timeMs, 'time_ms', { negative: true });
  if (m.change.kind === 'plan') {
    const p = m.change.plan;
    for (const v of [p.intervalKm, p.intervalDays, p.aheadKm, p.aheadDays]) {
      expect(Number.isFinite(v)).toBe(true);
    }
  } else {
    checkText(m.change.serviced.serviceId, 'service_id', TEXT_LIMITS.serviceId);
    expect(Number.isFinite(m.change.serviced.odometerKm)).toBe(true);
  }
};
