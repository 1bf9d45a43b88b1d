import { LogClosedError } from '../../errors.js';
import type {
  ConsumeOptions,
  Log,
  LogConsumer,
  LogProducer,
  LogTail,
  TailOptions,
  TopicSpec,
} from '../port.js';

type Closable = { close(): Promise<void> };

/** What a Kafka client library brings to the Log port: its own topics, producer, member, tail. */
export interface KafkaClientParts {
  ensureTopics(topics: readonly TopicSpec[]): Promise<void>;
  /** `producer.close()` sends what is queued, then closes; `client.close()` closes at once. */
  openProducer(): Promise<{ producer: LogProducer; client: Closable }>;
  join(options: ConsumeOptions): Promise<Closable>;
  tail(options: TailOptions): Promise<LogTail>;
}

/**
 * A Kafka Log adapter made of a client's parts. It keeps the clients it opened that are still
 * open, so that closing the log closes them (each also closes on its own); after that it
 * refuses new work.
 */
export class KafkaClientLog implements Log {
  readonly kind = 'kafka' as const;
  private closed = false;
  private readonly clients = new Set<Closable>();

  constructor(private readonly parts: KafkaClientParts) {}

  async ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    this.assertOpen();
    await this.parts.ensureTopics(topics);
  }

  async createProducer(): Promise<LogProducer> {
    this.assertOpen();
    const { producer, client } = await this.parts.openProducer();
    this.clients.add(client);
    return {
      send: (records) => producer.send(records),
      close: async () => {
        this.clients.delete(client);
        await producer.close();
      },
    };
  }

  async consume(options: ConsumeOptions): Promise<LogConsumer> {
    this.assertOpen();
    return this.track(await this.parts.join(options));
  }

  async tail(options: TailOptions): Promise<LogTail> {
    this.assertOpen();
    const tail = await this.parts.tail(options);
    return { partitions: tail.partitions, ...this.track(tail) };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.clients].map((c) => c.close()));
    this.clients.clear();
  }

  private track(client: Closable): LogConsumer {
    this.clients.add(client);
    return {
      close: async () => {
        this.clients.delete(client);
        await client.close();
      },
    };
  }

  private assertOpen(): void {
    if (this.closed) throw new LogClosedError();
  }
}
