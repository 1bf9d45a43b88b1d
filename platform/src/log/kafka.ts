import { KafkaClientLog } from './kafka/client-log.js';
import { connectionOptions, type KafkaLogOptions } from './kafka/connection.js';
import { joinKafkaGroup } from './kafka/group-consumer.js';
import { openKafkaProducer } from './kafka/producer.js';
import { startKafkaTail } from './kafka/tail.js';
import { ensureKafkaTopics } from './kafka/topics.js';

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
export class KafkaLog extends KafkaClientLog {
  constructor(options: KafkaLogOptions) {
    const connection = connectionOptions(options);
    super({
      ensureTopics: (topics) => ensureKafkaTopics(connection, topics, options.replicationFactor),
      openProducer: async () => openKafkaProducer(connection),
      join: (consume) => joinKafkaGroup(connection, consume),
      tail: (tail) => startKafkaTail(connection, tail),
    });
  }
}
