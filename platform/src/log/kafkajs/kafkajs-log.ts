import type { ConnectionOptions, KafkaLogOptions } from '../kafka/connection.js';
import { connectionOptions } from '../kafka/connection.js';
import { OpenClients } from '../kafka/open-clients.js';
import { startKafkaTail } from '../kafka/tail.js';
import type {
  ConsumeOptions,
  Log,
  LogConsumer,
  LogProducer,
  LogTail,
  TailOptions,
  TopicSpec,
} from '../port.js';
import { type KafkaJs, kafkaJsClient } from './client.js';
import { joinKafkaJsGroup } from './group-member.js';
import { openKafkaJsProducer } from './producer.js';
import { ensureKafkaJsTopics } from './topics.js';

/**
 * The Kafka Log adapter through KafkaJS (pure JavaScript): for SASL mechanisms only it
 * supports among the pure-JavaScript clients (AWS IAM, OAUTHBEARER through a token provider),
 * or where its long use in production counts. Its producer, group member and topics are its
 * own (kafkajs/); the tail reads with plain fetch requests through the default client's
 * module, as KafkaJS has no reader outside a consumer group.
 */
export class KafkaJsLog implements Log {
  readonly kind = 'kafka' as const;
  private readonly open = new OpenClients();
  private readonly kafka: KafkaJs.Kafka;
  private readonly connection: ConnectionOptions;

  constructor(private readonly options: KafkaLogOptions) {
    this.kafka = kafkaJsClient(options);
    this.connection = connectionOptions(options);
  }

  async ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    this.open.assertOpen();
    await ensureKafkaJsTopics(this.kafka, topics, this.options.replicationFactor);
  }

  async createProducer(): Promise<LogProducer> {
    this.open.assertOpen();
    const { producer, client } = await openKafkaJsProducer(this.kafka);
    return this.open.trackProducer(producer, client);
  }

  async consume(options: ConsumeOptions): Promise<LogConsumer> {
    this.open.assertOpen();
    return this.open.track(await joinKafkaJsGroup(this.kafka, options));
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
