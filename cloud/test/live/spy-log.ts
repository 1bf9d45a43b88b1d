import type { ConsumeOptions, Log, LogConsumer, LogTail, TailOptions } from '@fleetline/platform';
import { kafkaTopics } from '@fleetline/proto';

/**
 * A Log that counts the telemetry tails open (from tail() until close() resolves), can fail or
 * hold them, and counts every consumer group joined through it (the live feed joins none).
 */
export class SpyLog implements Log {
  readonly kind: Log['kind'];
  /** Telemetry tails asked for and not yet closed. */
  telemetryOpen = 0;
  maxTelemetryOpen = 0;
  telemetryStarts = 0;
  /** Telemetry records handed to the feed. */
  telemetryRecords = 0;
  /** The next telemetry tail() fails. */
  failNextTail = false;
  /** While set, closing a telemetry tail waits for it. */
  holdClose: Promise<void> | undefined;
  closing = 0;
  /** The onError of the latest telemetry tail. */
  failTelemetry: ((err: Error) => void) | undefined;
  /** The groups of every consume() call. */
  readonly groupsJoined: string[] = [];

  constructor(private readonly inner: Log) {
    this.kind = inner.kind;
  }

  ensureTopics(topics: Parameters<Log['ensureTopics']>[0]) {
    return this.inner.ensureTopics(topics);
  }

  createProducer() {
    return this.inner.createProducer();
  }

  consume(options: ConsumeOptions): Promise<LogConsumer> {
    this.groupsJoined.push(options.groupId);
    return this.inner.consume(options);
  }

  async tail(options: TailOptions): Promise<LogTail> {
    if (!options.topics.includes(kafkaTopics.telemetry)) return this.inner.tail(options);
    this.telemetryStarts++;
    this.telemetryOpen++;
    this.maxTelemetryOpen = Math.max(this.maxTelemetryOpen, this.telemetryOpen);
    let tail: LogTail;
    try {
      if (this.failNextTail) {
        this.failNextTail = false;
        throw new Error('the log is unavailable');
      }
      this.failTelemetry = options.onError;
      tail = await this.inner.tail({
        ...options,
        handle: async (records) => {
          this.telemetryRecords += records.filter((r) => r.topic === kafkaTopics.telemetry).length;
          await options.handle(records);
        },
      });
    } catch (err) {
      this.telemetryOpen--;
      throw err;
    }
    return {
      partitions: tail.partitions,
      close: async () => {
        this.closing++;
        try {
          await this.holdClose;
          await tail.close();
        } finally {
          this.closing--;
          this.telemetryOpen--;
        }
      },
    };
  }

  close() {
    return this.inner.close();
  }
}
