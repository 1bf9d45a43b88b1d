import { createRequire } from 'node:module';
import {
  KafkaJsLog,
  KafkaLog,
  type KafkaLogOptions,
  type Log,
  RdKafkaLog,
} from '@fleetline/platform';
import { requireInfra } from './infra.js';

/**
 * Why node-rdkafka's suites cannot run here (it is installed apart), or undefined. With
 * REQUIRE_INFRA=1 (CI, which installs it) they run and fail instead, as suites needing Kafka do.
 */
export const rdkafkaMissing: string | undefined = (() => {
  if (requireInfra) return undefined;
  try {
    createRequire(import.meta.url).resolve('node-rdkafka');
    return undefined;
  } catch {
    return 'node-rdkafka is not installed (npm install --no-save node-rdkafka@3.6.1)';
  }
})();

/**
 * The Kafka clients Fleetline runs on (KAFKA_CLIENT), for the suites that must hold on each:
 * the Log contract (which has its own list, over the sources), the Kafka outage, TLS,
 * rebalance, fast-lane and end-to-end tests. `skip` says why a client cannot run here.
 */
export const kafkaClients: readonly {
  name: string;
  open(options: KafkaLogOptions): Log;
  skip?: string | undefined;
}[] = [
  { name: 'platformatic', open: (o) => new KafkaLog(o) },
  { name: 'kafkajs', open: (o) => new KafkaJsLog(o) },
  { name: 'node-rdkafka', open: (o) => new RdKafkaLog(o), skip: rdkafkaMissing },
];
