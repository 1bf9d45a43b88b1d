import {
  Counter,
  Gauge,
  type Log,
  type LogConsumer,
  type Logger,
  type LogRecord,
  type Registry,
  type TopicPartition,
} from '@fleetline/platform';
import { decodeAlertChange, decodeTelemetryBatch, kafkaTopics } from '@fleetline/proto';
import {
  alertEvent,
  type FeedEvent,
  type LiveFilter,
  type LiveMessage,
  vehicleState,
} from './events.js';
import { SubscriberQueue } from './subscriber-queue.js';

/**
 * The live view of alerts and vehicle state, read from the log so that it shows what every
 * processor produced, whichever process it runs in. Each API instance reads `alerts.v1` and
 * `telemetry.v1` in a consumer group of its own, from the end of the log (a live view wants
 * what comes next, never a replay), and fans each record out to its subscribers' queues
 * (filtering, coalescing and back-pressure are in SubscriberQueue). A record that does not
 * decode is counted and skipped.
 */

export interface LiveFeedOptions {
  log: Log;
  /** A consumer group of this instance alone, e.g. `${processorGroup}-live-${random}`. */
  groupId: string;
  logger: Logger;
  metrics: Registry;
  /** At most one state event per vehicle per subscriber this often (default 1000 ms). */
  stateIntervalMs?: number;
  /** Events queued per subscriber at most (default 1000). */
  queueLimit?: number;
  /** Called when the feed cannot continue (its consumer stopped); subscribers are ended. */
  onError?(error: Error): void;
  /** Clock, epoch ms (default Date.now). */
  now?(): number;
}

/** One subscriber's end of the feed: it pulls messages when told they are ready. */
export interface LiveSubscription {
  /** The next message to send, or undefined when none is ready (or none will come). */
  next(): LiveMessage | undefined;
  /** True once nothing more will come (and any final error has been taken). */
  readonly ended: boolean;
  /** Unsubscribes. */
  close(): void;
}

const WARN_INTERVAL_MS = 10_000;
const FEED_STOPPED = 'the live feed stopped; reconnect';
const FEED_CLOSED = 'the server is shutting down; reconnect';

