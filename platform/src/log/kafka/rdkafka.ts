import { createRequire } from 'node:module';
import type * as RdKafka from 'node-rdkafka';
import { ConfigError, LogClosedError, LogUnavailableError } from '../../errors.js';
import type {
  ConsumeOptions,
  Log,
  LogConsumer,
  LogProducer,
  LogRecord,
  ProduceRecord,
  TopicSpec,
} from '../port.js';
import { deliveryTimeoutMs, describe, groupTimings, type KafkaLogOptions } from './common.js';

/**
 * Kafka through node-rdkafka (librdkafka, the C client): the default driver. librdkafka keeps
 * per-partition order with up to five requests in flight under idempotence, batches on its
 * own thread and hands the event loop only finished delivery reports and fetched records.
 *
 * node-rdkafka is an optional dependency (it compiles librdkafka at install); it is loaded on
 * first use so that the other drivers work where it could not be built.
 */

type Driver = typeof RdKafka;
let driver: Driver | undefined;

function loadDriver(): Driver {
  if (driver) return driver;
  try {
    driver = createRequire(import.meta.url)('node-rdkafka') as Driver;
    return driver;
  } catch (err) {
    throw new ConfigError('KAFKA_DRIVER=rdkafka but node-rdkafka cannot be loaded', [
      `KAFKA_DRIVER: node-rdkafka is not installed or its native build failed (${describe(err)}); rebuild it with \`npm rebuild node-rdkafka\` (needs a C++ toolchain) or set KAFKA_DRIVER=kafkajs`,
    ]);
  }
}

/** librdkafka error codes this adapter acts on (rdkafka.h). */
const ErrorCode = {
  queueFull: -184,
  partitionEof: -191,
  state: -172,
  topicAlreadyExists: 36,
} as const;

/**
 * Delivery reports are served by polling; while records are on their way the producer is
 * polled this often (ms), so a report waits at most this long to reach its send().
 */
const DELIVERY_POLL_MS = 2;
/** How long one consume call waits for a first record when the log is quiet. */
const IDLE_CONSUME_MS = 250;

export class RdKafkaLog implements Log {
  readonly kind = 'kafka' as const;
  private closed = false;
  private readonly clients = new Set<{ close(): Promise<void> }>();
  private readonly kafka: Driver;

  constructor(private readonly options: KafkaLogOptions) {
    this.kafka = loadDriver();
  }

  private base(): RdKafka.GlobalConfig {
    return {
      'bootstrap.servers': this.options.brokers.join(','),
      'client.id': this.options.clientId,
      // librdkafka logs to stderr by default; failures reach callers as errors instead.
      log_level: 0,
    };
  }

