import {
  KafkaJsLog,
  KafkaLog,
  type KafkaLogOptions,
  type Log,
  RdKafkaLog,
} from '@fleetline/platform';

/**
 * The Kafka clients Fleetline runs on (KAFKA_CLIENT), for the suites that must hold on each:
 * the Log contract (which has its own list, over the sources) and the Kafka outage test.
 */
export const kafkaClients: readonly { name: string; open(options: KafkaLogOptions): Log }[] = [
  { name: 'platformatic', open: (o) => new KafkaLog(o) },
  { name: 'kafkajs', open: (o) => new KafkaJsLog(o) },
  { name: 'node-rdkafka', open: (o) => new RdKafkaLog(o) },
];
