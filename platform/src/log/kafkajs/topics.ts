import { kafkaJsErrorTypes, kafkaJsLogError } from '../../failures/kafkajs.js';
import { waitForLeaders } from '../kafka/topics.js';
import type { TopicSpec } from '../port.js';
import type { KafkaJs } from './client.js';

/**
 * Creates the missing topics and waits until each partition has a leader (see
 * ensureKafkaTopics): existing topics are left as they are.
 */
export async function ensureKafkaJsTopics(
  kafka: KafkaJs.Kafka,
  topics: readonly TopicSpec[],
  replicationFactor: number,
): Promise<void> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.name));
    if (missing.length > 0) {
      try {
        // Answers false, not an error, for topics that exist by now.
        await admin.createTopics({
          waitForLeaders: true,
          timeout: 15_000,
          topics: missing.map((t) => ({
            topic: t.name,
            numPartitions: t.partitions,
            replicationFactor: t.replicationFactor ?? replicationFactor,
          })),
        });
      } catch (err) {
        if (!kafkaJsErrorTypes(err).has('TOPIC_ALREADY_EXISTS')) throw err;
      }
    }
    await waitForLeaders(
      topics.map((t) => t.name),
      async (names) => {
        const { topics: found } = await admin.fetchTopicMetadata({ topics: names });
        return names.filter((t) => {
          const m = found.find((x) => x.name === t);
          return !m || m.partitions.length === 0 || m.partitions.some((p) => p.leader < 0);
        });
      },
    );
  } catch (err) {
    throw kafkaJsLogError(err, 'cannot create Kafka topics');
  } finally {
    await admin.disconnect().catch(() => {});
  }
}
