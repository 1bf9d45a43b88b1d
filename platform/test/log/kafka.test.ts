import { Admin } from '@platformatic/kafka';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, kafka, kafkaBrokers, uniqueName } from '../../../test-support/infra.js';
import { freePort } from '../../../test-support/process.js';
import { LogUnavailableError } from '../../src/errors.js';
import { KafkaLog } from '../../src/log/kafka.js';
import type { LogRecord } from '../../src/log/port.js';

/** What only the Kafka adapter has: many clients of one cluster, and its failures. */

const infra = await kafka();
const created: string[] = [];
afterAll(async () => {
  if (!infra.available || created.length === 0) return;
  const admin = new Admin({ clientId: 'kafka-test-cleanup', bootstrapBrokers: kafkaBrokers });
  await admin.deleteTopics({ topics: created }).catch(() => {});
  await admin.close();
});

describe.skipIf(infra.reason)('Kafka log', () => {
  it('should create a topic that several processes ensure at the same time', async () => {
    // Gateways and processors starting together on a fresh cluster each create the topics;
    // all but one get TOPIC_ALREADY_EXISTS from the broker, which is what they wanted.
    const topic = uniqueName('ensure-race');
    created.push(topic);
    const logs = Array.from(
      { length: 4 },
      (_, i) =>
        new KafkaLog({ brokers: kafkaBrokers, clientId: `race-${i}`, replicationFactor: 1 }),
    );
    try {
      const results = await Promise.allSettled(
        logs.map((log) => log.ensureTopics([{ name: topic, partitions: 2 }])),
      );
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    } finally {
      await Promise.all(logs.map((l) => l.close()));
    }
  });
});

describe.skipIf(infra.reason)('Kafka log tail', () => {
  it('should leave no consumer group on the cluster', async () => {
    const topic = uniqueName('tail-no-group');
    created.push(topic);
    const clientId = uniqueName('tail-client');
    const log = new KafkaLog({ brokers: kafkaBrokers, clientId, replicationFactor: 1 });
    const admin = new Admin({ clientId: 'kafka-test-groups', bootstrapBrokers: kafkaBrokers });
    try {
      await log.ensureTopics([{ name: topic, partitions: 2 }]);
      const got: LogRecord[] = [];
      const tail = await log.tail({
        topics: [topic],
        handle: async (records) => {
          got.push(...records);
        },
      });
      const producer = await log.createProducer();
      await producer.send([{ topic, key: 'veh-1', value: new Uint8Array([1]) }]);
      await eventually(() => got.length === 1, 'the record at the tail');
      await producer.close();
      await tail.close();
      // The client the tail fetched with was named after the log's client id; no group is.
      const groups = [...(await admin.listGroups()).keys()];
      expect(groups.filter((g) => g.startsWith(clientId))).toEqual([]);
    } finally {
      await admin.close();
      await log.close();
    }
  });

  it('should refuse to tail a topic that does not exist, naming it', async () => {
    const log = new KafkaLog({
      brokers: kafkaBrokers,
      clientId: 'tail-test',
      replicationFactor: 1,
    });
    try {
      const missing = uniqueName('no-such-topic');
      const err = await log.tail({ topics: [missing], handle: async () => {} }).catch((e) => e);
      expect(err).toMatchObject({ code: 'LOG_REJECTED' });
      expect((err as Error).message).toContain(`cannot tail Kafka topics ${missing}`);
    } finally {
      await log.close();
    }
  });
});

describe('Kafka log, unreachable', () => {
  it('should fail with a retryable LOG_UNAVAILABLE naming why', async () => {
    const log = new KafkaLog({
      brokers: [`127.0.0.1:${await freePort()}`],
      clientId: 'unreachable-test',
      replicationFactor: 1,
    });
    try {
      const err = await log.ensureTopics([{ name: 'never', partitions: 1 }]).catch((e) => e);
      expect(err).toBeInstanceOf(LogUnavailableError);
      expect(err).toMatchObject({ code: 'LOG_UNAVAILABLE', retryable: true });
      expect((err as Error).message).toMatch(/^cannot create Kafka topics: connect ECONNREFUSED/);
    } finally {
      await log.close();
    }
  }, 60_000);
});
