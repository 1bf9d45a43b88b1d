import {
  type ClusterMetadata,
  Consumer,
  type fetchV17,
  IS_CONTROL,
  ListOffsetTimestamps,
  type RecordsBatch,
} from '@platformatic/kafka';
import { kafkaLogError } from '../../failures/kafka.js';
import type { LogRecord, LogTail, TailOptions, TopicPartition } from '../port.js';
import type { ConnectionOptions } from './connection.js';
import { partitionKey } from './records.js';

/** A partition the tail reads, and the offset of the next record to hand over. */
export interface TailPosition {
  readonly topic: string;
  readonly partition: number;
  offset: bigint;
}

/** Bytes per partition in one fetch at most (Kafka's max.partition.fetch.bytes default). */
const PARTITION_MAX_BYTES = 1_048_576;
/** How long the broker holds a fetch that has nothing yet: also how long close() may wait. */
const MAX_WAIT_MS = 200;

/**
 * Kafka's tail: the topics' partitions read from their end offsets (ListOffsets, latest) with
 * plain Fetch requests, in no group. The client is a Consumer for its fetch and offset
 * requests only; the group id it must be given is never joined, so the broker keeps no group
 * and no offsets of it.
 */
export async function startKafkaTail(
  connection: ConnectionOptions,
  options: TailOptions,
): Promise<LogTail> {
  const consumer = new Consumer({
    ...connection,
    groupId: `${connection.clientId}-tail`,
    maxWaitTime: MAX_WAIT_MS,
  });
  let positions: TailPosition[];
  try {
    positions = await endPositions(consumer, options.topics);
  } catch (err) {
    await Promise.resolve(consumer.close(true)).catch(() => {});
    throw kafkaLogError(err, `cannot tail Kafka topics ${options.topics.join(', ')}`);
  }
  return new KafkaTail(consumer, positions, options);
}

/** Where each partition of the topics ends now. An unknown topic fails. */
async function endPositions(
  consumer: Consumer,
  topics: readonly string[],
): Promise<TailPosition[]> {
  await consumer.metadata({ topics: [...topics], forceUpdate: true });
  const ends = await consumer.listOffsets({
    topics: [...topics],
    timestamp: ListOffsetTimestamps.LATEST,
  });
  return topics.flatMap((topic) =>
    (ends.get(topic) ?? []).map((offset, partition) => ({ topic, partition, offset })),
  );
}

class KafkaTail implements LogTail {
  readonly partitions: readonly TopicPartition[];
  private readonly topics: string[];
  private running = true;
  private readonly loopDone: Promise<void>;

  constructor(
    private readonly consumer: Consumer,
    private readonly positions: TailPosition[],
    private readonly options: TailOptions,
  ) {
    this.topics = [...options.topics];
    this.partitions = positions.map(({ topic, partition }) => ({ topic, partition }));
    this.loopDone = this.loop();
  }

  async close(): Promise<void> {
    this.running = false;
    await this.loopDone;
    await Promise.resolve(this.consumer.close(true)).catch(() => {});
  }

  private async loop(): Promise<void> {
    const max = this.options.maxBatch ?? 500;
    while (this.running) {
      let fetched: Fetched;
      try {
        fetched = await this.fetch();
      } catch (err) {
        this.stop(kafkaLogError(err, 'Kafka tail failed'));
        return;
      }
      try {
        for (let i = 0; i < fetched.records.length && this.running; i += max) {
          await this.options.handle(fetched.records.slice(i, i + max));
        }
      } catch (err) {
        this.stop(err as Error);
        return;
      }
      for (const p of this.positions) {
        p.offset = fetched.next.get(partitionKey(p.topic, p.partition)) ?? p.offset;
      }
    }
  }

