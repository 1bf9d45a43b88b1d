import { KafkaClientLog } from '../kafka/client-log.js';
import type { KafkaLogOptions } from '../kafka/connection.js';
import { baseConfig, rdKafka } from './client.js';
import { joinRdKafkaGroup } from './group-member.js';
import { openRdKafkaProducer } from './producer.js';
import { startRdKafkaTail } from './tail.js';
import { ensureRdKafkaTopics } from './topics.js';

/**
 * The Kafka Log adapter through node-rdkafka (librdkafka, the C client), for where
 * librdkafka's own behaviour is wanted: its batching and fetching on threads of its own, the
 * settings operators know from the other librdkafka clients. node-rdkafka compiles librdkafka
 * when installed, so it is no dependency of the package: it is loaded when this adapter is
 * constructed, which fails with the command that installs it when it is absent.
 *
 * Its parts are in rdkafka/: topics, the producer, the group member (feeding the same
 * BatchPump as the other adapters) and the tail (assign-only, in no group).
 */
export class RdKafkaLog extends KafkaClientLog {
  constructor(options: KafkaLogOptions) {
    const kafka = rdKafka();
    const base = baseConfig(options);
    super({
      ensureTopics: (topics) => ensureRdKafkaTopics(kafka, base, topics, options.replicationFactor),
      openProducer: () => openRdKafkaProducer(kafka, base),
      join: (consume) => joinRdKafkaGroup(kafka, base, consume),
      tail: (tail) => startRdKafkaTail(kafka, base, tail),
    });
  }
}
