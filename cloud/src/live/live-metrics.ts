import { Counter, Gauge, type Registry } from '@fleetline/platform';

/** The live feed's metrics, registered on the service's registry. */
export interface LiveFeedMetrics {
  /** Events not sent, by kind (state dropped for slow subscribers, alerts missed). */
  readonly dropped: Counter<'kind'>;
  /** Records skipped because they do not decode, by topic. */
  readonly skipped: Counter<'topic'>;
  /** Open subscriptions. */
  readonly subscribers: Gauge;
  /** 1 while telemetry is read, else 0. */
  readonly readingTelemetry: Gauge;
}

/**
 * Created, not got-or-created: the gauges are set to one feed's own numbers, so two feeds
 * sharing them would each overwrite the other's. A second feed on one registry throws at
 * start instead of reporting wrong values.
 */
export function liveFeedMetrics(registry: Registry): LiveFeedMetrics {
  return {
    dropped: new Counter({
      name: 'fleetline_live_events_dropped_total',
      help: 'Live events not sent, by kind: state events dropped for slow subscribers (told by a dropped event), alerts past a subscriber’s room (told by a missed event)',
      labelNames: ['kind'],
      registers: [registry],
    }),
    skipped: new Counter({
      name: 'fleetline_live_records_skipped_total',
      help: 'Records the live feed skipped because they do not decode, by topic',
      labelNames: ['topic'],
      registers: [registry],
    }),
    subscribers: new Gauge({
      name: 'fleetline_live_subscribers',
      help: 'Open subscriptions to the live feed',
      registers: [registry],
    }),
    readingTelemetry: new Gauge({
      name: 'fleetline_live_reading_telemetry',
      help: '1 while the live feed reads telemetry (some subscriber wants vehicle state), else 0',
      registers: [registry],
    }),
  };
}