  /** One Fetch to each leader of the partitions, from their positions. */
  private async fetch(): Promise<Fetched> {
    const metadata = await this.consumer.metadata({ topics: this.topics });
    const requests = fetchRequests(metadata, this.positions);
    if (requests.size === 0) {
      // No partition has a leader now (an election): ask again after a while.
      await new Promise((resolve) => setTimeout(resolve, MAX_WAIT_MS));
      return { records: [], next: new Map() };
    }
    const responses = await Promise.all(
      [...requests].map(([node, topics]) =>
        this.consumer.fetch({ node, topics, maxWaitTime: MAX_WAIT_MS }),
      ),
    );
    const names = new Map([...metadata.topics].map(([name, t]) => [t.id, name]));
    return fetchedRecords(responses, names, this.positions);
  }

  private stop(err: Error): void {
    if (!this.running) return;
    this.running = false;
    this.options.onError?.(err);
  }
}

/** The Fetch requests for the positions, by the node that leads each partition. Pure. */
export function fetchRequests(
  metadata: Pick<ClusterMetadata, 'topics'>,
  positions: readonly TailPosition[],
): Map<number, fetchV17.FetchRequestTopic[]> {
  const byLeader = new Map<number, Map<string, fetchV17.FetchRequestTopic>>();
  for (const p of positions) {
    const topic = metadata.topics.get(p.topic);
    const leader = topic?.partitions[p.partition]?.leader;
    if (!topic || leader === undefined || leader < 0) continue; // no leader now: next round
    const topics = byLeader.get(leader) ?? new Map<string, fetchV17.FetchRequestTopic>();
    byLeader.set(leader, topics);
    const request = topics.get(topic.id) ?? { topicId: topic.id, partitions: [] };
    topics.set(topic.id, request);
    request.partitions.push({
      partition: p.partition,
      fetchOffset: p.offset,
      partitionMaxBytes: PARTITION_MAX_BYTES,
      currentLeaderEpoch: -1,
      lastFetchedEpoch: -1,
    });
  }
  return new Map([...byLeader].map(([leader, topics]) => [leader, [...topics.values()]]));
}

/** What one round fetched: records to hand over, and where each partition goes on from. */
export interface Fetched {
  records: LogRecord[];
  /** partitionKey → the offset after the last batch fetched (control batches included). */
  next: Map<string, bigint>;
}

/**
 * The records of Fetch responses, in partition order: control batches (transaction markers)
 * are skipped, as are records before a position (a batch is returned whole, from its first
 * record). Pure.
 */
export function fetchedRecords(
  responses: readonly fetchV17.FetchResponse[],
  topicNames: ReadonlyMap<string, string>,
  positions: readonly TailPosition[],
): Fetched {
  const from = new Map(positions.map((p) => [partitionKey(p.topic, p.partition), p.offset]));
  const records: LogRecord[] = [];
  const next = new Map<string, bigint>();
  for (const response of responses) {
    for (const t of response.responses) {
      const topic = topicNames.get(t.topicId);
      if (topic === undefined) continue;
      for (const { partitionIndex: partition, records: batches } of t.partitions) {
        const key = partitionKey(topic, partition);
        const start = from.get(key);
        if (start === undefined || !batches?.length) continue;
        for (const batch of batches) {
          next.set(key, batch.firstOffset + BigInt(batch.lastOffsetDelta) + 1n);
          if (batch.attributes & IS_CONTROL) continue;
          records.push(...batchRecords(topic, partition, batch, start));
        }
      }
    }
  }
  return { records, next };
}

function batchRecords(
  topic: string,
  partition: number,
  batch: RecordsBatch,
  from: bigint,
): LogRecord[] {
  const out: LogRecord[] = [];
  for (const r of batch.records) {
    const offset = batch.firstOffset + BigInt(r.offsetDelta);
    if (offset < from) continue;
    const value = r.value ?? Buffer.alloc(0);
    out.push({
      topic,
      partition,
      offset: Number(offset),
      key: r.key?.toString('utf8') ?? '',
      value: new Uint8Array(value.buffer, value.byteOffset, value.byteLength),
      headers: Object.fromEntries(
        r.headers.map(([k, v]) => [k?.toString('utf8') ?? '', v?.toString('utf8') ?? '']),
      ),
      timestampMs: Number(batch.firstTimestamp + r.timestampDelta),
    });
  }
  return out;
}
