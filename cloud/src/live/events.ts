import { type AlertChange, signalById, type TelemetryBatch } from '@fleetline/proto';

/**
 * What the live stream carries, and the pure steps from log records to it: an alert change
 * as it is, a telemetry batch as the latest value of each of its signals, named by the
 * catalogue. No I/O here.
 */

export const liveKinds = ['alerts', 'state'] as const;
export type LiveKind = (typeof liveKinds)[number];

export interface AlertEvent {
  readonly type: 'alert';
  readonly id: string;
  readonly vehicleId: string;
  readonly alertType: string;
  readonly severity: string;
  readonly transition: 'raised' | 'cleared';
  /** ISO 8601. */
  readonly time: string;
  readonly conditionKey: string;
  readonly evidence: Readonly<Record<string, number | string>>;
}

/** The latest value of each signal of one vehicle, as sent: times in ISO 8601. */
export interface StateEvent {
  readonly type: 'state';
  readonly vehicleId: string;
  /** The newest sample's time. */
  readonly time: string;
  readonly signals: Readonly<Record<string, { readonly v: number; readonly t: string }>>;
}

export interface DroppedEvent {
  readonly type: 'dropped';
  /** State events this subscriber missed since it was last told. */
  readonly count: number;
}

/**
 * Alert changes this subscriber was not sent, to keep its stream going through a burst (one
 * vehicle's, or more than a slow reader takes): how many, and of which vehicles. They are
 * all in the alert book: read GET /api/alerts.
 */
export interface MissedEvent {
  readonly type: 'missed';
  readonly alerts: number;
  /** The vehicles they were of (the first 100). */
  readonly vehicleIds: readonly string[];
  readonly message: string;
}

export interface ErrorEvent {
  readonly type: 'error';
  readonly message: string;
}

/** Everything a subscriber is sent. */
export type LiveMessage = AlertEvent | StateEvent | DroppedEvent | MissedEvent | ErrorEvent;

/** A vehicle's latest values while they are queued or held (times as epoch ms). */
export interface VehicleState {
  readonly type: 'state';
  readonly vehicleId: string;
  readonly timeMs: number;
  /** VSS name → latest value and its time. */
  readonly signals: ReadonlyMap<string, { readonly v: number; readonly tMs: number }>;
}

/** What the feed hands to subscribers. */
export type FeedEvent = AlertEvent | VehicleState;

/** Which events a subscriber wants: some vehicles (all when absent), some kinds. */
export interface LiveFilter {
  readonly vehicleIds?: ReadonlySet<string> | undefined;
  readonly kinds: ReadonlySet<LiveKind>;
}

export function matches(filter: LiveFilter, event: FeedEvent): boolean {
  if (!filter.kinds.has(event.type === 'alert' ? 'alerts' : 'state')) return false;
  return !filter.vehicleIds || filter.vehicleIds.has(event.vehicleId);
}

export function alertEvent(c: AlertChange): AlertEvent {
  return {
    type: 'alert',
    id: c.alertId,
    vehicleId: c.deviceId,
    alertType: c.type,
    severity: c.severity,
    transition: c.transition,
    time: new Date(c.timeMs).toISOString(),
    conditionKey: c.conditionKey,
    evidence: { ...c.evidence },
  };
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
  return { type: 'state', vehicleId: batch.deviceId, timeMs, signals };
}

/** `older` updated by `newer`: per signal the value with the later time (ties: newer's). */
export function mergeStates(older: VehicleState, newer: VehicleState): VehicleState {
  const signals = new Map(older.signals);
  for (const [name, s] of newer.signals) {
    const seen = signals.get(name);
    if (!seen || s.tMs >= seen.tMs) signals.set(name, s);
  }
  return {
    type: 'state',
    vehicleId: older.vehicleId,
    timeMs: Math.max(older.timeMs, newer.timeMs),
    signals,
  };
}

export function stateEvent(s: VehicleState): StateEvent {
  const signals: Record<string, { v: number; t: string }> = {};
  for (const [name, { v, tMs }] of s.signals) {
    signals[name] = { v, t: new Date(tMs).toISOString() };
  }
  return {
    type: 'state',
    vehicleId: s.vehicleId,
    time: new Date(s.timeMs).toISOString(),
    signals,
  };
}
