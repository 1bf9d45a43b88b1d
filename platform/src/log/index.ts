import { join } from 'node:path';
import type { Config } from '../config.js';
import { dataDirFiles } from '../data-dir.js';
import { kafkaSecurity } from '../links.js';
import { EmbeddedLog } from './embedded.js';
import { KafkaLog, type KafkaLogOptions } from './kafka.js';
import { KafkaJsLog } from './kafkajs/kafkajs-log.js';
import type { Log } from './port.js';
import { withTopicPrefix } from './prefixed.js';
import { RdKafkaLog } from './rdkafka/rdkafka-log.js';

/**
 * Kafka when brokers are configured, through the client KAFKA_CLIENT names, else the embedded
 * log in the data folder.
 */
export function openLog(config: Config): Log {
  if (config.kafkaBrokers.length > 0) {
    const options: KafkaLogOptions = {
      brokers: config.kafkaBrokers,
      clientId: config.kafkaClientId,
      replicationFactor: config.topicReplication,
      ...kafkaSecurity(config),
    };
    const kafka =
      config.kafkaClient === 'kafkajs'
        ? new KafkaJsLog(options)
        : config.kafkaClient === 'node-rdkafka'
          ? new RdKafkaLog(options)
          : new KafkaLog(options);
    return withTopicPrefix(kafka, config.topicPrefix);
  }
  return new EmbeddedLog({
    path: join(config.dataDir, dataDirFiles.log),
    defaultPartitions: config.topicPartitions,
  });
}
