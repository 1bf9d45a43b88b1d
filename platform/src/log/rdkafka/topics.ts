import { RdKafkaCode, rdkafkaLogError } from '../../failures/rdkafka.js';
import { waitForLeaders } from '../kafka/topics.js';
import type { TopicSpec } from '../port.js';
import { connect, disconnect, metadata } from './client.js';
import type { AdminClient, Config, Producer, RdKafkaModule } from './types.js';

/** Kafka's TOPIC_ALREADY_EXISTS. */
const TOPIC_ALREADY_EXISTS = 36;

/**
 * Creates the missing topics (the admin client) and waits until each partition has a leader
 * (the metadata of a client that produces nothing: node-rdkafka's admin client has no
 * metadata request). Existing topics are left as they are; a topic another process creates in
 * between is what was wanted.
 */
export async function ensureRdKafkaTopics(
  kafka: RdKafkaModule,
  base: Config,
  topics: readonly TopicSpec[],
  replicationFactor: number,
): Promise<void> {
  // No topic is created by asking for its metadata: only the admin client creates.
  const client = new kafka.Producer({ ...base, 'allow.auto.create.topics': false }, {});
  client.on('error', () => {});
  let admin: AdminClient | undefined;
  try {
    await connect(kafka, client, 'cannot reach Kafka');
    const existing = new Set((await metadata(client, undefined)).topics.map((t) => t.name));
    const missing = topics.filter((t) => !existing.has(t.name));
    if (missing.length > 0) {
      admin = kafka.AdminClient.create(base);
      for (const t of missing) {
        await createTopic(admin, {
          topic: t.name,
          num_partitions: t.partitions,
          replication_factor: t.replicationFactor ?? replicationFactor,
        });
      }
    }
    await waitForLeaders(
      topics.map((t) => t.name),
      (names) => leaderless(client, names),
    );
  } catch (err) {
    throw rdkafkaLogError(err, 'cannot create Kafka topics');
  } finally {
    admin?.disconnect();
    await disconnect(client);
  }
}

function createTopic(
  admin: AdminClient,
  topic: { topic: string; num_partitions: number; replication_factor: number },
): Promise<void> {
  return new Promise((resolve, reject) =>
    admin.createTopic(topic, 15_000, (err) =>
      !err || err.code === TOPIC_ALREADY_EXISTS ? resolve() : reject(err),
    ),
  );
}

/** Which of the topics are not known yet or have a partition without a leader. */
async function leaderless(client: Producer, topics: readonly string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const topic of topics) {
    const m = await metadata(client, topic).then(
      (data) => data.topics.find((x) => x.name === topic),
      (err: { code?: unknown }) => {
        // Not known to the broker answering yet: as good as no leader.
        if (err.code === RdKafkaCode.UNKNOWN_TOPIC) return undefined;
        throw err;
      },
    );
    if (!m || m.partitions.length === 0 || m.partitions.some((p) => p.leader < 0)) {
      missing.push(topic);
    }
  }
  return missing;
}
