import { isLostOwnershipKafkaJs, kafkaJsLogError } from '../../failures/kafkajs.js';
import { BatchPump } from '../kafka/batch-pump.js';
import { partitionKey } from '../kafka/records.js';
import type { ConsumeOptions, LogRecord, TopicPartition } from '../port.js';
import { coPartitionedKafkaJsAssigner } from './assigner.js';
import type { KafkaJs } from './client.js';

/** A fetched message and where it is, as the pump holds it. */
interface Fetched {
  readonly record: LogRecord;
  readonly topic: string;
  readonly partition: number;
}

/** How long a member may take to join its group before consume() gives up. */
const JOIN_TIMEOUT_MS = 60_000;

/**
 * A member of a Kafka consumer group through KafkaJS, as the Log port's consume() promises it
 * (see joinKafkaGroup): the same BatchPump hands batches over and orders their commits; each
 * fetched batch is resolved at once (the next fetch goes on) and committed by hand
 * (commitOffsets) only after its handling and that of every batch before it. While the pump
 * holds back, only the routine topics are paused: an urgent topic keeps its own fetches.
 */
export async function joinKafkaJsGroup(
  kafka: KafkaJs.Kafka,
  options: ConsumeOptions,
): Promise<{ close(): Promise<void> }> {
  const consumer = kafka.consumer({
    groupId: options.groupId,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
    rebalanceTimeout: 30_000,
    maxWaitTimeInMs: 200,
    partitionAssigners: [coPartitionedKafkaJsAssigner],
  });
  const urgent = new Set(options.urgentTopics ?? []);
  const routine = options.topics.filter((t) => !urgent.has(t)).map((topic) => ({ topic }));
  let assigned = new Set<string>();
  const pump = new BatchPump<Fetched>({
    source: { pause: () => consumer.pause(routine), resume: () => consumer.resume(routine) },
    maxBatch: options.maxBatch ?? 500,
    inFlight: options.inFlight ?? 1,
    ...(urgent.size > 0 ? { isUrgent: (m: Fetched) => urgent.has(m.topic) } : {}),
    handle: (batch) => options.handle(batch.map((m) => m.record)),
    commit: (batch) => commit(consumer, batch),
    onError: (err) => options.onError?.(err),
  });

  let joined: () => void = () => {};
  const join = new Promise<void>((resolve) => {
    joined = resolve;
  });
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    const partitions: TopicPartition[] = Object.entries(payload.memberAssignment).flatMap(
      ([topic, ids]) => ids.map((partition) => ({ topic, partition })),
    );
    assigned = new Set(partitions.map((p) => partitionKey(p.topic, p.partition)));
    // Buffered records of a partition that moved away are dropped, as are late arrivals.
    pump.retain((m) => assigned.has(partitionKey(m.topic, m.partition)));
    options.onAssigned?.(partitions);
    joined();
  });
  // KafkaJS restarts the member by itself after a failure it may retry; one it gives up on
  // ends this consumer.
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (!payload.restart) pump.fail(kafkaJsLogError(payload.error, 'Kafka consumer failed'));
  });

  try {
    await consumer.connect();
    await consumer.subscribe({
      topics: [...options.topics],
      fromBeginning: options.startAt !== 'latest',
    });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isStale }) => {
        const { topic, partition } = batch;
        for (const m of batch.messages) {
          if (isStale() || !assigned.has(partitionKey(topic, partition))) return;
          pump.push({ record: toRecord(topic, partition, m), topic, partition });
          // Fetched, not handled: the next fetch starts after it; the commit waits.
          resolveOffset(m.offset);
        }
        await heartbeat();
      },
    });
    await withTimeout(join, JOIN_TIMEOUT_MS, `no assignment from group ${options.groupId}`);
  } catch (err) {
    await consumer.disconnect().catch(() => {});
    throw kafkaJsLogError(err, `cannot join Kafka group ${options.groupId}`);
  }
  return {
    close: async () => {
      await pump.stop();
      await consumer.disconnect();
    },
  };
}

/**
 * Commits, per partition, the offset after the batch's last record there. A commit refused
 * because the partition moved away is no failure (see commitHandled).
 */
async function commit(consumer: KafkaJs.Consumer, batch: readonly Fetched[]): Promise<void> {
  const next = new Map<string, { topic: string; partition: number; offset: string }>();
  for (const m of batch) {
    next.set(partitionKey(m.topic, m.partition), {
      topic: m.topic,
      partition: m.partition,
      offset: String(m.record.offset + 1),
    });
  }
  try {
    await consumer.commitOffsets([...next.values()]);
  } catch (err) {
    if (isLostOwnershipKafkaJs(err)) return;
    throw kafkaJsLogError(err, 'Kafka did not take the commit');
  }
}

function toRecord(topic: string, partition: number, m: KafkaJs.KafkaMessage): LogRecord {
  const value = m.value ?? Buffer.alloc(0);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.headers ?? {})) {
    if (v !== undefined) headers[k] = Array.isArray(v) ? String(v[v.length - 1]) : v.toString();
  }
  return {
    topic,
    partition,
    offset: Number(m.offset),
    key: m.key?.toString() ?? '',
    value: new Uint8Array(value.buffer, value.byteOffset, value.byteLength),
    headers,
    timestampMs: Number(m.timestamp),
  };
}

async function withTimeout(p: Promise<void>, ms: number, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
  });
  try {
    await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
