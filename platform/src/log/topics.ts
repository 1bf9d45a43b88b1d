import { kafkaTopics } from '@fleetline/proto';
import type { Config } from '../config.js';
import type { TopicSpec } from './port.js';

/** Every topic Fleetline uses, with the configured partition count and replication. */
export function fleetlineTopics(
  config: Pick<Config, 'topicPartitions' | 'topicReplication'>,
): TopicSpec[] {
  return Object.values(kafkaTopics).map((name) => ({
    name,
    partitions: config.topicPartitions,
    replicationFactor: config.topicReplication,
  }));
}
