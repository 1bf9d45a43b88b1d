import { join } from 'node:path';
import type { Config } from '../config.js';
import { dataDirFiles } from '../data-dir.js';
import { kafkaSecurity } from '../links.js';
import { EmbeddedLog } from './embedded.js';
import { KafkaLog } from './kafka.js';
import type { Log } from './port.js';
import { withTopicPrefix } from './prefixed.js';

/** Kafka when brokers are configured, else the embedded log in the data folder. */
export function openLog(config: Config): Log {
  if (config.kafkaBrokers.length > 0) {
    return withTopicPrefix(
      new KafkaLog({
        brokers: config.kafkaBrokers,
        clientId: config.kafkaClientId,
        replicationFactor: config.topicReplication,
        ...kafkaSecurity(config),
      }),
      config.topicPrefix,
    );
  }
  return new EmbeddedLog({
    path: join(config.dataDir, dataDirFiles.log),
    defaultPartitions: config.topicPartitions,
  });
}
