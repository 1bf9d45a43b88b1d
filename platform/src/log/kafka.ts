import {
  type ConnectionOptions,
  connectionOptions,
  type KafkaLogOptions,
} from './kafka/connection.js';
import { joinKafkaGroup } from './kafka/group-consumer.js';
import { OpenClients } from './kafka/open-clients.js';
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
 */
export class KafkaLog implements Log {
  readonly kind = 'kafka' as const;
  private readonly open = new OpenClients();
  private readonly connection: ConnectionOptions;

  constructor(private readonly options: KafkaLogOptions) {
    this.connection = connectionOptions(options);
  }

  async ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    this.open.assertOpen();
    await ensureKafkaTopics(this.connection, topics, this.options.replicationFactor);
  }

  async createProducer(): Promise<LogProducer> {
    this.open.assertOpen();
    const { producer, client } = openKafkaProducer(this.connection);
    return this.open.trackProducer(producer, client);
  }

  async consume(options: ConsumeOptions): Promise<LogConsumer> {
    this.open.assertOpen();
    return this.open.track(await joinKafkaGroup(this.connection, options));
  }

  async tail(options: TailOptions): Promise<LogTail> {
    this.open.assertOpen();
    const tail = await startKafkaTail(this.connection, options);
    return { partitions: tail.partitions, ...this.open.track(tail) };
  }

  close(): Promise<void> {
    return this.open.closeAll();
  }
}
