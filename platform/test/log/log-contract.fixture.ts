import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';
import { kafka, kafkaBrokers, uniqueName } from '../../../test-support/infra.js';
import { rdkafkaMissing } from '../../../test-support/kafka-clients.js';
import { EmbeddedLog } from '../../src/log/embedded.js';
import { KafkaLog } from '../../src/log/kafka.js';
import { KafkaJsLog } from '../../src/log/kafkajs/kafkajs-log.js';
import type { Log, LogConsumer, LogRecord, LogTail, ProduceRecord } from '../../src/log/port.js';
import { RdKafkaLog } from '../../src/log/rdkafka/rdkafka-log.js';

/** The adapters the Log contract runs on, and what its cases share. */

export interface Adapter {
  name: string;
  /** Opens the adapter; calling it again after close() opens the same durable log. */
  open(): Log;
  skip?: string | undefined;
}

/** The embedded log always; Kafka when it runs (with REQUIRE_INFRA=1: it must). */
export async function contractAdapters(): Promise<Adapter[]> {
  const dir = mkdtempSync(join(tmpdir(), 'fleetline-log-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const kafkaInfra = await kafka();
  return [
    {
      name: 'embedded',
      open: () => new EmbeddedLog({ path: join(dir, 'log.sqlite'), defaultPartitions: 4 }),
    },
    {
      name: 'kafka',
      open: () =>
        new KafkaLog({ brokers: kafkaBrokers, clientId: 'contract-test', replicationFactor: 1 }),
      skip: kafkaInfra.reason,
    },
    {
      name: 'kafka through kafkajs',
      open: () =>
        new KafkaJsLog({ brokers: kafkaBrokers, clientId: 'contract-test', replicationFactor: 1 }),
      skip: kafkaInfra.reason,
    },
    {
      // Installed apart: skipped without it, except with REQUIRE_INFRA=1 (CI installs it).
      name: 'kafka through node-rdkafka',
      open: () =>
        new RdKafkaLog({ brokers: kafkaBrokers, clientId: 'contract-test', replicationFactor: 1 }),
      skip: kafkaInfra.reason ?? rdkafkaMissing,
    },
  ];
}

const enc = new TextEncoder();
export const dec = new TextDecoder();

/** A record whose value is `key:n` and whose header `n` is n. */
export const record = (topic: string, key: string, n: number): ProduceRecord => ({
  topic,
  key,
  value: enc.encode(`${key}:${n}`),
  headers: { n: String(n) },
});

/**
 * Logs, consumers and tails opened by a case, closed after it; topics of unique names; groups
 * and tails collecting what they are handed. Call inside the adapter's describe().
 */
export function contractFixture(adapter: Adapter) {
  const open: Log[] = [];
  const consumers: (LogConsumer | LogTail)[] = [];
  const openLog = () => {
    const log = adapter.open();
    open.push(log);
    return log;
  };
  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.close()));
    await Promise.all(open.splice(0).map((l) => l.close()));
  });

  async function topicWith(log: Log, partitions = 4): Promise<string> {
    const topic = uniqueName('contract');
    await log.ensureTopics([{ name: topic, partitions }]);
    return topic;
  }

  /** A member of `groupId` collecting into `into`; `failFirst` fails its first batch. */
  async function collect(
    log: Log,
    groupId: string,
    topic: string,
    into: LogRecord[],
    options: { failFirst?: boolean; onError?: (e: Error) => void } = {},
  ): Promise<LogConsumer> {
    let failed = false;
    const consumer = await log.consume({
      groupId,
      topics: [topic],
      maxBatch: 50,
      handle: async (records) => {
        if (options.failFirst && !failed) {
          failed = true;
          throw new Error('handler failed on purpose');
        }
        into.push(...records);
      },
      onError: options.onError ?? (() => {}),
    });
    consumers.push(consumer);
    return consumer;
  }

  /** A tail of `topic` collecting into `into`. */
  async function tailInto(log: Log, topic: string, into: LogRecord[]): Promise<LogTail> {
    const tail = await log.tail({
      topics: [topic],
      maxBatch: 50,
      handle: async (records) => {
        into.push(...records);
      },
      onError: () => {},
    });
    consumers.push(tail);
    return tail;
  }

  return { open, consumers, openLog, topicWith, collect, tailInto };
}
