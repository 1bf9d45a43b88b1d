import { type Counter, type Logger, type LogRecord, OncePerInterval } from '@fleetline/platform';
import { decodeAlertChange, decodeTelemetryBatch, kafkaTopics } from '@fleetline/proto';
import { alertEvent, type FeedEvent, vehicleState } from './events.js';

const WARN_INTERVAL_MS = 10_000;

/**
 * A log record as the live feed's event: an alert change, or a vehicle's state from a
 * telemetry batch — decoded only when some subscriber wants that kind. A record that does not
 * decode is counted and skipped, with a warning at most every ten seconds saying how many.
 */
export class LiveRecordDecoder {
  private readonly warnings: OncePerInterval;

  constructor(private readonly o: { skipped: Counter<'topic'>; logger: Logger; now(): number }) {
    this.warnings = new OncePerInterval(WARN_INTERVAL_MS, () => o.now());
  }

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
    const turn = this.warnings.take();
    if (!turn) return;
    this.o.logger.warn(
      {
        topic: r.topic,
        partition: r.partition,
        offset: r.offset,
        reason: err.message,
        // This record and those left out since the last warning.
        skipped: turn.leftOut + 1,
      },
      'live feed skipped records that do not decode',
    );
  }
}
