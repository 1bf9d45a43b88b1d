export * from './batcher.js';
export * from './callback-guard.js';
export * from './config.js';
export * from './data-dir.js';
export * from './errors.js';
export * from './lifecycle.js';
export * from './limited-log.js';
export * from './links.js';
export { EmbeddedLog, type EmbeddedLogOptions } from './log/embedded.js';
export { openLog } from './log/index.js';
export { KafkaLog, type KafkaLogOptions } from './log/kafka.js';
export { KafkaJsLog } from './log/kafkajs/kafkajs-log.js';
export { murmur2, partitionForKey } from './log/partitioner.js';
export type * from './log/port.js';
export { withTopicPrefix } from './log/prefixed.js';
export { RdKafkaLog } from './log/rdkafka/rdkafka-log.js';
export { fleetlineTopics } from './log/topics.js';
export * from './logger.js';
export * from './metrics.js';
export * from './once-per-interval.js';
export * from './ops-http.js';
export * from './private-files.js';
export { openRecordsDb } from './records-db/index.js';
export * from './records-db/port/index.js';
export {
  PostgresRecordsDb,
  type PostgresRecordsDbOptions,
} from './records-db/postgres/postgres-records-db.js';
export {
  SqliteRecordsDb,
  type SqliteRecordsDbOptions,
} from './records-db/sqlite/sqlite-records-db.js';
export * from './records-db/validate/index.js';
export * from './stop-signals.js';
export {
  CassandraTelemetryDb,
  type CassandraTelemetryDbOptions,
} from './telemetry-db/cassandra/cassandra-telemetry-db.js';
export * from './telemetry-db/days.js';
export { openTelemetryDb } from './telemetry-db/index.js';
export * from './telemetry-db/port/index.js';
export {
  SqliteTelemetryDb,
  type SqliteTelemetryDbOptions,
} from './telemetry-db/sqlite/sqlite-telemetry-db.js';
export * from './token-buckets.js';
