import type { DeviceStatus, Sample, TelemetryBatch, VehicleEvent } from '@fleetline/proto';
import { GatewayErrorCodes } from './errors.js';

/**
 * Whether the times a device sent fit the clock of the gateway that received them. The codec
 * already holds every time to the wire's range; only the gateway knows "now", so only it can
 * tell a device whose clock is wrong:
 *
 * - ahead: a time more than `maxAheadMs` past the receive time. Such data would sort after
 *   everything the vehicle sends next and poison "latest" values and detectors for as long as
 *   the clock is wrong.
 * - never set: a time before 2000-01-01. A device without a real-time clock or fix boots at
 *   the epoch; no Fleetline data predates 2000, so such a time is a clock not yet set, not an
 *   old sample. Old data from a device offline for long (the spool) stays welcome.
 *
 * Pure: the bridge turns a problem into a dead-letter record.
 */

/** 2000-01-01T00:00:00Z: earlier device times are a clock that was never set. */
export const CLOCK_SET_SINCE_MS = 946_684_800_000;

export interface ClockProblem {
  readonly code: typeof GatewayErrorCodes.clockAhead | typeof GatewayErrorCodes.clockUnset;
  readonly reason: string;
}

export type Uplink =
  | { kind: 'telemetry'; message: TelemetryBatch }
  | { kind: 'events'; message: VehicleEvent }
  | { kind: 'status'; message: DeviceStatus };

/** A time a message carries: the field it is in, and the signal for a sample. */
interface Timed {
  timeMs: number;
  field: string;
  signalId?: number;
}

/**
 * The earliest and latest time a message carries. A plain loop: it runs on every publish,
 * over every sample of a batch.
 */
function extremes(u: Uplink): { earliest: Timed; latest: Timed } {
  let earliest: Timed = { timeMs: Number.POSITIVE_INFINITY, field: '' };
  let latest: Timed = { timeMs: Number.NEGATIVE_INFINITY, field: '' };
  const see = (timeMs: number, field: string) => {
    if (timeMs < earliest.timeMs) earliest = { timeMs, field };
    if (timeMs > latest.timeMs) latest = { timeMs, field };
  };
  const samples = (field: string, list: readonly Sample[]) => {
    for (const s of list) {
      if (s.timeMs < earliest.timeMs) earliest = { timeMs: s.timeMs, field, signalId: s.signalId };
      if (s.timeMs > latest.timeMs) latest = { timeMs: s.timeMs, field, signalId: s.signalId };
    }
  };
  if (u.kind === 'telemetry') {
    see(u.message.baseTimeMs, 'TelemetryBatch.base_time_ms');
    samples('TelemetryBatch', u.message.samples);
  } else if (u.kind === 'events') {
    see(u.message.timeMs, 'Event.time_ms');
    const p = u.message.payload;
    if (p.kind === 'collision') samples('Event.collision.window', p.collision.window);
    if (p.kind === 'triggerCapture') {
      see(p.capture.triggeredAtMs, 'Event.trigger_capture.triggered_at_ms');
      samples('Event.trigger_capture.window', p.capture.window);
    }
  } else {
    see(u.message.timeMs, 'DeviceStatus.time_ms');
  }
  return { earliest, latest };
}

const iso = (ms: number) => new Date(ms).toISOString();
const describe = (t: Timed) =>
  t.signalId === undefined
    ? `${t.field} ${iso(t.timeMs)}`
    : `${t.field} sample time ${iso(t.timeMs)} (signal ${t.signalId})`;

/** The first problem with the message's times, or undefined when they fit. */
export function checkDeviceClock(
  u: Uplink,
  receivedAtMs: number,
  maxAheadMs: number,
): ClockProblem | undefined {
  const { earliest, latest } = extremes(u);
  if (latest.timeMs > receivedAtMs + maxAheadMs) {
    return {
      code: GatewayErrorCodes.clockAhead,
      reason: `${describe(latest)} is ${Math.round((latest.timeMs - receivedAtMs) / 1000)} s ahead of the gateway's clock (${iso(receivedAtMs)}); at most ${Math.round(maxAheadMs / 1000)} s ahead is accepted: the device's clock is wrong`,
    };
  }
  if (earliest.timeMs < CLOCK_SET_SINCE_MS) {
    return {
      code: GatewayErrorCodes.clockUnset,
      reason: `${describe(earliest)} is before 2000-01-01T00:00:00Z: the device's clock was never set`,
    };
  }
  return undefined;
}
