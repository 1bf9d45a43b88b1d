import {
  type CallbackGuard,
  callbackGuard,
  type Log,
  type Logger,
  type LogTail,
  type Registry,
  type TopicPartition,
} from '@fleetline/platform';
import { kafkaTopics } from '@fleetline/proto';
import type { LiveFilter } from './events.js';
import { FanOut } from './fan-out.js';
import { liveFeedMetrics } from './live-metrics.js';
import { LiveRecordDecoder } from './record-decoder.js';
import type { LiveSubscription } from './subscription.js';
import { TelemetryReader } from './telemetry-reader.js';

export type { LiveSubscription } from './subscription.js';

/**
 * The live view of alerts and vehicle state, read from the log so that it shows what every
 * processor produced, whichever process it runs in. Each API instance reads the log from its
 * end with tails of its own — no consumer group: a live view wants what comes next, never a
 * replay, and leaves nothing behind in the log when it stops — and fans each record out to its
 * subscribers (FanOut; filtering, coalescing and back-pressure are in SubscriberQueue).
 *
 * `alerts.v1` is read all the time: alerts are rare and cheap. `telemetry.v1` is read only
 * while some subscriber wants `state` events (TelemetryReader). When the telemetry tail fails,
 * the state subscribers are ended with a final error (they reconnect) and the alerts read on.
 *
 * Timers, the tails' callbacks and the subscribers' `onReady` run under a CallbackGuard:
 * whatever one of them throws is logged and counted, and never ends the process.
 */

export interface LiveFeedOptions {
  log: Log;
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
   * Called when the feed cannot continue (its alerts tail stopped); subscribers are ended.
   * A failure of the telemetry tail ends only the state subscribers and is not reported here.
   */
  onError?(error: Error): void;
  /** Clock, epoch ms (default Date.now). */
  now?(): number;
}

const FEED_STOPPED = 'the live feed stopped; reconnect';
const FEED_CLOSED = 'the server is shutting down; reconnect';
export const STATE_STOPPED = 'the live vehicle state stopped; reconnect';

const wantsState = (filter: LiveFilter) => filter.kinds.has('state');

export class LiveFeed {
  private readonly log: Logger;
  /** Runs timers and callbacks so that a throw is logged and counted, not fatal. */
  readonly guard: CallbackGuard;
  private readonly fanOut: FanOut;
  private readonly telemetry: TelemetryReader;
  private alerts: LogTail | undefined;
  private alertPartitions: readonly TopicPartition[] = [];
  private started = false;
  private stopped = false;

  constructor(private readonly o: LiveFeedOptions) {
    this.log = o.logger.child({ component: 'live-feed' });
    this.guard = callbackGuard({ logger: this.log, metrics: o.metrics });
    const now = o.now ?? Date.now;
    const metrics = liveFeedMetrics(o.metrics);
    const queueLimit = o.queueLimit ?? 1000;
    this.fanOut = new FanOut({
      stateIntervalMs: o.stateIntervalMs ?? 1000,
      queueLimit,
      alertsPerVehicle: o.alertsPerVehicle ?? Math.max(1, Math.floor(queueLimit / 10)),
      now,
      guard: this.guard,
      logger: this.log,
      decoder: new LiveRecordDecoder({ skipped: metrics.skipped, logger: this.log, now }),
      dropped: metrics.dropped,
      subscribers: metrics.subscribers,
      onJoin: (filter) => {
        if (!wantsState(filter)) return;
        this.telemetry.acquire();
        if (this.started) this.telemetry.want();
      },
      onLeave: (filter) => {
        if (wantsState(filter)) this.telemetry.release();
      },
    });
    this.telemetry = new TelemetryReader({
      log: o.log,
      guard: this.guard,
      logger: this.log,
      idleMs: o.stateIdleMs ?? 30_000,
      reading: metrics.readingTelemetry,
      handle: (records) => this.fanOut.deliver(records),
      onFailed: () => this.fanOut.end(STATE_STOPPED, wantsState),
    });
  }

  /**
   * Starts the alerts tail; alerts appended from about now on are fanned out. Telemetry is
   * read from then on while some subscriber wants state events.
   */
  async start(): Promise<void> {
    if (this.started || this.stopped) return;
    this.started = true;
    let alerts: LogTail;
    try {
      alerts = await this.o.log.tail({
        topics: [kafkaTopics.alerts],
        handle: async (records) => this.fanOut.deliver(records),
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
    this.alerts = alerts;
    this.alertPartitions = alerts.partitions;
    if (this.stopped) {
      // Closed while starting.
      this.alerts = undefined;
      await alerts.close();
      return;
    }
    if (this.telemetry.subscribers > 0) this.telemetry.want();
  }

  /**
   * Subscribes with a filter; `onReady` is called whenever next() has something (also when
   * the subscription ends). A subscription of a feed that has stopped is ended already. One
   * that wants state events gets them once the feed reads telemetry, a moment after the
   * first such subscription.
   */
  subscribe(filter: LiveFilter, onReady: () => void): LiveSubscription {
    return this.fanOut.subscribe(filter, onReady);
  }

  get subscriberCount(): number {
    return this.fanOut.size;
  }

  /** True while a telemetry tail is open (some subscriber wants state, or did lately). */
  get readingTelemetry(): boolean {
    return this.telemetry.reading;
  }

  /** The partitions this instance reads: of alerts, and of telemetry while it reads it. */
  get partitionsRead(): readonly TopicPartition[] {
    return [...this.alertPartitions, ...this.telemetry.partitions];
  }

  /** Ends every subscription and closes the tails. */
  async close(): Promise<void> {
    this.stop(FEED_CLOSED);
    const alerts = this.alerts;
    this.alerts = undefined;
    await Promise.all([alerts?.close(), this.telemetry.settled()]);
  }

  private stop(message: string): void {
    this.stopped = true;
    this.fanOut.close(message);
    this.telemetry.stop();
  }
}
