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
