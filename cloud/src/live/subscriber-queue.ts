import {
  type AlertEvent,
  type FeedEvent,
  type LiveFilter,
  type LiveMessage,
  matches,
  mergeStates,
  stateEvent,
  type VehicleState,
} from './events.js';

/**
 * One subscriber's events on their way out, pure (the caller supplies the time):
 *
 * - filter: only the vehicles and kinds asked for;
 * - coalescing: at most one state event per vehicle per `stateIntervalMs`; states that come
 *   sooner are held, merged into one with the latest value of each signal, and released when
 *   the vehicle's interval has passed (`release()`, at `nextReleaseMs()`);
 * - a bounded queue: when full, the oldest queued state event makes room (the subscriber is
 *   told how many it missed with a `dropped` event); alerts are never dropped silently — an
 *   alert that finds the queue full of alerts ends the subscription with a final `error`.
 */

export interface SubscriberQueueOptions {
  filter: LiveFilter;
  stateIntervalMs: number;
  /** Most events queued at once. */
  limit: number;
  /** Told of events that will not be sent: state events dropped, alerts lost to an overflow. */
  onDrop?(kind: 'state' | 'alert', count: number): void;
}

export const OVERFLOW_MESSAGE =
  'too many alerts waiting for this connection; reconnect and read GET /api/alerts for what was missed';

export class SubscriberQueue {
  private queue: (AlertEvent | VehicleState)[] = [];
  /** States waiting for their vehicle's next slot, merged. */
  private readonly held = new Map<string, VehicleState>();
  /** When each vehicle's last state was queued. */
  private readonly lastQueuedMs = new Map<string, number>();
  private droppedUntold = 0;
  private finalMessage: string | undefined;
  private finished = false;
  private finalSent = false;

  constructor(private readonly o: SubscriberQueueOptions) {}

  /** Takes an event from the feed. False when the subscription has ended. */
  offer(event: FeedEvent, nowMs: number): boolean {
    if (this.finished) return false;
    if (!matches(this.o.filter, event)) return true;
    if (event.type === 'alert') {
      this.enqueue(event);
      return !this.finished;
    }
    const id = event.vehicleId;
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
      return { type: 'error', message: this.finalMessage };
    }
    if (this.droppedUntold > 0) {
      const count = this.droppedUntold;
      this.droppedUntold = 0;
      return { type: 'dropped', count };
    }
    const next = this.queue.shift();
    if (next === undefined) return undefined;
    return next.type === 'alert' ? next : stateEvent(next);
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
  }

  /** True once the subscription has ended (overflow or end()). */
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
    if (this.queue.length < this.o.limit) {
      this.queue.push(event);
      return;
    }
    const oldestState = this.queue.findIndex((e) => e.type === 'state');
    if (oldestState >= 0) {
      this.queue.splice(oldestState, 1);
      this.queue.push(event);
      this.drop('state');
    } else if (event.type === 'state') {
      this.drop('state');
    } else {
      const lost = this.queue.length + 1;
      this.o.onDrop?.('alert', lost);
      this.end(OVERFLOW_MESSAGE);
    }
  }

  private drop(kind: 'state'): void {
    this.droppedUntold++;
    this.o.onDrop?.(kind, 1);
  }
}
