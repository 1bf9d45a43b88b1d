import {
  type AlertEvent,
  deviceOf,
  type FeedEvent,
  type LiveFilter,
  type LiveMessage,
  type MissedEvent,
  matches,
  mergeStates,
  stateEvent,
  type VehicleState,
} from './events.js';

/**
 * One subscriber's events on their way out, pure (the caller supplies the time):
 *
 * - filter: only the devices and kinds asked for;
 * - coalescing: at most one state event per device per `stateIntervalMs`; states that come
 *   sooner are held, merged into one with the latest value of each signal, and released when
 *   the device's interval has passed (`release()`, at `nextReleaseMs()`);
 * - a bounded queue: when full, the oldest queued state event makes room (the subscriber is
 *   told how many it missed with a `dropped` event);
 * - alerts are never dropped silently, and a burst of them never ends the stream. At most
 *   `alertsPerVehicle` alerts of one vehicle wait at once, so one vehicle's burst (a flood of
 *   trouble codes) leaves room for every other vehicle's; an alert past that, or one that
 *   finds the queue full of alerts, is counted into a `missed` event that takes its place in
 *   the order — how many, of which vehicles, "read GET /api/alerts" — and the stream goes on.
 *   (It used to end every stream with an `error`: one vehicle could close every dealer's
 *   view, and all of them then reconnected and re-read the alerts at once.)
 */

export interface SubscriberQueueOptions {
  filter: LiveFilter;
  stateIntervalMs: number;
  /** Most events queued at once (a pending `missed` event may come on top). */
  limit: number;
  /** Most alerts of one vehicle queued at once (default: `limit`). */
  alertsPerVehicle?: number;
  /** Told of events that will not be sent: state events dropped, alerts missed. */
  onDrop?(kind: 'state' | 'alert', count: number): void;
}

/** Alerts not sent, while it waits in the queue: further misses add to it until it is taken. */
interface MissedTally {
  readonly event: 'missed';
  alerts: number;
  readonly deviceIds: Set<string>;
}

const MISSED_DEVICES_LISTED = 100;

export function missedMessage(alerts: number): string {
  return `${alerts} alert change${alerts === 1 ? ' was' : 's were'} not sent to keep this stream going (a burst, or more than this connection reads); read GET /api/alerts for them`;
}

export class SubscriberQueue {
  private queue: (AlertEvent | VehicleState | MissedTally)[] = [];
  /** Alerts queued per vehicle. */
  private readonly alertsOf = new Map<string, number>();
  /** The `missed` tally still in the queue, which further misses add to. */
  private missed: MissedTally | undefined;
  /** States waiting for their vehicle's next slot, merged. */
  private readonly held = new Map<string, VehicleState>();
  /** When each vehicle's last state was queued. */
  private readonly lastQueuedMs = new Map<string, number>();
  private droppedUntold = 0;
  private finalMessage: string | undefined;
  private finished = false;
  private finalSent = false;

  constructor(private readonly o: SubscriberQueueOptions) {}

  /** Takes an event from the feed. False when the subscription has ended (end()). */
  offer(event: FeedEvent, nowMs: number): boolean {
    if (this.finished) return false;
    if (!matches(this.o.filter, event)) return true;
    if (event.event === 'alert') {
      this.enqueue(event);
      return !this.finished;
    }
    const id = event.deviceId;
    const pending = this.held.get(id);
    const merged = pending ? mergeStates(pending, event) : event;
    const last = this.lastQueuedMs.get(id);
    if (last !== undefined && nowMs < last + this.o.stateIntervalMs) {
      this.held.set(id, merged);
    } else {
      this.held.delete(id);
      this.lastQueuedMs.set(id, nowMs);
      this.enqueue(merged);
    }
    return true;
  }

  /** Queues the held states whose interval has passed; forgets vehicles long quiet. */
  release(nowMs: number): void {
    if (this.finished) return;
    for (const [id, state] of this.held) {
      const last = this.lastQueuedMs.get(id) ?? Number.NEGATIVE_INFINITY;
      if (nowMs < last + this.o.stateIntervalMs) continue;
      this.held.delete(id);
      this.lastQueuedMs.set(id, nowMs);
      this.enqueue(state);
    }
    for (const [id, last] of this.lastQueuedMs) {
      if (nowMs >= last + this.o.stateIntervalMs && !this.held.has(id)) {
        this.lastQueuedMs.delete(id);
      }
    }
  }

