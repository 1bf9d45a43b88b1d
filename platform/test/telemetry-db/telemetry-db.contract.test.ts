import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// The built adapter: its reads run in worker threads, which load the built worker module.
import { SqliteTelemetryDb } from '@fleetline/platform';
import cassandraDriver from 'cassandra-driver';
import { afterAll, describe } from 'vitest';
import { cassandra, cassandraContactPoints, uniqueName } from '../../../test-support/infra.js';
import { CassandraTelemetryDb } from '../../src/telemetry-db/cassandra/cassandra-telemetry-db.js';
import { commandQueueContract } from './contract/commands.js';
import { deviceRegistryContract } from './contract/devices.js';
import { eventTableContract } from './contract/events.js';
import { latestValueTableContract } from './contract/latest.js';
import { sampleTableContract } from './contract/samples.js';
import { serviceTableContract } from './contract/services.js';
import { snapshotTableContract } from './contract/snapshots.js';
import { deviceStatusTableContract } from './contract/status.js';
import type { Adapter } from './contract/support.js';
import { vehicleTableContract } from './contract/vehicles.js';

/** The one contract every TelemetryDb adapter passes: each part's cases (contract/), on both. */

const dir = mkdtempSync(join(tmpdir(), 'fleetline-telemetry-db-'));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (cassandraInfra.available) {
    const client = new cassandraDriver.Client({
      contactPoints: cassandraContactPoints,
      localDataCenter: 'datacenter1',
    });
    await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
    await client.shutdown();
  }
});

const cassandraInfra = await cassandra();
const keyspace = uniqueName('contract').toLowerCase();
const adapters: Adapter[] = [
  {
    name: 'sqlite',
    open: async () => new SqliteTelemetryDb({ path: join(dir, 'store.sqlite'), samplesTtlDays: 0 }),
  },
  {
    name: 'cassandra',
    open: () =>
      CassandraTelemetryDb.open({
        contactPoints: cassandraContactPoints,
        localDataCenter: 'datacenter1',
        keyspace,
        replicationFactor: 1,
        // Kept for good, as on SQLite above: samples live SAMPLES_TTL_DAYS from their own
        // time, and the cases' dates (contract/) would pass out of a TTL as the calendar moves on.
        samplesTtlDays: 0,
      }),
    skip: cassandraInfra.reason,
  },
];

for (const adapter of adapters) {
  describe.skipIf(adapter.skip)(`TelemetryDb contract: ${adapter.name}`, () => {
    sampleTableContract(adapter);
    vehicleTableContract(adapter);
    deviceRegistryContract(adapter);
    snapshotTableContract(adapter);
    latestValueTableContract(adapter);
    eventTableContract(adapter);
    deviceStatusTableContract(adapter);
    serviceTableContract(adapter);
    commandQueueContract(adapter);
  });
}
