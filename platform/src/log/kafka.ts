import {
  Admin,
  Consumer,
  compatibilityPartitioner,
  type Message,
  MessagesStreamFallbackModes,
  MessagesStreamModes,
  ProduceAcks,
  Producer,
  stringDeserializer,
  stringSerializer,
} from '@platformatic/kafka';
import { LogClosedError, LogRejectedError, LogUnavailableError } from '../errors.js';
import { logError } from '../failures/failure.js';
import { classifyKafkaFailure, kafkaErrorIds } from '../failures/kafka.js';
import type { KafkaSecurity } from '../links.js';
import { coPartitionedAssignment } from './co-partitioning.js';
import type {
  ConsumeOptions,
  Log,
  LogConsumer,
  LogProducer,
  LogRecord,
  ProduceRecord,
  TopicSpec,
} from './port.js';
import { SerialBatcher } from './serial-batcher.js';

/**
 * The Kafka Log adapter, through @platformatic/kafka (pure JavaScript, no native build,
 * follows current Kafka protocol versions). Producers are idempotent with acks=all, so a
 * resolved send() means every in-sync replica has the record and a retried send cannot
 * duplicate it.
 *
 * The client was chosen by measurement against node-rdkafka and KafkaJS behind this same
 * port (the README's benchmark section): on the gateway's path — one record per device
 * publish, with headers — it used the least CPU per publish, and it is maintained.
 */

export interface KafkaLogOptions extends KafkaSecurity {
  brokers: readonly string[];
  clientId: string;
  /** Replication factor of topics created by ensureTopics(). */
  replicationFactor: number;
}

type KafkaMessage = Message<string, Buffer, string, string>;

export class KafkaLog implements Log {
  readonly kind = 'kafka' as const;
  private closed = false;
  private readonly clients = new Set<{ close(): Promise<void> }>();

  constructor(private readonly options: KafkaLogOptions) {}

  private base() {
    const { tls, tlsServerName, sasl } = this.options;
    return {
      clientId: this.options.clientId,
      bootstrapBrokers: [...this.options.brokers],
      // Keep retrying through a broker restart rather than failing the caller quickly.
      retries: 20,
      retryDelay: 500,
      ...(tls ? { tls, tlsServerName: tlsServerName ?? false } : {}),
      ...(sasl ? { sasl: { ...sasl } } : {}),
    };
  }