  async ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    this.assertOpen();
    const admin = this.kafka.AdminClient.create(this.base());
    try {
      for (const t of topics) {
        await new Promise<void>((resolve, reject) =>
          admin.createTopic(
            {
              topic: t.name,
              num_partitions: t.partitions,
              replication_factor: t.replicationFactor ?? this.options.replicationFactor,
            },
            15_000,
            (err) => (!err || err.code === ErrorCode.topicAlreadyExists ? resolve() : reject(err)),
          ),
        );
      }
      await this.waitForLeaders(topics.map((t) => t.name));
    } catch (err) {
      throw new LogUnavailableError(`cannot create Kafka topics: ${describe(err)}`, { cause: err });
    } finally {
      admin.disconnect();
    }
  }

  /**
   * Waits until every partition of the topics has a leader: a consumer that joins while a new
   * topic has none yet is assigned nothing for it.
   */
  private async waitForLeaders(topics: readonly string[], timeoutMs = 30_000): Promise<void> {
    const client = new this.kafka.Producer(this.base());
    await connect(client);
    try {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const missing: string[] = [];
        for (const topic of topics) {
          const metadata = await new Promise<RdKafka.Metadata>((resolve, reject) =>
            client.getMetadata({ topic, timeout: 5_000 }, (err, data) =>
              err ? reject(err) : resolve(data),
            ),
          );
          const m = metadata.topics.find((x) => x.name === topic);
          if (!m || m.partitions.length === 0 || m.partitions.some((p) => p.leader < 0)) {
            missing.push(topic);
          }
        }
        if (missing.length === 0) return;
        if (Date.now() > until) {
          throw new Error(`topics without partition leaders: ${missing.join(', ')}`);
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      await disconnect(client);
    }
  }

  async createProducer(): Promise<LogProducer> {
    this.assertOpen();
    const producer = new this.kafka.Producer(
      {
        ...this.base(),
        // Idempotence implies acks=all and in-order retries: a resolved send() is on every
        // in-sync replica, and a retry cannot duplicate or reorder it.
        'enable.idempotence': true,
        dr_cb: true,
        'linger.ms': 2,
      },
      {
        'message.timeout.ms': deliveryTimeoutMs,
        // Kafka's Java partitioner, so a key lands on the same partition whichever client (or
        // the embedded log) wrote it.
        partitioner: 'murmur2_random',
      },
    );
    try {
      await connect(producer);
    } catch (err) {
      throw new LogUnavailableError(`cannot reach Kafka: ${describe(err)}`, { cause: err });
    }
    const queue = new DeliveryQueue(producer);
    const client = { close: () => queue.close() };
    this.clients.add(client);
    return {
      send: (records) => queue.send(records),
      close: async () => {
        this.clients.delete(client);
        await queue.close();
      },
    };
  }

  async consume(options: ConsumeOptions): Promise<LogConsumer> {
    this.assertOpen();
    const consumer = new this.kafka.KafkaConsumer(
      {
        ...this.base(),
        'group.id': options.groupId,
        // Offsets are stored only after handle() resolved, and librdkafka commits the stored
        // ones every second, when partitions are revoked and on close.
        'enable.auto.commit': true,
        'enable.auto.offset.store': false,
        'auto.commit.interval.ms': 1_000,
        'session.timeout.ms': groupTimings.sessionTimeoutMs,
        'heartbeat.interval.ms': groupTimings.heartbeatIntervalMs,
        'fetch.wait.max.ms': groupTimings.maxWaitMs,
        // End-of-partition markers let a consume call return as soon as it has drained what
        // is there, instead of waiting out its timeout for a full batch.
        'enable.partition.eof': true,
      },
      { 'auto.offset.reset': 'earliest' },
    );
    try {
      await connect(consumer);
      consumer.subscribe([...options.topics]);
    } catch (err) {
      await disconnect(consumer).catch(() => {});
      throw new LogUnavailableError(
        `cannot join Kafka group ${options.groupId}: ${describe(err)}`,
        { cause: err },
      );
    }
    consumer.setDefaultConsumeTimeout(IDLE_CONSUME_MS);
    const max = options.maxBatch ?? 500;
    let running = true;
    const fail = (err: Error) => {
      if (!running) return;
      running = false;
      options.onError?.(err);
    };
    // One batch at a time: rebalances are served inside consume calls, so a revocation waits
    // for the batch in hand, whose offsets are stored before the revocation commits them.
    const loop = (async () => {
      while (running) {
        let messages: RdKafka.Message[];
        try {
          messages = await consumeBatch(consumer, max);
        } catch (err) {
          const e = err as RdKafka.LibrdKafkaError;
          // Local errors (broker down, timeouts) pass; librdkafka reconnects on its own.
          if (e.isFatal || e.code >= 0) {
            fail(
              new LogUnavailableError(`Kafka consumer failed: ${describe(err)}`, { cause: err }),
            );
          } else {
            await new Promise((r) => setTimeout(r, 100));
          }
          continue;
        }
        if (!running || messages.length === 0) continue;
        try {
          await options.handle(messages.map(toRecord));
        } catch (err) {
          fail(err as Error);
          break;
        }
        try {
          storeOffsets(consumer, messages);
        } catch (err) {
          fail(new LogUnavailableError(`cannot store offsets: ${describe(err)}`, { cause: err }));
        }
      }
    })();
    const client = {
      close: async () => {
        running = false;
        await loop;
        // Closing commits the stored offsets and leaves the group.
        await disconnect(consumer);
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

/** One send() call waiting for the delivery reports of its records. */
interface Delivery {
  remaining: number;
  failed: boolean;
  resolve(): void;
  reject(err: Error): void;
}

/**
 * Hands records to librdkafka and settles each send() from the delivery reports. When
 * librdkafka's queue is full, records wait here, in order, and go in as reports free room.
 */
class DeliveryQueue {
  private outstanding = 0;
  private readonly waiting: { record: ProduceRecord; delivery: Delivery }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly producer: RdKafka.Producer) {
    producer.on('delivery-report', (err, report) => {
      this.outstanding--;
      const delivery = report.opaque as Delivery;
      if (err) this.settle(delivery, err);
      else if (--delivery.remaining === 0 && !delivery.failed) delivery.resolve();
    });
  }

  send(records: readonly ProduceRecord[]): Promise<void> {
    if (this.closing) return Promise.reject(new LogClosedError('the producer is closed'));
    if (records.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const delivery: Delivery = { remaining: records.length, failed: false, resolve, reject };
      for (const record of records) {
        if (this.waiting.length > 0 || !this.produce(record, delivery)) {
          this.waiting.push({ record, delivery });
        }
      }
      this.startPolling();
    });
  }

  /** False when librdkafka's queue is full and the record must wait. */
  private produce(record: ProduceRecord, delivery: Delivery): boolean {
    if (delivery.failed) return true;
    try {
      this.producer.produce(
        record.topic,
        null,
        Buffer.from(record.value.buffer, record.value.byteOffset, record.value.byteLength),
        record.key,
        null,
        delivery,
        record.headers ? Object.entries(record.headers).map(([k, v]) => ({ [k]: v })) : undefined,
      );
      this.outstanding++;
      return true;
    } catch (err) {
      if ((err as RdKafka.LibrdKafkaError).code === ErrorCode.queueFull) return false;
      this.settle(delivery, err);
      return true;
    }
  }

  private settle(delivery: Delivery, err: unknown): void {
    if (delivery.failed) return;
    delivery.failed = true;
    delivery.reject(
      new LogUnavailableError(`Kafka did not acknowledge a record: ${describe(err)}`, {
        cause: err,
      }),
    );
  }

  private startPolling(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.producer.poll();
      while (this.waiting.length > 0) {
        const next = this.waiting[0] as (typeof this.waiting)[number];
        if (!this.produce(next.record, next.delivery)) break;
        this.waiting.shift();
      }
      if (this.outstanding === 0 && this.waiting.length === 0) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    }, DELIVERY_POLL_MS);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      // Whatever was handed over gets its report (or its timeout) before the client goes.
      while (this.outstanding > 0 || this.waiting.length > 0) {
        await new Promise((r) => setTimeout(r, 10));
      }
      clearInterval(this.timer);
      this.timer = undefined;
      await disconnect(this.producer);
    })();
    return this.closing;
  }
}

