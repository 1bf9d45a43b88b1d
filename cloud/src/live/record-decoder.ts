import type { Counter, Logger, LogRecord } from '@fleetline/platform';
import { decodeAlertChange, decodeTelemetryBatch, kafkaTopics } from '@fleetline/proto';
import { alertEvent, type FeedEvent, vehicleState } from './events.js';

const WARN_INTERVAL_MS = 10_000;

/**
 * A log record as the live feed's event: an alert change, or a vehicle's state from a
 * telemetry batch — decoded only when some subscriber wants that kind. A record that does not
 * decode is counted and skipped, with a warning at most every ten seconds saying how many.
 */
export class LiveRecordDecoder {
  private skippedSinceWarning = 0;
  private lastWarningMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly o: { skipped: Counter<'topic'>; logger: Logger; now(): number }) {}

  decode(r: LogRecord, wantAlerts: boolean, wantState: boolean): FeedEvent | undefined {
    try {
      if (r.topic === kafkaTopics.alerts) {
        return wantAlerts ? alertEvent(decodeAlertChange(r.value)) : undefined;
      }
      if (r.topic === kafkaTopics.telemetry) {
        return wantState ? vehicleState(decodeTelemetryBatch(r.value)) : undefined;
      }
      return undefined;
    } catch (err) {
      this.skip(r, err as Error);
      return undefined;
    }
  }

  private skip(r: LogRecord, err: Error): void {
    this.o.skipped.inc({ topic: r.topic });
    this.skippedSinceWarning++;
    const now = this.o.now();
    if (now - this.lastWarningMs < WARN_INTERVAL_MS) return;
    this.o.logger.warn(
      {
        topic: r.topic,
        partition: r.partition,
        offset: r.offset,
        reason: err.message,
        skipped: this.skippedSinceWarning,
      },
      'live feed skipped records that do not decode',
    );
    this.skippedSinceWarning = 0;
    this.lastWarningMs = now;
  }
}
