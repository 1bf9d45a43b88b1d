import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, uniqueName } from '../../../test-support/infra.js';
import { PrivateKafka } from '../../../test-support/infra-instance.js';
import { brokerAvailability } from '../../../test-support/kafka-broker.js';
import { rdkafkaMissing } from '../../../test-support/kafka-clients.js';
import { connectionOptions } from '../../src/log/kafka/connection.js';
import { openKafkaProducer } from '../../src/log/kafka/producer.js';
import { KafkaLog, type KafkaLogOptions } from '../../src/log/kafka.js';
import { kafkaJs } from '../../src/log/kafkajs/client.js';
import { openKafkaJsProducer } from '../../src/log/kafkajs/producer.js';
import type { LogProducer, LogRecord, ProduceRecord } from '../../src/log/port.js';
import { baseConfig, rdKafka } from '../../src/log/rdkafka/client.js';
import { openRdKafkaProducer } from '../../src/log/rdkafka/producer.js';

/**
 * A send whose outcome is unknown: the broker freezes with the request in hand, the client
 * gives up, and the broker then writes it. An idempotent producer that reused the given-up
 * batch's sequence numbers would have its next batch of the same length taken for a retry of
 * it — acknowledged, never written. Every record acknowledged afterwards must be in Kafka.
 *
 * Each client's producer is built here to give up after 3 s (30 s or more by default) while
 * the broker is frozen; a broker of the test's own is frozen.
 */

const GIVE_UP_MS = 3_000;

/** Each client's producer, as its Log opens it but for how long it waits for the broker. */
const clients: { name: string; open(o: KafkaLogOptions): Promise<LogProducer>; skip?: string }[] = [
  {
    name: 'platformatic',
    open: async (o) =>
      openKafkaProducer({ ...connectionOptions(o), requestTimeout: GIVE_UP_MS }).producer,
  },
  {
    name: 'kafkajs',
    open: async (o) => {
      const { Kafka, logLevel } = kafkaJs();
      const kafka = new Kafka({
        clientId: o.clientId,
        brokers: [...o.brokers],
        logLevel: logLevel.NOTHING,
        requestTimeout: GIVE_UP_MS,
        retry: { retries: 1, initialRetryTime: 100 },
      });
      return (await openKafkaJsProducer(kafka)).producer;
    },
  },
  {
    name: 'node-rdkafka',
    open: async (o) => (await openRdKafkaProducer(rdKafka(), baseConfig(o), GIVE_UP_MS)).producer,
    ...(rdkafkaMissing ? { skip: rdkafkaMissing } : {}),
  },
];

const own = brokerAvailability();
let kafka: PrivateKafka | undefined;

beforeAll(async () => {
  if (!own.available) return;
  kafka = await PrivateKafka.create();
  await kafka.up();
}, 300_000);
afterAll(() => kafka?.dispose(), 120_000);

const text = new TextEncoder();
const record = (topic: string, n: number): ProduceRecord => ({
  topic,
  key: 'one-key',
  value: text.encode(String(n)),
});

/**
 * Sends until the producer acknowledges, as a device resends what was not acknowledged: on a
 * busy machine a 3-s request may time out, the broker just thawed or not.
 */
async function sendUntilAcknowledged(producer: LogProducer, records: ProduceRecord[]) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      return await producer.send(records);
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 200)); // a device's resend interval
    }
  }
}

describe.skipIf(own.reason).each(clients)(
  'Kafka producer after a send of unknown outcome ($name)',
  (client) => {
    it.skipIf(client.skip)(
      'should write every record it acknowledges after a send it gave up on while the broker held it',
      async () => {
        const broker = kafka as PrivateKafka;
        const options: KafkaLogOptions = {
          brokers: [broker.broker],
          clientId: 'unknown-outcome',
          replicationFactor: 1,
        };
        const log = new KafkaLog(options);
        const topic = uniqueName('unknown-outcome');
        const producer = await client.open(options);
        try {
          await log.ensureTopics([{ name: topic, partitions: 1 }]);
          await sendUntilAcknowledged(producer, [record(topic, 0)]);
          const givenUp = producer.send([record(topic, 1), record(topic, 2)]);
          broker.freeze();
          let failure: unknown;
          try {
            await givenUp;
          } catch (err) {
            failure = err;
          } finally {
            broker.thaw();
          }
          expect(failure, 'the send given up on while the broker was frozen').toBeInstanceOf(Error);
          // As many records as the batch given up on: the length a reused sequence would match.
          await sendUntilAcknowledged(producer, [record(topic, 10), record(topic, 20)]);
          await sendUntilAcknowledged(producer, [
            record(topic, 11),
            record(topic, 21),
            record(topic, 31),
          ]);

          const seen = new Set<number>();
          const consumer = await log.consume({
            groupId: uniqueName('check'),
            topics: [topic],
            handle: async (records: readonly LogRecord[]) => {
              for (const r of records) seen.add(Number(new TextDecoder().decode(r.value)));
            },
          });
          try {
            const acknowledged = [0, 10, 20, 11, 21, 31];
            await eventually(
              () => acknowledged.every((n) => seen.has(n)),
              () =>
                `every acknowledged record in Kafka (missing ${acknowledged.filter((n) => !seen.has(n))}; read ${[...seen]})`,
              20_000,
            );
          } finally {
            await consumer.close();
          }
        } finally {
          await producer.close().catch(() => {});
          await log.close();
        }
      },
      120_000,
    );
  },
);