export class LiveFeed {
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly stateIntervalMs: number;
  private readonly queueLimit: number;
  private readonly subscriptions = new Set<Subscription>();
  private readonly dropped: Counter<'kind'>;
  private readonly skipped: Counter<'topic'>;
  private readonly subscribers: Gauge;
  private consumer: LogConsumer | undefined;
  private assigned: readonly TopicPartition[] = [];
  private stopped = false;
  private skippedSinceWarning = 0;
  private lastWarningMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly o: LiveFeedOptions) {
    this.log = o.logger.child({ component: 'live-feed' });
    this.now = o.now ?? Date.now;
    this.stateIntervalMs = o.stateIntervalMs ?? 1000;
    this.queueLimit = o.queueLimit ?? 1000;
    this.dropped = new Counter({
      name: 'fleetline_live_events_dropped_total',
      help: 'Live events not sent: state events dropped for slow subscribers, alerts lost when an overflow closed a connection',
      labelNames: ['kind'],
      registers: [o.metrics],
    });
    this.skipped = new Counter({
      name: 'fleetline_live_records_skipped_total',
      help: 'Records the live feed skipped because they do not decode, by topic',
      labelNames: ['topic'],
      registers: [o.metrics],
    });
    this.subscribers = new Gauge({
      name: 'fleetline_live_subscribers',
      help: 'Open subscriptions to the live feed',
      registers: [o.metrics],
    });
  }

  /** Joins the feed's consumer group; records appended from about now on are fanned out. */
  async start(): Promise<void> {
    if (this.consumer || this.stopped) return;
    this.consumer = await this.o.log.consume({
      groupId: this.o.groupId,
      topics: [kafkaTopics.alerts, kafkaTopics.telemetry],
      startAt: 'latest',
      onAssigned: (partitions) => {
        this.assigned = partitions;
      },
      handle: async (records) => this.handle(records),
      onError: (err) => {
        this.log.error({ err }, 'live feed stopped');
        this.stop(FEED_STOPPED);
        this.o.onError?.(err);
      },
    });
  }

  /**
   * Subscribes with a filter; `onReady` is called whenever next() has something (also when
   * the subscription ends). A subscription of a feed that has stopped is ended already.
   */
  subscribe(filter: LiveFilter, onReady: () => void): LiveSubscription {
    const queue = new SubscriberQueue({
      filter,
      stateIntervalMs: this.stateIntervalMs,
      limit: this.queueLimit,
      onDrop: (kind, count) => this.dropped.inc({ kind }, count),
    });
    const subscription = new Subscription(filter, queue, {
      now: this.now,
      onReady,
      detach: (s) => {
        if (this.subscriptions.delete(s)) this.subscribers.set(this.subscriptions.size);
      },
    });
    if (this.stopped) {
      queue.end();
    } else {
      this.subscriptions.add(subscription);
      this.subscribers.set(this.subscriptions.size);
    }
    return subscription;
  }

  get subscriberCount(): number {
    return this.subscriptions.size;
  }

  /** This instance's partitions of the two topics (all of them once it has joined). */
  get assignedPartitions(): readonly TopicPartition[] {
    return this.assigned;
  }

  /** Ends every subscription and leaves the group. */
  async close(): Promise<void> {
    this.stop(FEED_CLOSED);
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.close();
  }

  private stop(message: string): void {
    this.stopped = true;
    for (const s of [...this.subscriptions]) s.end(message);
  }

  private handle(records: readonly LogRecord[]): void {
    if (this.subscriptions.size === 0) return;
    try {
      let wantAlerts = false;
      let wantState = false;
      for (const s of this.subscriptions) {
        wantAlerts ||= s.filter.kinds.has('alerts');
        wantState ||= s.filter.kinds.has('state');
      }
      const now = this.now();
      const touched = new Set<Subscription>();
      for (const r of records) {
        const event = this.decode(r, wantAlerts, wantState);
        if (!event) continue;
        for (const s of this.subscriptions) {
          s.queue.offer(event, now);
          touched.add(s);
        }
      }
      for (const s of touched) s.settle(now);
    } catch (err) {
      // Never stop the consumer for one subscriber's sake: the feed serves the others.
      this.log.error({ err }, 'live feed could not fan out a batch');
    }
  }

  private decode(r: LogRecord, wantAlerts: boolean, wantState: boolean): FeedEvent | undefined {
    try {
      if (r.topic === kafkaTopics.alerts) {
        return wantAlerts ? alertEvent(decodeAlertChange(r.value)) : undefined;
      }
      if (r.topic === kafkaTopics.telemetry) {
        return wantState ? vehicleState(decodeTelemetryBatch(r.value)) : undefined;
      }
      return undefined;
    } catch (err) {
      this.skipped.inc({ topic: r.topic });
      this.skippedSinceWarning++;
      const now = this.now();
      if (now - this.lastWarningMs >= WARN_INTERVAL_MS) {
        this.log.warn(
          {
            topic: r.topic,
            partition: r.partition,
            offset: r.offset,
            reason: (err as Error).message,
            skipped: this.skippedSinceWarning,
          },
          'live feed skipped records that do not decode',
        );
        this.skippedSinceWarning = 0;
        this.lastWarningMs = now;
      }
      return undefined;
    }
  }
}

class Subscription implements LiveSubscription {
  private timer: NodeJS.Timeout | undefined;
  private timerAtMs = Number.POSITIVE_INFINITY;

  constructor(
    readonly filter: LiveFilter,
    readonly queue: SubscriberQueue,
    private readonly deps: {
      now(): number;
      onReady(): void;
      detach(s: Subscription): void;
    },
  ) {}

  next(): LiveMessage | undefined {
    return this.queue.take();
  }

  get ended(): boolean {
    return this.queue.ended && !this.queue.ready;
  }

  close(): void {
    this.queue.end();
    this.release();
  }

  /** Ends it from the feed's side, with a final error for the reader. */
  end(message: string): void {
    this.queue.end(message);
    this.release();
    this.deps.onReady();
  }

  /** After the queue changed: detach if it ended, set the release timer, wake the reader. */
  settle(nowMs: number): void {
    if (this.queue.ended) this.release();
    else this.schedule(nowMs);
    if (this.queue.ready || this.queue.ended) this.deps.onReady();
  }

  private schedule(nowMs: number): void {
    const due = this.queue.nextReleaseMs();
    if (due === undefined || due >= this.timerAtMs) return;
    clearTimeout(this.timer);
    this.timerAtMs = due;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAtMs = Number.POSITIVE_INFINITY;
        const now = this.deps.now();
        this.queue.release(now);
        this.settle(now);
      },
      Math.max(0, due - nowMs),
    );
    this.timer.unref();
  }

  private release(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAtMs = Number.POSITIVE_INFINITY;
    this.deps.detach(this);
  }
}
