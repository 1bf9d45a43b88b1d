import { createRequire } from 'node:module';
import type * as KafkaJs from 'kafkajs';
import { LogClosedError, LogUnavailableError } from '../../errors.js';
import type {
  ConsumeOptions,
  Log,
  LogConsumer,
  LogProducer,
  LogRecord,
  ProduceRecord,
  TopicSpec,
} from '../port.js';
import {
  deliveryTimeoutMs,
  describe,
  groupTimings,
  isLostOwnership,
  type KafkaLogOptions,
} from './common.js';
import { SerialBatcher } from './serial-batcher.js';

/**
 * Kafka through KafkaJS (pure JavaScript): for platforms where librdkafka cannot be built.
 * Producers are idempotent with acks=all and one request in flight.
 */

// Loaded on first use, so processes running another driver do not carry it.
let driver: typeof KafkaJs | undefined;
const loadDriver = () => {
  driver ??= createRequire(import.meta.url)('kafkajs') as typeof KafkaJs;
  return driver;
};

export class KafkaJsLog implements Log {
  readonly kind = 'kafka' as const;
  private closed = false;
  private readonly clients = new Set<{ close(): Promise<void> }>();
  private readonly kafka: KafkaJs.Kafka;
  private readonly partitioner: KafkaJs.ICustomPartitioner;

  constructor(private readonly options: KafkaLogOptions) {
    const { Kafka, logLevel, Partitioners } = loadDriver();
    this.partitioner = Partitioners.DefaultPartitioner;
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: [...options.brokers],
      // Failures reach callers as errors; KafkaJS's own console logger would repeat them.
      logLevel: logLevel.NOTHING,
      // Keep retrying through a broker restart for about the delivery timeout.
      retry: { initialRetryTime: 300, maxRetryTime: 2_000, retries: 15 },
    });
  }

  async ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    this.assertOpen();
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((t) => !existing.has(t.name));
      if (missing.length > 0) {
        // createTopics() answers false, not an error, for topics that exist by now.
        await admin.createTopics({
          waitForLeaders: true,
          timeout: 15_000,
          topics: missing.map((t) => ({
            topic: t.name,
            numPartitions: t.partitions,
            replicationFactor: t.replicationFactor ?? this.options.replicationFactor,
          })),
        });
      }
      await waitForLeaders(
        admin,
        topics.map((t) => t.name),
      );
    } catch (err) {
      throw new LogUnavailableError(`cannot create Kafka topics: ${describe(err)}`, { cause: err });
    } finally {
      await admin.disconnect();
    }
  }

  async createProducer(): Promise<LogProducer> {
    this.assertOpen();
    const producer = this.kafka.producer({
      idempotent: true,
      // KafkaJS keeps sequence numbers in order only with one request in flight.
      maxInFlightRequests: 1,
      // Kafka's Java partitioner (murmur2), as the other drivers and the embedded log use.
      createPartitioner: this.partitioner,
    });
    try {
      await producer.connect();
    } catch (err) {
      throw new LogUnavailableError(`cannot reach Kafka: ${describe(err)}`, { cause: err });
    }
    const batcher = new SerialBatcher(async (records) => {
      try {
        await producer.sendBatch({
          acks: -1,
          timeout: deliveryTimeoutMs,
          topicMessages: byTopic(records),
        });
      } catch (err) {
        throw new LogUnavailableError(
          `Kafka did not acknowledge ${records.length} records: ${describe(err)}`,
          { cause: err },
        );
      }
    });
    const client = {
      close: async () => {
        await batcher.drain();
        await producer.disconnect();
      },
    };
    this.clients.add(client);
    return {
      send: (records) => batcher.send(records),
      close: async () => {
        if (!this.clients.delete(client)) return;
        await client.close();
      },
    };
  }

  async consume(options: ConsumeOptions): Promise<LogConsumer> {
    this.assertOpen();
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: groupTimings.sessionTimeoutMs,
      heartbeatInterval: groupTimings.heartbeatIntervalMs,
      rebalanceTimeout: groupTimings.rebalanceTimeoutMs,
      maxWaitTimeInMs: groupTimings.maxWaitMs,
    });
    const max = options.maxBatch ?? 500;
    let running = true;
    let failure: Error | undefined;
    const fail = (err: Error) => {
      if (!running) return;
      running = false;
      failure = err;
      options.onError?.(err);
    };
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [...options.topics], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        // One batch at a time across partitions, as the other drivers hand them over.
        partitionsConsumedConcurrently: 1,
        eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale, pause }) => {
          for (let i = 0; i < batch.messages.length; i += max) {
            if (!running) {
              // After a failure nothing more is handled here; the records wait for the
              // group's next consumer.
              pause();
              return;
            }
            if (!isRunning() || isStale()) return;
            const chunk = batch.messages.slice(i, i + max);
            try {
              await options.handle(chunk.map((m) => toRecord(batch.topic, batch.partition, m)));
            } catch (err) {
              fail(err as Error);
              pause();
              return;
            }
            const last = chunk[chunk.length - 1] as KafkaJs.KafkaMessage;
            resolveOffset(last.offset);
            try {
              await consumer.commitOffsets([
                {
                  topic: batch.topic,
                  partition: batch.partition,
                  offset: String(BigInt(last.offset) + 1n),
                },
              ]);
            } catch (err) {
              if (isLostOwnership(err)) return;
              throw err;
            }
            await heartbeat();
          }
        },
      });
    } catch (err) {
      await consumer.disconnect().catch(() => {});
      throw new LogUnavailableError(
        `cannot join Kafka group ${options.groupId}: ${describe(err)}`,
        { cause: err },
      );
    }
    // KafkaJS restarts the consumer on retriable errors by itself; a crash it gives up on
    // ends this consumer.
    consumer.on(consumer.events.CRASH, (event) => {
      if (!event.payload.restart && !failure) {
        fail(
          new LogUnavailableError(`Kafka consumer failed: ${describe(event.payload.error)}`, {
            cause: event.payload.error,
          }),
        );
      }
    });
    const client = {
      close: async () => {
        running = false;
        // Waits for the batch in hand (whose offsets are committed as it completes) and
        // leaves the group.
        await consumer.disconnect();
      },
    };
    this.clients.add(client);
    return {
      close: async () => {
        if (!this.clients.delete(client)) return;
        await client.close();
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.clients].map((c) => c.close()));
    this.clients.clear();
  }

  private assertOpen(): void {
    if (this.closed) throw new LogClosedError();
  }
}

function byTopic(records: readonly ProduceRecord[]): KafkaJs.TopicMessages[] {
  const topics = new Map<string, KafkaJs.Message[]>();
  for (const r of records) {
    let messages = topics.get(r.topic);
    if (!messages) {
      messages = [];
      topics.set(r.topic, messages);
    }
    messages.push({
      key: r.key,
      value: Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength),
      headers: r.headers ? { ...r.headers } : {},
    });
  }
  return [...topics].map(([topic, messages]) => ({ topic, messages }));
}

/**
 * Waits until every partition of the topics has a leader: a consumer that joins while a new
 * topic has none yet is assigned nothing for it.
 */
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
    if (Date.now() > until)
      throw new Error(`topics without partition leaders: ${missing.join(', ')}`);
    await new Promise((r) => setTimeout(r, 200));
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
