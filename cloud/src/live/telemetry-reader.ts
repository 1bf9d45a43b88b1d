import type {
  CallbackGuard,
  Gauge,
  Log,
  Logger,
  LogRecord,
  LogTail,
  TopicPartition,
} from '@fleetline/platform';
import { kafkaTopics } from '@fleetline/proto';

export interface TelemetryReaderOptions {
  log: Log;
  guard: CallbackGuard;
  logger: Logger;
  /** How long telemetry is still read after the last subscriber wanting it left. */
  idleMs: number;
  /** Set to 1 while telemetry is read, else 0. */
  reading: Gauge;
  handle(records: readonly LogRecord[]): void;
  /**
   * The tail stopped on its own, or could not start: the subscribers wanting state are to be
   * ended (they reconnect, and a new tail starts for them).
   */
  onFailed(): void;
}

/** One tail of telemetry, from the call that starts it until it has closed. */
interface Reading {
  tail: LogTail | undefined;
  /** It stopped on its own, or never started: to be closed, not read on. */
  failed: boolean;
}

/**
 * Reads `telemetry.v1` on demand. It is the busiest topic (every vehicle's every batch) and
 * the processor reads it already: fetching and parsing it a second time is a large share of
 * the process's CPU, so it is read only while some subscriber wants `state` events. The first
 * wanting it starts a tail of it (events come once the tail has started); the tail is closed
 * when the last one has been gone for `idleMs`, so that a page reload does not churn it.
 * Starts and stops run one at a time (drive()), never two tails at once. Each start reads
 * from the end, never what was appended while no tail was open.
 */
export class TelemetryReader {
  private subscriberCount = 0;
  private stopped = false;
  /** Whether telemetry should be read now; drive() brings `current` in line with it. */
  private wanted = false;
  /** The open tail (or the failed one, until it is closed). */
  private current: Reading | undefined;
  /** drive(), while it runs: the only place tails are started and closed. */
  private driving: Promise<void> | undefined;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly o: TelemetryReaderOptions) {}

  /** Subscribers wanting state now. */
  get subscribers(): number {
    return this.subscriberCount;
  }

  /** True while a tail is open (some subscriber wants state, or did lately). */
  get reading(): boolean {
    return this.current !== undefined && !this.current.failed;
  }

  /** The partitions read while reading; none otherwise. */
  get partitions(): readonly TopicPartition[] {
    return this.reading ? (this.current?.tail?.partitions ?? []) : [];
  }

  /** A subscriber wanting state came; it is served once want() is called. */
  acquire(): void {
    this.subscriberCount++;
  }

  /** A subscriber wanting state left: after the last, telemetry is let go after `idleMs`. */
  release(): void {
    if (--this.subscriberCount === 0) this.idle();
  }

  /** Reads telemetry (from now on, until it is let go). */
  want(): void {
    this.cancelIdle();
    if (this.wanted || this.stopped) return;
    this.wanted = true;
    this.drive();
  }

  /** Lets go of telemetry for good. */
  stop(): void {
    this.stopped = true;
    this.cancelIdle();
    this.wanted = false;
    this.drive();
  }

  /** Resolves when the start or close in progress has completed. */
  settled(): Promise<void> {
    this.drive();
    return this.driving ?? Promise.resolve();
  }

  private idle(): void {
    if (!this.wanted || this.idleTimer) return;
    this.idleTimer = setTimeout(
      this.o.guard.wrap('live.idle', () => {
        this.idleTimer = undefined;
        if (this.subscriberCount > 0) return;
        this.wanted = false;
        this.drive();
      }),
      this.o.idleMs,
    );
    this.idleTimer.unref();
  }

  private cancelIdle(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  /**
   * Starts or closes the tail until it matches `wanted`, one step at a time; a change of mind
   * during a step is taken up when it has completed.
   */
  private drive(): void {
    if (this.driving) return;
    this.driving = (async () => {
      for (;;) {
        const current = this.current;
        if (current && (current.failed || !this.wanted)) await this.close(current);
        else if (!current && this.wanted) await this.open();
        else return;
      }
    })()
      .catch((err) => this.o.logger.error({ err }, 'live feed could not start or stop telemetry'))
      .finally(() => {
        this.driving = undefined;
      });
  }

  private async open(): Promise<void> {
    const reading: Reading = { tail: undefined, failed: false };
    try {
      reading.tail = await this.o.log.tail({
        topics: [kafkaTopics.telemetry],
        handle: async (records) => this.o.handle(records),
        onError: this.o.guard.wrap('live.consumer-error', (err: Error) =>
          this.failed(reading, err),
        ),
      });
    } catch (err) {
      this.failed(reading, err as Error);
      return;
    }
    this.current = reading;
    this.o.reading.set(reading.failed ? 0 : 1);
    this.o.logger.debug('live feed reads telemetry');
  }

  private async close(reading: Reading): Promise<void> {
    try {
      await reading.tail?.close();
    } catch (err) {
      this.o.logger.warn({ err }, 'live feed telemetry tail did not close cleanly');
    } finally {
      if (this.current === reading) this.current = undefined;
      this.o.reading.set(this.reading ? 1 : 0);
      this.o.logger.debug('live feed stopped reading telemetry');
    }
  }

  /** The tail stopped or could not start: its subscribers are ended. */
  private failed(reading: Reading, err: Error): void {
    if (reading.failed) return;
    reading.failed = true;
    this.o.reading.set(0);
    if (!this.stopped) this.o.logger.error({ err }, 'live feed stopped reading telemetry');
    this.o.onFailed();
    // Those that come next start a new tail; until then, none.
    this.cancelIdle();
    if (this.subscriberCount === 0) this.wanted = false;
    this.drive();
  }
}
