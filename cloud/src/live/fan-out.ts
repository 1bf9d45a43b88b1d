import type { CallbackGuard, Counter, Gauge, Logger, LogRecord } from '@fleetline/platform';
import type { LiveFilter } from './events.js';
import type { LiveRecordDecoder } from './record-decoder.js';
import { SubscriberQueue } from './subscriber-queue.js';
import { type LiveSubscription, Subscription } from './subscription.js';

export interface FanOutOptions {
  /** At most one state event per vehicle per subscriber this often. */
  stateIntervalMs: number;
  /** Events queued per subscriber at most. */
  queueLimit: number;
  /** Alerts of one vehicle queued per subscriber at most; more are told as `missed`. */
  alertsPerVehicle: number;
  now(): number;
  guard: CallbackGuard;
  logger: Logger;
  decoder: LiveRecordDecoder;
  dropped: Counter<'kind'>;
  subscribers: Gauge;
  /** A subscription was added; `onLeave` follows when it has gone. */
  onJoin?(filter: LiveFilter): void;
  onLeave?(filter: LiveFilter): void;
}

/**
 * The live feed's subscribers and the records fanned out to them: each record is decoded once
 * (for the kinds some subscriber wants) and offered to every subscriber's queue, which filters,
 * coalesces and bounds it (SubscriberQueue); then each queue that changed wakes its reader.
 */
export class FanOut {
  private readonly subscriptions = new Set<Subscription>();
  private closed = false;

  constructor(private readonly o: FanOutOptions) {}

  /**
   * Subscribes with a filter; `onReady` is called whenever next() has something (also when
   * the subscription ends). Once the fan-out has ended, a new subscription is ended already.
   */
  subscribe(filter: LiveFilter, onReady: () => void): LiveSubscription {
    const queue = new SubscriberQueue({
      filter,
      stateIntervalMs: this.o.stateIntervalMs,
      limit: this.o.queueLimit,
      alertsPerVehicle: this.o.alertsPerVehicle,
      onDrop: (kind, count) => this.o.dropped.inc({ kind }, count),
    });
    const subscription = new Subscription(filter, queue, {
      now: this.o.now,
      // A reader that throws (its stream failed, or an event did not serialise) loses that
      // turn; the feed, its timers and the other subscribers carry on.
      onReady: this.o.guard.wrap('live.subscriber', onReady),
      guard: this.o.guard,
      detach: (s) => {
        if (!this.subscriptions.delete(s)) return;
        this.o.subscribers.set(this.subscriptions.size);
        this.o.onLeave?.(filter);
      },
    });
    if (this.closed) {
      queue.end();
    } else {
      this.subscriptions.add(subscription);
      this.o.subscribers.set(this.subscriptions.size);
      this.o.onJoin?.(filter);
    }
    return subscription;
  }

  get size(): number {
    return this.subscriptions.size;
  }

  /** Ends the subscriptions whose filter `which` picks, each with `message` as final error. */
  end(message: string, which: (filter: LiveFilter) => boolean = () => true): void {
    for (const s of [...this.subscriptions]) {
      if (which(s.filter)) s.end(message);
    }
  }

  /** Ends every subscription; those that come later are ended at once. */
  close(message: string): void {
    this.closed = true;
    this.end(message);
  }

  /** Offers the records' events to every subscriber, and wakes those with something new. */
  deliver(records: readonly LogRecord[]): void {
    if (this.subscriptions.size === 0) return;
    try {
      let wantAlerts = false;
      let wantState = false;
      for (const s of this.subscriptions) {
        wantAlerts ||= s.filter.kinds.has('alerts');
        wantState ||= s.filter.kinds.has('state');
      }
      const now = this.o.now();
      const touched = new Set<Subscription>();
      for (const r of records) {
        const event = this.o.decoder.decode(r, wantAlerts, wantState);
        if (!event) continue;
        for (const s of this.subscriptions) {
          s.queue.offer(event, now);
          touched.add(s);
        }
      }
      for (const s of touched) s.settle(now);
    } catch (err) {
      // Never stop the reading for one subscriber's sake: the feed serves the others.
      this.o.logger.error({ err }, 'live feed could not fan out a batch');
    }
  }
}
