import type { Message } from '@platformatic/kafka';
import type { LogRecord } from '../port.js';

/** A message as the adapter's group consumer deserialises it: string key and headers. */
export type KafkaMessage = Message<string, Buffer, string, string>;

/** The Log's record of a consumed message; the value shares the message's bytes. */
export function toRecord(m: KafkaMessage): LogRecord {
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

/** `topic` and `partition` as one map key. */
export const partitionKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;
