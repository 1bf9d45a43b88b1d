import { join } from 'node:path';
import type { Config } from '../config.js';
import { dataDirFiles } from '../data-dir.js';
import { cassandraSecurity } from '../links.js';
import { CassandraStore } from './cassandra.js';
import type { Store } from './port.js';
import { SqliteStore } from './sqlite.js';

/** Cassandra when contact points are configured, else SQLite in the data folder. */
export async function openStore(config: Config): Promise<Store> {
  if (config.cassandraContactPoints.length > 0) {
    return CassandraStore.open({
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
  return new SqliteStore({
    path: join(config.dataDir, dataDirFiles.store),
    samplesTtlDays: config.samplesTtlDays,
    readWorkers: config.sqliteReadWorkers,
    readQueue: config.sqliteReadQueue,
  });
}
