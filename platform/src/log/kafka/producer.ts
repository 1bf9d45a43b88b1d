import {
  compatibilityPartitioner,
  ProduceAcks,
  Producer,
  stringSerializer,
} from '@platformatic/kafka';
import { kafkaLogError } from '../../failures/kafka.js';
import type { LogProducer, ProduceRecord } from '../port.js';
import { SerialBatcher } from '../serial-batcher.js';
import type { ConnectionOptions } from './connection.js';

/**
 * An idempotent producer with acks=all: a resolved send() means every in-sync replica has the
 * records, and a retried send cannot duplicate them. Concurrent sends go out one request at a
 * time (SerialBatcher).
 *
 * A send that failed may still have been written: the broker can take a batch and then go
 * quiet before it answers. The library counts a batch's sequence numbers only once it is
 * acknowledged, so its next batch would reuse them — and one of the same length would be taken
 * by the broker for a retry of the first and acknowledged without being written. After any
 * failure the producer therefore takes a new producer id (sequence numbers start again) before
 * it sends anything more, as Kafka's own producer does.
 *
 * `producer.close()` sends what is queued, then closes; `client.close()` closes the client at
 * once (the log closing under it).
 */
export function openKafkaProducer(connection: ConnectionOptions): {
  producer: LogProducer;
  client: { close(): Promise<void> };
} {
  const producer = new Producer({
    ...connection,
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
  let outcomeUnknown = false;
  const batcher = new SerialBatcher(async (records) => {
    try {
      if (outcomeUnknown) {
        await producer.initIdempotentProducer({});
        outcomeUnknown = false;
      }
      await producer.send({
        messages: records.map((r) => ({
          topic: r.topic,
          key: r.key,
          value: Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength),
          headers: r.headers ? new Map(Object.entries(r.headers)) : new Map(),
        })),
      });
    } catch (err) {
      outcomeUnknown = true;
      throw kafkaLogError(err, `Kafka did not acknowledge ${records.length} records`);
    }
  });
  return {
    producer: {
      send: (records: readonly ProduceRecord[]) => batcher.send(records),
      close: async () => {
        await batcher.drain();
        await producer.close();
      },
    },
    client: { close: () => producer.close() },
  };
}
