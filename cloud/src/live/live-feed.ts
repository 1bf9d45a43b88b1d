import {
  type CallbackGuard,
  Counter,
  callbackGuard,
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
 * processor produced, whichever process it runs in. Each API instance reads the log in
 * consumer groups of its own, from the end (a live view wants what comes next, never a
 * replay), and fans each record out to its subscribers' queues (filtering, coalescing and
 * back-pressure are in SubscriberQueue). A record that does not decode is counted and skipped.
 *
 * `alerts.v1` is read all the time: alerts are rare and cheap. `telemetry.v1` is the busiest
 * topic (every vehicle's every batch) and the processor reads it already: fetching and parsing
 * it a second time, and committing offsets for it, is a large share of the process's CPU, so
 * it is read only while some subscriber wants `state` events. The first such subscriber starts
 * a consumer of it (events come once that consumer has its partitions); it is closed when the
 * last one has been gone for `stateIdleMs`, so that a page reload does not churn the group.
 * Starts and stops run one at a time, never two consumers at once. Each start joins a new
 * group (`<groupId>-state-<n>`): a group that resumed would read on from its committed offset,
 * replaying everything appended while it was stopped. When that consumer fails, the state
 * subscribers are ended with a final error (they reconnect) and the alerts read on.
 *
 * Timers, the consumers' callbacks and the subscribers' `onReady` run under a CallbackGuard:
 * whatever one of them throws is logged and counted, and never ends the process.
 */

export interface LiveFeedOptions {
  log: Log;
  /** A consumer group of this instance alone, e.g. `${processorGroup}-live-${random}`. */
  groupId: string;
  logger: Logger;
  metrics: Registry;
  /** At most one state event per vehicle per subscriber this often (default 1000 ms). */
  stateIntervalMs?: number;
  /**
   * How long telemetry is still read after the last subscriber wanting state events left
   * (default 30 s).
   */
  stateIdleMs?: number;
  /** Events queued per subscriber at most (default 1000). */
  queueLimit?: number;
  /**
   * Alerts of one vehicle queued per subscriber at most (default a tenth of queueLimit); more
   * are told as `missed`, so one vehicle's burst leaves room for the others'.
   */
  alertsPerVehicle?: number;
  /**
   * Called when the feed cannot continue (its alerts consumer stopped); subscribers are ended.
   * A failure of the telemetry consumer ends only the state subscribers and is not reported
   * here.
   */
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
export const STATE_STOPPED = 'the live vehicle state stopped; reconnect';

/** One telemetry consumer, from the call that starts it until it has closed. */
interface TelemetryReader {
  consumer: LogConsumer | undefined;
  assigned: readonly TopicPartition[];
  /** It stopped on its own, or never started: to be closed, not read on. */
  failed: boolean;
}

export class LiveFeed {
  private readonly log: Logger;
  /** Runs timers and callbacks so that a throw is logged and counted, not fatal. */
  readonly guard: CallbackGuard;
  private readonly now: () => number;
  private readonly stateIntervalMs: number;
  private readonly stateIdleMs: number;
  private readonly queueLimit: number;
  private readonly alertsPerVehicle: number;
  private readonly subscriptions = new Set<Subscription>();
  private readonly dropped: Counter<'kind'>;
  private readonly skipped: Counter<'topic'>;
  private readonly subscribers: Gauge;
  private readonly readingGauge: Gauge;
  private consumer: LogConsumer | undefined;
  private assigned: readonly TopicPartition[] = [];
  private started = false;
  private stopped = false;
  private skippedSinceWarning = 0;
  private lastWarningMs = Number.NEGATIVE_INFINITY;
  /** Open subscriptions whose kinds include state. */
  private stateSubscribers = 0;
  /** Whether telemetry should be read now; the driver brings `telemetry` in line with it. */
  private telemetryWanted = false;
  /** The open telemetry consumer (or the failed one, until it is closed). */
  private telemetry: TelemetryReader | undefined;
  /** The driver, while it runs: the only place telemetry consumers are started and closed. */
  private driving: Promise<void> | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private telemetryStarts = 0;

  constructor(private readonly o: LiveFeedOptions) {
    this.log = o.logger.child({ component: 'live-feed' });
    this.guard = callbackGuard({ logger: this.log, metrics: o.metrics });
    this.now = o.now ?? Date.now;
    this.stateIntervalMs = o.stateIntervalMs ?? 1000;
    this.stateIdleMs = o.stateIdleMs ?? 30_000;
    this.queueLimit = o.queueLimit ?? 1000;
    this.alertsPerVehicle = o.alertsPerVehicle ?? Math.max(1, Math.floor(this.queueLimit / 10));
    this.dropped = new Counter({
      name: 'fleetline_live_events_dropped_total',
      help: 'Live events not sent, by kind: state events dropped for slow subscribers (told by a dropped event), alerts past a subscriber’s room (told by a missed event)',
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
    this.readingGauge = new Gauge({
      name: 'fleetline_live_reading_telemetry',
      help: '1 while the live feed reads telemetry (some subscriber wants vehicle state), else 0',
      registers: [o.metrics],
    });
  }

  /**
   * Joins the feed's consumer group for alerts; alerts appended from about now on are fanned
   * out. Telemetry is read from then on while some subscriber wants state events.
   */
  async start(): Promise<void> {
    if (this.started || this.stopped) return;
    this.started = true;
    let consumer: LogConsumer;
    try {
      consumer = await this.o.log.consume({
        groupId: this.o.groupId,
        topics: [kafkaTopics.alerts],
        startAt: 'latest',
        onAssigned: this.guard.wrap('live.assigned', (partitions: readonly TopicPartition[]) => {
          this.assigned = partitions;
        }),
        handle: async (records) => this.handle(records),
        onError: this.guard.wrap('live.consumer-error', (err: Error) => {
          this.log.error({ err }, 'live feed stopped');
          this.stop(FEED_STOPPED);
          this.o.onError?.(err);
        }),
      });
    } catch (err) {
      this.started = false;
      throw err;
    }
    this.consumer = consumer;
    if (this.stopped) {
      // Closed while joining.
      this.consumer = undefined;
      await consumer.close();
      return;
    }
    if (this.stateSubscribers > 0) this.wantTelemetry();
  }

  /**
   * Subscribes with a filter; `onReady` is called whenever next() has something (also when
   * the subscription ends). A subscription of a feed that has stopped is ended already. One
   * that wants state events gets them once the feed reads telemetry, a moment after the
   * first such subscription.
   */
  subscribe(filter: LiveFilter, onReady: () => void): LiveSubscription {
    const queue = new SubscriberQueue({
      filter,
      stateIntervalMs: this.stateIntervalMs,
      limit: this.queueLimit,
      alertsPerVehicle: this.alertsPerVehicle,
      onDrop: (kind, count) => this.dropped.inc({ kind }, count),
    });
    const wantsState = filter.kinds.has('state');
    const subscription = new Subscription(filter, queue, {
      now: this.now,
      // A reader that throws (its stream failed, or an event did not serialise) loses that
      // turn; the feed, its timers and the other subscribers carry on.
      onReady: this.guard.wrap('live.subscriber', onReady),
      guard: this.guard,
      detach: (s) => {
        if (!this.subscriptions.delete(s)) return;
        this.subscribers.set(this.subscriptions.size);
        if (wantsState && --this.stateSubscribers === 0) this.telemetryIdle();
      },
    });
    if (this.stopped) {
      queue.end();
    } else {
      this.subscriptions.add(subscription);
      this.subscribers.set(this.subscriptions.size);
      if (wantsState) {
        this.stateSubscribers++;
        if (this.started) this.wantTelemetry();
      }
    }
    return subscription;
  }

  get subscriberCount(): number {
    return this.subscriptions.size;
  }

  /** True while a telemetry consumer is open (some subscriber wants state, or did lately). */
  get readingTelemetry(): boolean {
    return this.telemetry !== undefined && !this.telemetry.failed;
  }

  /** This instance's partitions of alerts, and of telemetry while it reads it. */
  get assignedPartitions(): readonly TopicPartition[] {
    const telemetry = this.readingTelemetry ? (this.telemetry?.assigned ?? []) : [];
    return [...this.assigned, ...telemetry];
  }

  /** Ends every subscription and leaves the groups. */
  async close(): Promise<void> {
    this.stop(FEED_CLOSED);
    const consumer = this.consumer;
    this.consumer = undefined;
    this.drive();
    await Promise.all([consumer?.close(), this.driving]);
  }

  private stop(message: string): void {
    this.stopped = true;
    for (const s of [...this.subscriptions]) s.end(message);
    this.cancelIdle();
    this.telemetryWanted = false;
    this.drive();
  }

  private wantTelemetry(): void {
    this.cancelIdle();
    if (this.telemetryWanted || this.stopped) return;
    this.telemetryWanted = true;
    this.drive();
  }

  /** The last state subscriber left: telemetry is let go after the grace period. */
  private telemetryIdle(): void {
    if (!this.telemetryWanted || this.idleTimer) return;
    this.idleTimer = setTimeout(
      this.guard.wrap('live.idle', () => {
        this.idleTimer = undefined;
        if (this.stateSubscribers > 0) return;
        this.telemetryWanted = false;
        this.drive();
      }),
      this.stateIdleMs,
    );
    this.idleTimer.unref();
  }

  private cancelIdle(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  /**
   * Starts or closes the telemetry consumer until it matches `telemetryWanted`, one step at a
   * time; a change of mind during a step is taken up when it has completed.
   */
  private drive(): void {
    if (this.driving) return;
    this.driving = (async () => {
      for (;;) {
        const reader = this.telemetry;
        if (reader && (reader.failed || !this.telemetryWanted)) await this.closeTelemetry(reader);
        else if (!reader && this.telemetryWanted) await this.openTelemetry();
        else return;
      }
    })()
      .catch((err) => this.log.error({ err }, 'live feed could not start or stop telemetry'))
      .finally(() => {
        this.driving = undefined;
      });
  }

  private async openTelemetry(): Promise<void> {
    const reader: TelemetryReader = { consumer: undefined, assigned: [], failed: false };
    const groupId = `${this.o.groupId}-state-${++this.telemetryStarts}`;
    try {
      reader.consumer = await this.o.log.consume({
        groupId,
        topics: [kafkaTopics.telemetry],
        startAt: 'latest',
        onAssigned: this.guard.wrap('live.assigned', (partitions: readonly TopicPartition[]) => {
          reader.assigned = partitions;
        }),
        handle: async (records) => this.handle(records),
        onError: this.guard.wrap('live.consumer-error', (err: Error) =>
          this.telemetryFailed(reader, err),
        ),
      });
    } catch (err) {
      this.telemetryFailed(reader, err as Error);
      return;
    }
    this.telemetry = reader;
    this.readingGauge.set(reader.failed ? 0 : 1);
    this.log.debug({ groupId }, 'live feed reads telemetry');
  }

  private async closeTelemetry(reader: TelemetryReader): Promise<void> {
    try {
      await reader.consumer?.close();
    } catch (err) {
      this.log.warn({ err }, 'live feed telemetry consumer did not close cleanly');
    } finally {
      if (this.telemetry === reader) this.telemetry = undefined;
      this.readingGauge.set(this.readingTelemetry ? 1 : 0);
      this.log.debug('live feed stopped reading telemetry');
    }
  }

  /** The telemetry consumer stopped or could not start: its subscribers are ended. */
  private telemetryFailed(reader: TelemetryReader, err: Error): void {
    if (reader.failed) return;
    reader.failed = true;
    this.readingGauge.set(0);
    if (!this.stopped) this.log.error({ err }, 'live feed stopped reading telemetry');
    for (const s of [...this.subscriptions]) {
      if (s.filter.kinds.has('state')) s.end(STATE_STOPPED);
    }
    // Those that come next start a new consumer; until then, none.
    this.cancelIdle();
    if (this.stateSubscribers === 0) this.telemetryWanted = false;
    this.drive();
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
      guard: CallbackGuard;
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
      this.deps.guard.wrap('live.release', () => {
        this.timer = undefined;
        this.timerAtMs = Number.POSITIVE_INFINITY;
        const now = this.deps.now();
        this.queue.release(now);
        this.settle(now);
      }),
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
