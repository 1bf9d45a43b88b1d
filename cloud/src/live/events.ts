import { type AlertChange, signalById, signalByName, type TelemetryBatch } from '@fleetline/proto';
import { alertChangeBody, type ClearedAlertJson, type RaisedAlertJson } from '../api/alert-body.js';
import { type SignalValueJson, signalValue } from '../api/signal-value.js';
import { isoTime } from '../api/time.js';

/**
 * What the live stream carries, and the pure steps from log records to it: an alert change
 * as the alert's fields it tells, a telemetry batch as the latest value of each of its
 * signals, named by the catalogue. No I/O here.
 *
 * A message is its SSE event name (`event`) and its JSON (`data`): the event names the kind,
 * so no body needs a field of its own for it — an alert's `type` is the alert's type, as in
 * GET /api/alerts.
 */

export const liveKinds = ['alerts', 'state'] as const;
export type LiveKind = (typeof liveKinds)[number];

/** An alert change, in the shape of GET /api/alerts (a subset: see alertChangeBody). */
export interface AlertEvent {
  readonly event: 'alert';
  readonly data: RaisedAlertJson | ClearedAlertJson;
}

/** The latest value of each signal of one device, as sent: times in ISO 8601. */
export interface StateEvent {
  readonly event: 'state';
  readonly data: {
    readonly deviceId: string;
    /** The newest sample's time. */
    readonly time: string;
    /** Each signal's latest value, as in GET /api/vehicles/{deviceId}. */
    readonly signals: readonly SignalValueJson[];
  };
}

export interface DroppedEvent {
  readonly event: 'dropped';
  /** State events this subscriber missed since it was last told. */
  readonly data: { readonly count: number };
}

/**
 * Alert changes this subscriber was not sent, to keep its stream going through a burst (one
 * device's, or more than a slow reader takes): how many, and of which devices. They are all
 * in the alert book: read GET /api/alerts.
 */
export interface MissedEvent {
  readonly event: 'missed';
  readonly data: {
    readonly alerts: number;
    /** The devices they were of (the first 100). */
    readonly deviceIds: readonly string[];
    readonly message: string;
  };
}

export interface ErrorEvent {
  readonly event: 'error';
  readonly data: { readonly message: string };
}

/** Everything a subscriber is sent. */
export type LiveMessage = AlertEvent | StateEvent | DroppedEvent | MissedEvent | ErrorEvent;

/** A device's latest values while they are queued or held (times as epoch ms). */
export interface VehicleState {
  readonly event: 'state';
  readonly deviceId: string;
  readonly timeMs: number;
  /** VSS name → latest value and its time. */
  readonly signals: ReadonlyMap<string, { readonly v: number; readonly tMs: number }>;
}

/** What the feed hands to subscribers. */
export type FeedEvent = AlertEvent | VehicleState;

/** The device a feed event is of. */
export const deviceOf = (event: FeedEvent): string =>
  event.event === 'alert' ? event.data.deviceId : event.deviceId;

/** Which events a subscriber wants: some devices (all when absent), some kinds. */
export interface LiveFilter {
  readonly deviceIds?: ReadonlySet<string> | undefined;
  readonly kinds: ReadonlySet<LiveKind>;
}

export function matches(filter: LiveFilter, event: FeedEvent): boolean {
  if (!filter.kinds.has(event.event === 'alert' ? 'alerts' : 'state')) return false;
  return !filter.deviceIds || filter.deviceIds.has(deviceOf(event));
}

export function alertEvent(c: AlertChange): AlertEvent {
  return { event: 'alert', data: alertChangeBody(c) };
}

/**
 * The latest sample of each catalogue signal in the batch; undefined when it has none.
 * Signals outside the catalogue have no name and are left out.
 */
export function vehicleState(batch: TelemetryBatch): VehicleState | undefined {
  const signals = new Map<string, { v: number; tMs: number }>();
  let timeMs = -1;
  for (const s of batch.samples) {
    const name = signalById(s.signalId)?.name;
    if (name === undefined) continue;
    const seen = signals.get(name);
    if (!seen || s.timeMs >= seen.tMs) signals.set(name, { v: s.value, tMs: s.timeMs });
    if (s.timeMs > timeMs) timeMs = s.timeMs;
  }
  if (signals.size === 0) return undefined;
  return { event: 'state', deviceId: batch.deviceId, timeMs, signals };
}

/** `older` updated by `newer`: per signal the value with the later time (ties: newer's). */
export function mergeStates(older: VehicleState, newer: VehicleState): VehicleState {
  const signals = new Map(older.signals);
  for (const [name, s] of newer.signals) {
    const seen = signals.get(name);
    if (!seen || s.tMs >= seen.tMs) signals.set(name, s);
  }
  return {
    event: 'state',
    deviceId: older.deviceId,
    timeMs: Math.max(older.timeMs, newer.timeMs),
    signals,
  };
}

export function stateEvent(s: VehicleState): StateEvent {
  const signals: SignalValueJson[] = [];
  for (const [name, { v, tMs }] of s.signals) {
    // The names come from the catalogue (vehicleState): the unit is found.
    signals.push(signalValue({ name, unit: signalByName(name)?.unit ?? '' }, tMs, v));
  }
  return {
    event: 'state',
    data: { deviceId: s.deviceId, time: isoTime(s.timeMs), signals },
  };
}
