import { join } from 'node:path';
import type { Config } from '../config.js';
import { dataDirFiles } from '../data-dir.js';
import { cassandraSecurity } from '../links.js';
import { CassandraTelemetryDb } from './cassandra/cassandra-telemetry-db.js';
import type { TelemetryDb } from './port/index.js';
import { SqliteTelemetryDb } from './sqlite/sqlite-telemetry-db.js';

/** Cassandra when contact points are configured, else SQLite in the data folder. */
export async function openTelemetryDb(config: Config): Promise<TelemetryDb> {
  if (config.cassandraContactPoints.length > 0) {
    return CassandraTelemetryDb.open({
      contactPoints: config.cassandraContactPoints,
      localDataCenter: config.cassandraLocalDc,
      keyspace: config.cassandraKeyspace,
      replicationFactor: config.cassandraReplication,
      samplesTtlDays: config.samplesTtlDays,
      // Reads walk no day later than the latest device time the gateway lets in.
      maxAheadMs: config.deviceClockMaxAheadSeconds * 1000,
      ...cassandraSecurity(config),
    });
  }
  return new SqliteTelemetryDb({
    path: join(config.dataDir, dataDirFiles.telemetryDb),
    samplesTtlDays: config.samplesTtlDays,
    readWorkers: config.sqliteReadWorkers,
    readQueue: config.sqliteReadQueue,
  });
}
