import { LogUnavailableError } from '../../errors.js';
import { kafkaJsErrorTypes, kafkaJsLogError } from '../../failures/kafkajs.js';
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
      admin,
      topics.map((t) => t.name),
    );
  } catch (err) {
    throw kafkaJsLogError(err, 'cannot create Kafka topics');
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

async function waitForLeaders(
  admin: KafkaJs.Admin,
  topics: string[],
  timeoutMs = 30_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { topics: found } = await admin.fetchTopicMetadata({ topics });
    const missing = topics.filter((t) => {
      const m = found.find((x) => x.name === t);
      return !m || m.partitions.length === 0 || m.partitions.some((p) => p.leader < 0);
    });
    if (missing.length === 0) return;
    if (Date.now() > until) {
      throw new LogUnavailableError(
        `topics without partition leaders after ${timeoutMs} ms: ${missing.join(', ')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
