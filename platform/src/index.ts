export * from './config.js';
export * from './errors.js';
export * from './lifecycle.js';
export { EmbeddedLog, type EmbeddedLogOptions } from './log/embedded.js';
export { openLog } from './log/index.js';
export {
  type KafkaDriver,
  KafkaJsLog,
  type KafkaLogOptions,
  kafkaDrivers,
  openKafkaLog,
  PlatformaticKafkaLog,
  RdKafkaLog,
} from './log/kafka/index.js';
export { murmur2, partitionForKey } from './log/partitioner.js';
export type * from './log/port.js';
export { withTopicPrefix } from './log/prefixed.js';
export { fleetlineTopics } from './log/topics.js';
export * from './logger.js';
export * from './metrics.js';
export { CassandraStore, type CassandraStoreOptions } from './store/cassandra.js';
export { openStore } from './store/index.js';
export * from './store/port.js';
export { SqliteStore, type SqliteStoreOptions } from './store/sqlite.js';