function connect(client: RdKafka.Producer | RdKafka.KafkaConsumer): Promise<void> {
  return new Promise((resolve, reject) => {
    client.connect({ timeout: 15_000 }, (err) => (err ? reject(err) : resolve()));
  });
}

function disconnect(client: RdKafka.Producer | RdKafka.KafkaConsumer): Promise<void> {
  return new Promise((resolve) => {
    if (!client.isConnected()) return resolve();
    client.disconnect(() => resolve());
  });
}

function consumeBatch(consumer: RdKafka.KafkaConsumer, max: number): Promise<RdKafka.Message[]> {
  return new Promise((resolve, reject) => {
    consumer.consume(max, (err, messages) => {
      if (err && err.code !== ErrorCode.partitionEof) reject(err);
      else resolve(messages ?? []);
    });
  });
}

/** Stores, per partition, the offset after the last message handled, for the next commit. */
function storeOffsets(consumer: RdKafka.KafkaConsumer, messages: readonly RdKafka.Message[]): void {
  const next = new Map<string, RdKafka.TopicPartitionOffset>();
  for (const m of messages) {
    next.set(`${m.topic}\u0000${m.partition}`, {
      topic: m.topic,
      partition: m.partition,
      offset: m.offset + 1,
    });
  }
  try {
    consumer.offsetsStore([...next.values()]);
  } catch (err) {
    // A rebalance took the partition away meanwhile: its new owner re-handles these records
    // from the last committed offset, which idempotent writes downstream absorb.
    if ((err as RdKafka.LibrdKafkaError).code !== ErrorCode.state) throw err;
  }
}

function toRecord(m: RdKafka.Message): LogRecord {
  const value = m.value ?? Buffer.alloc(0);
  const headers: Record<string, string> = {};
  for (const h of m.headers ?? []) {
    for (const [k, v] of Object.entries(h)) headers[k] = v.toString();
  }
  return {
    topic: m.topic,
    partition: m.partition,
    offset: m.offset,
    key: m.key === undefined || m.key === null ? '' : m.key.toString(),
    value: new Uint8Array(value.buffer, value.byteOffset, value.byteLength),
    headers,
    timestampMs: m.timestamp ?? 0,
  };
}
