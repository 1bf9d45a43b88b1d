import { fleetline } from '../../gen/fleetline.js';
import { assertDeviceId, checkDecodedDeviceId } from '../device-id.js';
import { InvalidMessageError } from '../errors.js';
import { checkDecodedSeq, checkSeq, checkSeqEpoch } from '../seq.js';
import { decodeSeries, earliestTime, encodeSeries, type Sample } from '../series.js';
import { checkText, TEXT_LIMITS } from '../text-limits.js';
import { checkWireTime } from '../time-range.js';
import { checkTroubleCodes } from '../trouble-codes.js';
import { decodeWith, nameOf } from './protobuf.js';

import v1 = fleetline.telemetry.v1;

/**
 * Event (`events.v1`): what happened to a vehicle at one time — a collision with its window
 * of samples, the trouble codes it stores, or the window a configured trigger captured. One
 * encode and one decode function per payload; the event's own fields are checked once.
 */

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

// ── encode ───────────────────────────────────────────────────────────────────────────────

export function encodeEvent(e: VehicleEvent): Uint8Array {
  assertDeviceId(e.deviceId);
  checkSeq(e.seq, 'seq');
  checkSeqEpoch(e.seqEpoch);
  checkWireTime(e.timeMs, 'time_ms');
  const m: v1.Event.$Properties = { deviceId: e.deviceId, seq: e.seq, timeMs: e.timeMs };
  if (e.seqEpoch) m.seqEpoch = e.seqEpoch;
  if (e.payload.kind === 'collision') {
    m.collision = encodeCollision(e.payload.collision, e.timeMs);
  } else if (e.payload.kind === 'troubleCodes') {
    checkTroubleCodes(e.payload.codes, 'trouble_codes');
    m.troubleCodes = { codes: e.payload.codes };
  } else {
    m.triggerCapture = encodeTriggerCapture(e.payload.capture);
  }
  return v1.Event.encode(m).finish();
}

/** The window's samples are coded from its earliest, or from the event's time when empty. */
function encodeCollision(c: Collision, eventTimeMs: number): v1.Collision.$Properties {
  const windowBase = earliestTime(c.window) ?? eventTimeMs;
  checkWireTime(windowBase, 'collision.window_base_time_ms');
  return {
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
}

function encodeTriggerCapture(c: TriggerCapture): v1.TriggerCapture.$Properties {
  checkText(c.name, TEXT_LIMITS.triggerName, 'trigger_capture.name', { required: true });
  checkWireTime(c.triggeredAtMs, 'trigger_capture.triggered_at_ms');
  checkSeq(c.relatedSeq, 'trigger_capture.related_seq');
  const windowBase = earliestTime(c.window) ?? c.triggeredAtMs;
  checkWireTime(windowBase, 'trigger_capture.window_base_time_ms');
  return {
    name: c.name,
    triggeredAtMs: c.triggeredAtMs,
    relatedSeq: c.relatedSeq,
    windowBaseTimeMs: windowBase,
    window: encodeSeries(c.window, windowBase, 'trigger_capture.window'),
  };
}

// ── decode ───────────────────────────────────────────────────────────────────────────────

export function decodeEvent(bytes: Uint8Array): VehicleEvent {
  const m = decodeWith(v1.Event, bytes, 'Event');
  const where = 'Event';
  checkDecodedDeviceId(m.deviceId, where);
  checkDecodedSeq(m.seq, `${where}.seq`);
  checkWireTime(m.timeMs, `${where}.time_ms`);
  let payload: EventPayload;
  if (m.collision) {
    payload = {
      kind: 'collision',
      collision: decodeCollision(m.collision as v1.Collision, `${where}.collision`),
    };
  } else if (m.troubleCodes) {
    const codes = m.troubleCodes.codes ?? [];
    checkTroubleCodes(codes, `${where}.trouble_codes`);
    payload = { kind: 'troubleCodes', codes: [...codes] };
  } else if (m.triggerCapture) {
    payload = {
      kind: 'triggerCapture',
      capture: decodeTriggerCapture(
        m.triggerCapture as v1.TriggerCapture,
        `${where}.trigger_capture`,
      ),
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

function decodeCollision(c: v1.Collision, where: string): Collision {
  checkWireTime(c.windowBaseTimeMs, `${where}.window_base_time_ms`);
  const severity = nameOf(severities, c.severity);
  if (!severity) throw new InvalidMessageError(`${where}.severity must be set`);
  const collision: Collision = {
    severity,
    peakG: c.peakG,
    deltaVKmh: c.deltaVKmh,
    direction: nameOf(directions, c.direction) ?? 'unspecified',
    speedBeforeKmh: c.speedBeforeKmh,
    window: decodeSeries(c.window, c.windowBaseTimeMs, `${where}.window`),
  };
  if (c.latitude != null) collision.latitude = c.latitude;
  if (c.longitude != null) collision.longitude = c.longitude;
  checkCollision(collision, where);
  return collision;
}

function decodeTriggerCapture(c: v1.TriggerCapture, where: string): TriggerCapture {
  checkText(c.name, TEXT_LIMITS.triggerName, `${where}.name`, { required: true });
  checkWireTime(c.triggeredAtMs, `${where}.triggered_at_ms`);
  checkWireTime(c.windowBaseTimeMs, `${where}.window_base_time_ms`);
  checkDecodedSeq(c.relatedSeq, `${where}.related_seq`);
  return {
    name: c.name,
    triggeredAtMs: c.triggeredAtMs,
    relatedSeq: c.relatedSeq,
    window: decodeSeries(c.window, c.windowBaseTimeMs, `${where}.window`),
  };
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
