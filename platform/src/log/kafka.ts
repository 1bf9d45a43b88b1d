import { LogClosedError } from '../errors.js';
import {
  type ConnectionOptions,
  connectionOptions,
  type KafkaLogOptions,
} from './kafka/connection.js';
import { joinKafkaGroup } from './kafka/group-consumer.js';
import { openKafkaProducer } from './kafka/producer.js';
import { startKafkaTail } from './kafka/tail.js';
import { ensureKafkaTopics } from './kafka/topics.js';
import type {
  ConsumeOptions,
  Log,
  LogConsumer,
  LogProducer,
  LogTail,
  TailOptions,
  TopicSpec,
} from './port.js';

export type { KafkaLogOptions } from './kafka/connection.js';

/**
 * The Kafka Log adapter, through @platformatic/kafka (pure JavaScript, no native build,
 * follows current Kafka protocol versions). Producers are idempotent with acks=all, so a
 * resolved send() means every in-sync replica has the record and a retried send cannot
 * duplicate it.
 *
 * The client was chosen by measurement against node-rdkafka and KafkaJS behind this same
 * port (the README's benchmark section): on the gateway's path — one record per device
 * publish, with headers — it used the least CPU per publish, and it is maintained.
 *
 * Its parts are in kafka/: topics, the producer, the group consumer and what it is made of,
 * and the tail (plain fetches from the end, in no group).
 * This class keeps the clients it opened, so that close() closes whatever is still open.
 */
export class KafkaLog implements Log {
  readonly kind = 'kafka' as const;
  private closed = false;
  private readonly clients = new Set<{ close(): Promise<void> }>();
  private readonly connection: ConnectionOptions;

  constructor(private readonly options: KafkaLogOptions) {
    this.connection = connectionOptions(options);
  }

  async ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    this.assertOpen();
    await ensureKafkaTopics(this.connection, topics, this.options.replicationFactor);
  }

  async createProducer(): Promise<LogProducer> {
    this.assertOpen();
    const { producer, client } = openKafkaProducer(this.connection);
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
    return this.track(await joinKafkaGroup(this.connection, options));
  }

  async tail(options: TailOptions): Promise<LogTail> {
    this.assertOpen();
    const tail = await startKafkaTail(this.connection, options);
    return { partitions: tail.partitions, ...this.track(tail) };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.clients].map((c) => c.close()));
    this.clients.clear();
  }

  /** Closes `client` with the log, unless it was closed before. */
  private track(client: { close(): Promise<void> }): LogConsumer {
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
