import { KafkaClientLog } from '../kafka/client-log.js';
import { connectionOptions, type KafkaLogOptions } from '../kafka/connection.js';
import { startKafkaTail } from '../kafka/tail.js';
import { kafkaJsClient } from './client.js';
import { joinKafkaJsGroup } from './group-member.js';
import { openKafkaJsProducer } from './producer.js';
import { ensureKafkaJsTopics } from './topics.js';

/**
 * The Kafka Log adapter through KafkaJS (pure JavaScript), for operators who run KafkaJS
 * elsewhere, or as a second pure-JavaScript client to fall back on. Its producer, group member
 * and topics are its own (kafkajs/); the tail reads with plain fetch requests through the
 * default client's module, as KafkaJS has no reader outside a consumer group.
 */
export class KafkaJsLog extends KafkaClientLog {
  constructor(options: KafkaLogOptions) {
    const kafka = kafkaJsClient(options);
    const connection = connectionOptions(options);
    super({
      ensureTopics: (topics) => ensureKafkaJsTopics(kafka, topics, options.replicationFactor),
      openProducer: () => openKafkaJsProducer(kafka),
      join: (consume) => joinKafkaJsGroup(kafka, consume),
      tail: (tail) => startKafkaTail(connection, tail),
    });
  }
}