  async ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    this.assertOpen();
    const admin = new Admin(this.base());
    try {
      const existing = new Set(await admin.listTopics());
      for (const t of topics) {
        if (existing.has(t.name)) continue;
        try {
          await admin.createTopics({
            topics: [t.name],
            partitions: t.partitions,
            replicas: t.replicationFactor ?? this.options.replicationFactor,
          });
        } catch (err) {
          // Another process created it in between: that is what we wanted.
          if (!kafkaErrorIds(err).has('TOPIC_ALREADY_EXISTS')) throw err;
        }
      }
      await waitForLeaders(
        admin,
        topics.map((t) => t.name),
      );
    } catch (err) {
      throw failed(err, 'cannot create Kafka topics');
    } finally {
      await admin.close();
    }
  }

  async createProducer(): Promise<LogProducer> {
    this.assertOpen();
    const producer = new Producer({
      ...this.base(),
      idempotent: true,
      acks: ProduceAcks.ALL,
      autocreateTopics: true,
      // Kafka's Java partitioner: the library's default differs from it for keys whose hash
      // is negative, which would split a device across partitions when switching drivers.
      partitioner: compatibilityPartitioner,
      serializers: {
        key: stringSerializer,
        headerKey: stringSerializer,
        headerValue: stringSerializer,
      },
    });
    const client = { close: () => producer.close() };
    this.clients.add(client);
    const batcher = new SerialBatcher(async (records) => {
      try {
        await producer.send({
          messages: records.map((r) => ({
            topic: r.topic,
            key: r.key,
            value: Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength),
            headers: r.headers ? new Map(Object.entries(r.headers)) : new Map(),
          })),
        });
      } catch (err) {
        throw failed(err, `Kafka did not acknowledge ${records.length} records`);
      }
    });
    return {
      send: (records: readonly ProduceRecord[]) => batcher.send(records),
      close: async () => {
        this.clients.delete(client);
        await batcher.drain();
        await producer.close();
      },
    };
  }

  async consume(options: ConsumeOptions): Promise<LogConsumer> {
    this.assertOpen();
    const consumer = new Consumer({
      ...this.base(),
      groupId: options.groupId,
      autocommit: false,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      rebalanceTimeout: 30_000,
      maxWaitTime: 200,
      // Partition i of every topic to one member: one vehicle's topics meet in one process.
      partitionAssigner: (_current, members, topics, metadata) =>
        [
          ...coPartitionedAssignment(
            new Map([...members].map(([id, m]) => [id, m.topics])),
            topics,
            (topic) => metadata.topics.get(topic)?.partitionsCount ?? 0,
          ),
        ].map(([memberId, byTopic]) => ({
          memberId,
          assignments: new Map(
            [...byTopic].map(([topic, partitions]) => [topic, { topic, partitions }]),
          ),
        })),
      deserializers: {
        key: stringDeserializer,
        headerKey: stringDeserializer,
        headerValue: stringDeserializer,
      },
    });
    let stream: Awaited<ReturnType<typeof consumer.consume>>;
    try {
      stream = await consumer.consume({
        topics: [...options.topics],
        mode: MessagesStreamModes.COMMITTED,
        fallbackMode:
          options.startAt === 'latest'
            ? MessagesStreamFallbackModes.LATEST
            : MessagesStreamFallbackModes.EARLIEST,
      });
    } catch (err) {
      await Promise.resolve(consumer.close(true)).catch(() => {});
      throw failed(err, `cannot join Kafka group ${options.groupId}`);
    }
    let stop!: () => void;
    const stopped = new Promise<void>((r) => {
      stop = r;
    });
    let running = true;
    const max = options.maxBatch ?? 500;
    // Flowing mode with pause/resume: messages buffer while a batch is being handled; the
    // stream is paused for the duration, so memory stays bounded by the stream's high water
    // mark plus one batch.
    const buffer: KafkaMessage[] = [];
    let busy = false;
    let scheduled = false;
    let idle: Promise<void> = Promise.resolve();
    const schedule = () => {
      if (busy || scheduled || !running || buffer.length === 0) return;
      scheduled = true;
      setImmediate(runBatch);
    };
    const runBatch = () => {
      scheduled = false;
      if (busy || !running || buffer.length === 0) return;
      busy = true;
      stream.pause();
      const batch = buffer.splice(0, max);
      idle = (async () => {
        try {
          await options.handle(batch.map(toRecord));
          await commit(batch);
        } catch (err) {
          running = false;
          stop();
          options.onError?.(err as Error);
        } finally {
          busy = false;
        }
        if (!running) return;
        if (buffer.length > 0) schedule();
        else stream.resume();
      })();
    };
    // The member's partitions, updated at each (re)join. Records of a partition that moved away
    // are dropped, buffered or arriving late: its new owner reads them from the committed
    // offset, and two members must not work on one partition at once.
    let assigned = new Set<string>();
    const onJoin = () => {
      const partitions = (consumer.assignments ?? []).flatMap((a) =>
        a.partitions.map((partition) => ({ topic: a.topic, partition })),
      );
      assigned = new Set(partitions.map((p) => `${p.topic}\u0000${p.partition}`));
      for (let i = buffer.length - 1; i >= 0; i--) {
        const m = buffer[i] as KafkaMessage;
        if (!assigned.has(`${m.topic}\u0000${m.partition}`)) buffer.splice(i, 1);
      }
      options.onAssigned?.(partitions);
    };
    consumer.on('consumer:group:join', onJoin);
    onJoin();
    stream.on('data', (m: KafkaMessage) => {
      if (!assigned.has(`${m.topic}\u0000${m.partition}`)) return;
      buffer.push(m);
      schedule();
    });
    const loop = stopped.then(() => idle);
    stream.on('error', (err: Error) => {
      if (!running) return;
      running = false;
      stop();
      options.onError?.(failed(err, 'Kafka consumer failed'));
    });
    const client = {
      close: async () => {
        running = false;
        stop();
        await loop;
        await stream.close().catch(() => {});
        await consumer.close(true);
      },
    };
    this.clients.add(client);
    return {
      close: async () => {
        this.clients.delete(client);
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

/**
 * Waits until every partition of the topics has a leader: a consumer that joins while a new
 * topic has none yet is assigned nothing for it.
 */
async function waitForLeaders(admin: Admin, topics: string[], timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const metadata = await admin.metadata({ topics, forceUpdate: true });
    const missing = topics.filter((t) => {
      const m = metadata.topics.get(t);
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

/** Commits, per partition, the offset after the last message handled. */
async function commit(batch: readonly KafkaMessage[]): Promise<void> {
  const last = new Map<string, KafkaMessage>();
  for (const m of batch) last.set(`${m.topic}\u0000${m.partition}`, m);
  try {
    await Promise.all([...last.values()].map((m) => m.commit()));
  } catch (err) {
    // A rebalance moved the partition away: its new owner starts from the last committed
    // offset and re-handles these records, which the idempotent writes downstream absorb.
    if (isLostOwnership(err)) return;
    throw err;
  }
}

function toRecord(m: KafkaMessage): LogRecord {
  return {
    topic: m.topic,
    partition: m.partition,
    offset: Number(m.offset),
    key: m.key,
    value: new Uint8Array(m.value.buffer, m.value.byteOffset, m.value.byteLength),
    headers: Object.fromEntries(m.headers),
    timestampMs: Number(m.timestamp),
  };
}

/**
 * The Log's error for a failure of the client: LogUnavailableError when trying again may
 * succeed, LogRejectedError when it cannot (refused authentication or TLS, a non-retriable
 * protocol error), with the reason. An error of ours passes as it is.
 */
function failed(err: unknown, what: string): Error {
  if (err instanceof LogUnavailableError || err instanceof LogRejectedError) return err;
  const failure = classifyKafkaFailure(err);
  return logError(failure, `${what}: ${failure.reason}`, err);
}

/**
 * The protocol errors a commit meets when a rebalance moved the partition away (or this
 * member's membership ended): its new owner starts from the last committed offset and
 * re-handles those records, which idempotent writes absorb.
 */
const LOST_OWNERSHIP = [
  'REBALANCE_IN_PROGRESS',
  'ILLEGAL_GENERATION',
  'UNKNOWN_MEMBER_ID',
  'FENCED_INSTANCE_ID',
  'FENCED_MEMBER_EPOCH',
  'STALE_MEMBER_EPOCH',
];

export function isLostOwnership(err: unknown): boolean {
  const ids = kafkaErrorIds(err);
  return LOST_OWNERSHIP.some((id) => ids.has(id));
}
