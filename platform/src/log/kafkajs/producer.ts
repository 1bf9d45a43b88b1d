import { kafkaJsLogError } from '../../failures/kafkajs.js';
import type { LogProducer, ProduceRecord } from '../port.js';
import { SerialBatcher } from '../serial-batcher.js';
import type { KafkaJs } from './client.js';

/** How long the broker may take to have every in-sync replica acknowledge a produce. */
const ACK_TIMEOUT_MS = 30_000;

/**
 * An idempotent producer with acks=all (see openKafkaProducer). KafkaJS keeps an idempotent
 * producer's sequence numbers in order only with one request in flight, which SerialBatcher
 * makes. Its default partitioner is Kafka's Java one (murmur2), as the other clients use.
 *
 * KafkaJS, like the default client, hands a failed batch's sequence numbers to the next one,
 * though the broker may have written the failed batch (see openKafkaProducer): after a failure
 * the producer is replaced by a new one, which takes a new producer id, before anything more
 * is sent.
 */
export async function openKafkaJsProducer(kafka: KafkaJs.Kafka): Promise<{
  producer: LogProducer;
  client: { close(): Promise<void> };
}> {
  let producer = await connectProducer(kafka);
  let outcomeUnknown = false;
  const batcher = new SerialBatcher(async (records) => {
    try {
      if (outcomeUnknown) {
        await producer.disconnect().catch(() => {});
        producer = await connectProducer(kafka);
        outcomeUnknown = false;
      }
      await producer.sendBatch({
        acks: -1,
        timeout: ACK_TIMEOUT_MS,
        topicMessages: byTopic(records),
      });
    } catch (err) {
      outcomeUnknown = true;
      throw kafkaJsLogError(err, `Kafka did not acknowledge ${records.length} records`);
    }
  });
  return {
    producer: {
      send: (records) => batcher.send(records),
      close: async () => {
        await batcher.drain();
        await producer.disconnect();
      },
    },
    client: { close: () => producer.disconnect() },
  };
}

async function connectProducer(kafka: KafkaJs.Kafka): Promise<KafkaJs.Producer> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  try {
    await producer.connect();
    return producer;
  } catch (err) {
    await producer.disconnect().catch(() => {});
    throw kafkaJsLogError(err, 'cannot reach Kafka');
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
