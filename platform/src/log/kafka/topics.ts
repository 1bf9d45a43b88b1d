import { Admin } from '@platformatic/kafka';
import { LogUnavailableError } from '../../errors.js';
import { kafkaErrorIds, kafkaLogError } from '../../failures/kafka.js';
import type { TopicSpec } from '../port.js';
import type { ConnectionOptions } from './connection.js';

/**
 * Creates the missing topics and waits until each partition has a leader. Existing topics are
 * left as they are; a topic another process creates in between is what was wanted.
 */
export async function ensureKafkaTopics(
  connection: ConnectionOptions,
  topics: readonly TopicSpec[],
  replicationFactor: number,
): Promise<void> {
  const admin = new Admin(connection);
  try {
    const existing = new Set(await admin.listTopics());
    for (const t of topics) {
      if (existing.has(t.name)) continue;
      try {
        await admin.createTopics({
          topics: [t.name],
          partitions: t.partitions,
          replicas: t.replicationFactor ?? replicationFactor,
        });
      } catch (err) {
        // Another process created it in between: that is what we wanted.
        if (!kafkaErrorIds(err).has('TOPIC_ALREADY_EXISTS')) throw err;
      }
    }
    await waitForLeaders(
      topics.map((t) => t.name),
      async (names) => {
        const metadata = await admin.metadata({ topics: names, forceUpdate: true });
        return names.filter((t) => {
          const m = metadata.topics.get(t);
          return !m || m.partitions.length === 0 || m.partitions.some((p) => p.leader < 0);
        });
      },
    );
  } catch (err) {
    throw kafkaLogError(err, 'cannot create Kafka topics');
  } finally {
    await admin.close();
  }
}

/**
 * Waits until every partition of the topics has a leader: a consumer that joins while a new
 * topic has none yet is assigned nothing for it. `leaderless` answers which of the topics are
 * not there yet or have a partition without a leader (each client asks its own metadata).
 */
export async function waitForLeaders(
  topics: string[],
  leaderless: (topics: string[]) => Promise<string[]>,
  timeoutMs = 30_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const missing = await leaderless(topics);
    if (missing.length === 0) return;
    if (Date.now() > until) {
      throw new LogUnavailableError(
        `topics without partition leaders after ${timeoutMs} ms: ${missing.join(', ')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
