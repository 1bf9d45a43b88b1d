// The services of a run through the whole pipeline, as they are deployed: a fresh Cassandra
// keyspace and a fresh PostgreSQL database (the alert book, migrated here and read by this
// process), the cloud service (processor, alert recorder, API) and the gateway, each in its own
// process on topics under a prefix of the run. Used by the latency and capacity suites.
import { CassandraTelemetryDb, PostgresRecordsDb } from '@fleetline/platform';
import {
  createDatabase,
  dropKeyspace,
  freePort,
  kafkaEnv,
  postgresHostPort,
  reachable,
  startCloud,
  startGateway,
} from '../../support.mjs';

export const KAFKA = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
export const CASSANDRA = (process.env.CASSANDRA_CONTACT_POINTS ?? '127.0.0.1:9042').split(',');
/** A PostgreSQL server and a role that may create databases (as the tests take it). */
export const POSTGRES = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Whether Kafka, Cassandra and PostgreSQL all answer. */
export async function pipelineReachable() {
  const services = [KAFKA[0], CASSANDRA[0], postgresHostPort(POSTGRES)];
  return (await Promise.all(services.map(reachable))).every(Boolean);
}

/**
 * Opens a run: its keyspace, its records database and its services; each is undone by
 * `cleanup` (closers pushed in order, to be run in reverse).
 */
export async function openPipeline(name, stamp, cleanup) {
  const keyspace = `bench_${name}_${stamp}`;
  // The keyspace is created here, before the cloud service opens it.
  const telemetryDb = await CassandraTelemetryDb.open({
    contactPoints: CASSANDRA,
    localDataCenter: 'datacenter1',
    keyspace,
    replicationFactor: 1,
    samplesTtlDays: 30,
  });
  cleanup.push(async () => {
    await telemetryDb.close();
    await dropKeyspace(CASSANDRA, keyspace);
  });
  const database = await createDatabase(POSTGRES, keyspace);
  cleanup.push(() => database.drop());
  const recordsDb = await PostgresRecordsDb.open({ url: database.url, poolSize: 20 });
  cleanup.push(() => recordsDb.close());
  const kafka = kafkaEnv(KAFKA, `bench${stamp}.`, 6);
  const cloudPort = await freePort();
  const cloud = await startCloud('cloud', cloudPort, {
    kafka,
    contactPoints: CASSANDRA,
    keyspace,
    group: `bench-${name}-${stamp}`,
    databaseUrl: database.url,
  });
  cleanup.push(() => cloud.stop());
  const mqttPort = await freePort();
  const gateway = await startGateway(mqttPort, kafka);
  cleanup.push(() => gateway.stop());
  return {
    recordsDb,
    cloud,
    gateway,
    mqttPort,
    metricsUrl: cloud.metricsUrl,
    failed: () => cloud.exited() || gateway.exited(),
  };
}
