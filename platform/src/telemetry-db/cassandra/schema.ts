import type cassandra from 'cassandra-driver';
import type { MigrationStep } from './io.js';
import { copySampleRows } from './sample-copy.js';

export interface SchemaOptions {
  keyspace: string;
  localDataCenter: string;
  /** The keyspace is replicated this many times in the local data center. */
  replicationFactor: number;
  /** Days samples and events are kept after their time; 0: for good. */
  samplesTtlDays: number;
}

type Migration = (ks: string, o: SchemaOptions) => MigrationStep[];

/** TWCS windows of about a thirtieth of the TTL: their number stays bounded. */
const twcsWindowDays = (o: SchemaOptions) => Math.max(1, Math.ceil(o.samplesTtlDays / 30));

/**
 * A migration whose tables are no longer used: it keeps its version number, so the versions
 * after it and those keyspaces have recorded keep their meaning, and does nothing. Keyspaces
 * that applied it keep its tables and rows; new keyspaces do not get them. Versions 4, 7 and 8
 * made the alert book, which now lives in the business records (records-db).
 */
const retired: Migration = () => [];

/**
 * Versioned migrations, applied in order at open; never edit one that has shipped, only retire
 * it (above). Each part's tables and why they are shaped so are described in its module
 * (samples.ts, events.ts, …).
 */
const migrations: readonly Migration[] = [
  (ks, o) => [
    `CREATE TABLE IF NOT EXISTS ${ks}.samples_by_signal_day (
       device_id text, signal_id int, day int, t timestamp, value double,
       PRIMARY KEY ((device_id, signal_id, day), t))
     WITH CLUSTERING ORDER BY (t ASC)
     AND compaction = {'class': 'TimeWindowCompactionStrategy',
       'compaction_window_unit': 'DAYS', 'compaction_window_size': ${twcsWindowDays(o)}}`,
    `CREATE TABLE IF NOT EXISTS ${ks}.vehicles (device_id text PRIMARY KEY, last_seen timestamp)`,
  ],
  (ks) => [
    `CREATE TABLE IF NOT EXISTS ${ks}.devices (
       device_id text PRIMARY KEY, secret_hash text, created timestamp, revoked timestamp)`,
  ],
  (ks) => [
    `CREATE TABLE IF NOT EXISTS ${ks}.held_commands_by_device (
       device_id text, command_id text, payload blob, expires timestamp, logged timestamp,
       log_offset bigint, acked timestamp,
       PRIMARY KEY ((device_id), command_id))`,
  ],
  (ks) => [
    `CREATE TABLE IF NOT EXISTS ${ks}.actor_snapshots (actor_id text PRIMARY KEY, data text, saved timestamp)`,
  ],
  // 4: the alert book by id and by day (retired).
  retired,
  (ks) => [
    `CREATE TABLE IF NOT EXISTS ${ks}.latest_values (
       device_id text, signal_id int, t timestamp, value double,
       PRIMARY KEY ((device_id), signal_id))
     WITH CLUSTERING ORDER BY (signal_id ASC)`,
    `CREATE TABLE IF NOT EXISTS ${ks}.events_by_device_day (
       device_id text, day int, t timestamp, seq bigint, kind text, detail text,
       PRIMARY KEY ((device_id, day), t, seq))
     WITH CLUSTERING ORDER BY (t DESC, seq DESC)`,
    `CREATE TABLE IF NOT EXISTS ${ks}.device_status (
       device_id text PRIMARY KEY, state text, t timestamp, agent_version text)`,
    `CREATE TABLE IF NOT EXISTS ${ks}.service_plans (
       device_id text PRIMARY KEY, interval_km double, interval_days double, ahead_km double,
       ahead_days double, updated timestamp, updated_by text)`,
    `CREATE TABLE IF NOT EXISTS ${ks}.service_records_by_device (
       device_id text, t timestamp, service_id text, odometer_km double, done_by text, note text,
       PRIMARY KEY ((device_id), t, service_id))
     WITH CLUSTERING ORDER BY (t DESC, service_id ASC)`,
    `CREATE TABLE IF NOT EXISTS ${ks}.service_records_by_id (
       device_id text, service_id text, t timestamp, odometer_km double, done_by text, note text,
       PRIMARY KEY ((device_id), service_id))`,
  ],
  // 7: the alert list by day with its indexes; 8: the days that hold alerts (both retired).
  retired,
  retired,
  // 9: samples as a map per minute of a signal in hour partitions of a vehicle (samples.ts),
  // the rows of version 1's table copied in.
  (ks, o) => [
    `CREATE TABLE IF NOT EXISTS ${ks}.sample_minutes_by_device_hour (
       device_id text, hour int, signal_id int, minute int, samples map<timestamp, double>,
       PRIMARY KEY ((device_id, hour), signal_id, minute))
     WITH CLUSTERING ORDER BY (signal_id ASC, minute ASC)
     AND compaction = {'class': 'TimeWindowCompactionStrategy',
       'compaction_window_unit': 'DAYS', 'compaction_window_size': ${twcsWindowDays(o)}}`,
    (client) => copySampleRows(client, ks),
  ],
];

/** Creates the keyspace if need be and applies the migrations it has not had yet, in order. */
export async function migrate(client: cassandra.Client, options: SchemaOptions): Promise<void> {
  const ks = options.keyspace;
  await client.execute(
    `CREATE KEYSPACE IF NOT EXISTS ${ks} WITH replication = {'class': 'NetworkTopologyStrategy', '${options.localDataCenter}': ${options.replicationFactor}}`,
  );
  await client.execute(
    `CREATE TABLE IF NOT EXISTS ${ks}.schema_migrations (version int PRIMARY KEY, applied_at timestamp)`,
  );
  const rows = await client.execute(`SELECT version FROM ${ks}.schema_migrations`);
  const applied = new Set(rows.rows.map((r) => r.get('version') as number));
  for (const [i, migration] of migrations.entries()) {
    const version = i + 1;
    if (applied.has(version)) continue;
    for (const step of migration(ks, options)) {
      if (typeof step === 'string') await client.execute(step);
      else await step(client);
    }
    await client.execute(
      `INSERT INTO ${ks}.schema_migrations (version, applied_at) VALUES (?, ?)`,
      [version, new Date()],
    );
  }
}
