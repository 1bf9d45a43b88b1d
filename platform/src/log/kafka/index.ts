import type { Log } from '../port.js';
import type { KafkaLogOptions } from './common.js';
import { KafkaJsLog } from './kafkajs.js';
import { PlatformaticKafkaLog } from './platformatic.js';
import { RdKafkaLog } from './rdkafka.js';

export type { KafkaLogOptions } from './common.js';
export { KafkaJsLog, PlatformaticKafkaLog, RdKafkaLog };

/** The client libraries the Kafka adapter can speak through (KAFKA_DRIVER). */
export const kafkaDrivers = ['rdkafka', 'kafkajs', 'platformatic'] as const;
export type KafkaDriver = (typeof kafkaDrivers)[number];

/** A Kafka-backed Log through the chosen driver; every driver passes the same contract. */
export function openKafkaLog(driver: KafkaDriver, options: KafkaLogOptions): Log {
  switch (driver) {
    case 'rdkafka':
      return new RdKafkaLog(options);
    case 'kafkajs':
      return new KafkaJsLog(options);
    case 'platformatic':
      return new PlatformaticKafkaLog(options);
  }
}
