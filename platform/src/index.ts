export * from './config.js';
export * from './errors.js';
export * from './logger.js';
export * from './metrics.js';
export { EmbeddedLog, type EmbeddedLogOptions } from './log/embedded.js';
export { KafkaLog, type KafkaLogOptions } from './log/kafka.js';
export { murmur2, partitionForKey } from './log/partitioner.js';
export type * from './log/port.js';