  /** When the next held state is due; undefined when none is held. */
  nextReleaseMs(): number | undefined {
    let next: number | undefined;
    for (const id of this.held.keys()) {
      const due = (this.lastQueuedMs.get(id) ?? 0) + this.o.stateIntervalMs;
      if (next === undefined || due < next) next = due;
    }
    return next;
  }

  /**
   * The next message to send: a `dropped` notice first when state events were dropped, then
   * the queue in order. Once ended: the final `error` (if there is one), then nothing.
   */
  take(): LiveMessage | undefined {
    if (this.finished) {
      if (this.finalMessage === undefined || this.finalSent) return undefined;
      this.finalSent = true;
      return { event: 'error', data: { message: this.finalMessage } };
    }
    if (this.droppedUntold > 0) {
      const count = this.droppedUntold;
      this.droppedUntold = 0;
      return { event: 'dropped', data: { count } };
    }
    const next = this.queue.shift();
    if (next === undefined) return undefined;
    if (next.event === 'alert') {
      const deviceId = next.data.deviceId;
      const left = (this.alertsOf.get(deviceId) ?? 1) - 1;
      if (left > 0) this.alertsOf.set(deviceId, left);
      else this.alertsOf.delete(deviceId);
      return next;
    }
    if (next.event === 'missed') {
      if (this.missed === next) this.missed = undefined;
      return missedEvent(next);
    }
    return stateEvent(next);
  }

  /**
   * Ends the subscription: nothing more is queued, what is queued is let go, and `take()`
   * yields a final error carrying `message` when one is given.
   */
  end(message?: string): void {
    if (this.finished) return;
    this.finished = true;
    this.finalMessage = message;
    this.queue = [];
    this.held.clear();
    this.lastQueuedMs.clear();
    this.alertsOf.clear();
    this.missed = undefined;
  }

  /** True once the subscription has ended (end()). */
  get ended(): boolean {
    return this.finished;
  }

  /** Events queued (held states not counted). */
  get size(): number {
    return this.queue.length;
  }

  /** True when take() has something. */
  get ready(): boolean {
    return this.finished
      ? this.finalMessage !== undefined && !this.finalSent
      : this.droppedUntold > 0 || this.queue.length > 0;
  }

  private enqueue(event: AlertEvent | VehicleState): void {
    if (event.event === 'alert') {
      const deviceId = deviceOf(event);
      const ofVehicle = this.alertsOf.get(deviceId) ?? 0;
      if (ofVehicle >= (this.o.alertsPerVehicle ?? this.o.limit) || !this.makeRoom()) {
        this.miss(event);
        return;
      }
      this.alertsOf.set(deviceId, ofVehicle + 1);
      this.queue.push(event);
      return;
    }
    if (this.makeRoom()) this.queue.push(event);
    else this.drop('state');
  }

  /** True when there is room for one more event, made by dropping the oldest state if need be. */
  private makeRoom(): boolean {
    if (this.queue.length - (this.missed ? 1 : 0) < this.o.limit) return true;
    const oldestState = this.queue.findIndex((e) => e.event === 'state');
    if (oldestState < 0) return false;
    this.queue.splice(oldestState, 1);
    this.drop('state');
    return true;
  }

  private miss(alert: AlertEvent): void {
    if (!this.missed) {
      this.missed = { event: 'missed', alerts: 0, deviceIds: new Set() };
      this.queue.push(this.missed);
    }
    this.missed.alerts++;
    if (this.missed.deviceIds.size < MISSED_DEVICES_LISTED) {
      this.missed.deviceIds.add(deviceOf(alert));
    }
    this.o.onDrop?.('alert', 1);
  }

  private drop(kind: 'state'): void {
    this.droppedUntold++;
    this.o.onDrop?.(kind, 1);
  }
}

function missedEvent(t: MissedTally): MissedEvent {
  return {
    event: 'missed',
    data: { alerts: t.alerts, deviceIds: [...t.deviceIds], message: missedMessage(t.alerts) },
  };
}
