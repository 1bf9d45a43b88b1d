import { LogRejectedError } from '../../errors.js';
import { classifyRdKafkaFailure, rdkafkaLogError } from '../../failures/rdkafka.js';
import type { LogTail, TailOptions, TopicPartition } from '../port.js';
import { connect, disconnect, metadata } from './client.js';
import { withCode } from './event-errors.js';
import { batchConsumer, batchConsumerConfig, consumeBatch, toRecord } from './messages.js';
import type {
  Config,
  KafkaConsumer,
  LibrdKafkaError,
  RdKafkaModule,
  TopicPartitionOffset,
} from './types.js';

/**
 * Kafka's tail through node-rdkafka: a consumer that is given the topics' partitions at their
 * end offsets (assign(), each partition's high watermark) and never subscribes nor commits.
 * librdkafka's consumer must be given a group id; this one is never joined, so the broker
 * keeps no group and no offsets of it.
 */
export async function startRdKafkaTail(
  kafka: RdKafkaModule,
  base: Config,
  options: TailOptions,
): Promise<LogTail> {
  const consumer = new kafka.KafkaConsumer(
    {
      ...base,
      'group.id': `${String(base['client.id'])}-tail`,
      'enable.auto.commit': false,
      'enable.auto.offset.store': false,
      'fetch.wait.max.ms': 200,
      'queued.max.messages.kbytes': 16_384,
      ...batchConsumerConfig,
    },
    {},
  );
  batchConsumer(consumer);
  consumer.on('error', () => {});
  const what = `cannot tail Kafka topics ${options.topics.join(', ')}`;
  try {
    await connect(kafka, consumer, what);
    const positions = await endPositions(consumer, options.topics);
    consumer.assign(positions);
    return new RdKafkaTail(kafka, consumer, positions, options);
  } catch (err) {
    await disconnect(consumer);
    throw rdkafkaLogError(err, what);
  }
}

/** Where each partition of the topics ends now, in topic then partition order. */
async function endPositions(
  consumer: KafkaConsumer,
  topics: readonly string[],
): Promise<TopicPartitionOffset[]> {
  const positions: TopicPartitionOffset[] = [];
  for (const topic of topics) {
    const found = (await metadata(consumer, topic)).topics.find((t) => t.name === topic);
    if (!found || found.partitions.length === 0) {
      throw new LogRejectedError(`cannot tail Kafka topic ${topic}: it does not exist`);
    }
    const ids = found.partitions.map((p) => p.id).sort((a, b) => a - b);
    const ends = await Promise.all(
      ids.map((partition) => highWatermark(consumer, topic, partition)),
    );
    ids.forEach((partition, i) => {
      positions.push({ topic, partition, offset: ends[i] as number });
    });
  }
  return positions;
}

function highWatermark(consumer: KafkaConsumer, topic: string, partition: number) {
  return new Promise<number>((resolve, reject) =>
    consumer.queryWatermarkOffsets(topic, partition, 5_000, (err, offsets) =>
      err ? reject(err) : resolve(offsets.highOffset),
    ),
  );
}

/**
 * Reads in a loop of consume calls (see joinRdKafkaGroup for why not the flowing mode), one
 * batch in hand at a time: the next call is made only after handle() resolved, so a partition's
 * next records come after its earlier ones were handled.
 */
class RdKafkaTail implements LogTail {
  readonly partitions: readonly TopicPartition[];
  private running = true;
  private readonly loopDone: Promise<void>;

  constructor(
    kafka: RdKafkaModule,
    private readonly consumer: KafkaConsumer,
    positions: readonly TopicPartitionOffset[],
    private readonly options: TailOptions,
  ) {
    this.partitions = positions.map(({ topic, partition }) => ({ topic, partition }));
    consumer.on('event.error', (event) => {
      const err = withCode(kafka, event);
      if (!classifyRdKafkaFailure(err).retryable) {
        this.stop(rdkafkaLogError(err, 'Kafka tail failed'));
      }
    });
    this.loopDone = this.loop();
  }

  async close(): Promise<void> {
    this.running = false;
    await this.loopDone;
    await disconnect(this.consumer);
  }

  private async loop(): Promise<void> {
    const max = this.options.maxBatch ?? 500;
    while (this.running) {
      let messages: Awaited<ReturnType<typeof consumeBatch>>;
      try {
        messages = await consumeBatch(this.consumer, max);
      } catch (err) {
        // librdkafka reconnects by itself after a failure it may retry.
        if (!classifyRdKafkaFailure(err).retryable) {
          this.stop(rdkafkaLogError(err as LibrdKafkaError, 'Kafka tail failed'));
        } else {
          await new Promise((r) => setTimeout(r, 100));
        }
        continue;
      }
      if (!this.running || messages.length === 0) continue;
      try {
        await this.options.handle(messages.map(toRecord));
      } catch (err) {
        this.stop(err as Error);
      }
    }
  }

  private stop(err: Error): void {
    if (!this.running) return;
    this.running = false;
    this.options.onError?.(err);
  }
}
