import { RdKafkaCode } from '../../failures/rdkafka.js';
import type { LogRecord } from '../port.js';
import type { KafkaConsumer, LibrdKafkaError, Message } from './types.js';

/**
 * How long one consume call waits for a first record when the log is quiet: also how soon a
 * rebalance librdkafka has to serve, or a close, is seen by the loop between calls.
 */
export const IDLE_CONSUME_MS = 100;

/**
 * What a consumer needs for consumeBatch() to return as soon as it has what was fetched: a
 * consume call waits up to its timeout for each record until it has as many as asked for,
 * unless a partition's end was reached (then it only takes what is there).
 */
export const batchConsumerConfig = { 'enable.partition.eof': true } as const;

/** Sets the wait of a consume call for a first record (see IDLE_CONSUME_MS). */
export function batchConsumer(consumer: KafkaConsumer): void {
  consumer.setDefaultConsumeTimeout(IDLE_CONSUME_MS);
}

/**
 * Up to `max` records fetched, in partition order (none when the log was quiet). librdkafka
 * serves rebalances and its errors inside these calls.
 */
export function consumeBatch(consumer: KafkaConsumer, max: number): Promise<Message[]> {
  return new Promise((resolve, reject) => {
    consumer.consume(max, (err, messages) => {
      if (err && !isQuiet(err)) reject(err);
      else resolve(messages ?? []);
    });
  });
}

const isQuiet = (err: LibrdKafkaError) =>
  err.code === RdKafkaCode.TIMED_OUT || err.code === RdKafkaCode.PARTITION_EOF;

/** The Log's record of a consumed message; the value shares the message's bytes. */
export function toRecord(m: Message): LogRecord {
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
