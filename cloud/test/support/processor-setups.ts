import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CassandraTelemetryDb,
  EmbeddedLog,
  type Log,
  SqliteTelemetryDb,
  type TelemetryDb,
  withTopicPrefix,
} from '@fleetline/platform';
import { afterAll } from 'vitest';
import {
  cassandra,
  cassandraContactPoints,
  kafka,
  kafkaBrokers,
  uniqueName,
} from '../../../test-support/infra.js';
import { kafkaClients } from '../../../test-support/kafka-clients.js';

/** A log and a telemetry database for processors under test. */
export interface ProcessorSetup {
  name: string;
  kind: 'embedded' | 'kafka';
  /** Why it cannot run here (Kafka or Cassandra unreachable), if it cannot. */
  skip: string | undefined;
  /** Opens a fresh pair: topics under a prefix of their own on Kafka, a fresh keyspace. */
  open(): Promise<{ log: Log; telemetryDb: TelemetryDb }>;
}

/**
 * The embedded log with SQLite, and Kafka through each client with Cassandra (topics and
 * keyspace named after `name`, unique per call). Call at the top of a test file: the embedded files go after it.
 */
export async function processorSetups(name: string, partitions: number): Promise<ProcessorSetup[]> {
  const dir = mkdtempSync(join(tmpdir(), `fleetline-${name}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const [kafkaInfra, cassandraInfra] = [await kafka(), await cassandra()];
  return [
    {
      name: 'embedded log + SQLite',
      kind: 'embedded',
      skip: undefined,
      open: async () => ({
        log: new EmbeddedLog({ path: join(dir, 'log.sqlite'), defaultPartitions: partitions }),
        telemetryDb: new SqliteTelemetryDb({ path: join(dir, 'store.sqlite'), samplesTtlDays: 0 }),
      }),
    },
    ...kafkaClients.map((client) => ({
      name: `Kafka (${client.name}) + Cassandra`,
      kind: 'kafka' as const,
      skip: kafkaInfra.reason ?? cassandraInfra.reason ?? client.skip,
      open: async () => ({
        log: withTopicPrefix(
          client.open({ brokers: kafkaBrokers, clientId: `${name}-test`, replicationFactor: 1 }),
          `${uniqueName(name)}.`,
        ),
        telemetryDb: await CassandraTelemetryDb.open({
          contactPoints: cassandraContactPoints,
          localDataCenter: 'datacenter1',
          keyspace: uniqueName(name),
          replicationFactor: 1,
          samplesTtlDays: 0,
        }),
      }),
    })),
  ];
}
