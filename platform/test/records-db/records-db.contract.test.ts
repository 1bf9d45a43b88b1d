import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe } from 'vitest';
import { eventually } from '../../../test-support/infra.js';
import { createTestDatabase, postgres, type TestDatabase } from '../../../test-support/postgres.js';
import { PostgresRecordsDb } from '../../src/records-db/postgres/postgres-records-db.js';
import { SqliteRecordsDb } from '../../src/records-db/sqlite/sqlite-records-db.js';
import { accessBookContract } from './contract/access.js';
import { alertScopeContract } from './contract/alert-scope.js';
import { alertTableContract } from './contract/alerts.js';
import { auditLogContract } from './contract/audit.js';
import { changeMarkContract } from './contract/change-mark.js';
import { hostileInputContract } from './contract/hostile.js';
import { vehicleImportContract } from './contract/import.js';
import { organisationBookContract } from './contract/organisations.js';
import { schemaContract } from './contract/schema.js';
import { vehicleScopeContract } from './contract/scope.js';
import type { Adapter, FreshDatabase } from './contract/support.js';
import { userBookContract } from './contract/users.js';
import { vehicleBookContract } from './contract/vehicles.js';

/** The one contract every RecordsDb adapter passes: each part's cases (contract/), on both. */

const dir = mkdtempSync(join(tmpdir(), 'fleetline-records-db-'));
const databases: TestDatabase[] = [];
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  for (const d of databases.splice(0)) await d.drop();
});

let files = 0;
/** Opens `count` adapters in threads of their own, all let go at once. */
async function openSqliteAtOnce(path: string, count: number): Promise<void> {
  const go = new Int32Array(new SharedArrayBuffer(4));
  const workers = Array.from(
    { length: count },
    () =>
      new Worker(new URL('./sqlite-opener.mjs', import.meta.url), {
        workerData: { path, go: go.buffer },
      }),
  );
  let ready = 0;
  const opened = workers.map(
    (w) =>
      new Promise<void>((resolve, reject) => {
        w.on('message', (m) => (m === 'ready' ? ready++ : resolve()));
        w.once('error', reject);
      }),
  );
  try {
    await eventually(() => ready === count, 'the opening threads');
    Atomics.store(go, 0, 1);
    Atomics.notify(go, 0);
    await Promise.all(opened);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

function freshSqlite(): FreshDatabase {
  const path = join(dir, `fresh-${++files}.sqlite`);
  return {
    open: async () => new SqliteRecordsDb({ path }),
    openAtOnce: (count) => openSqliteAtOnce(path, count),
    query: async (sql) => {
      const db = new Database(path);
      try {
        const s = db.prepare(sql);
        if (s.reader) return s.all() as Record<string, unknown>[];
        s.run();
        return [];
      } finally {
        db.close();
      }
    },
  };
}

const pgInfra = await postgres();
const shared = pgInfra.available ? await createTestDatabase('records_contract') : undefined;
if (shared) databases.push(shared);

async function freshPostgres(): Promise<FreshDatabase> {
  const db = await createTestDatabase('records_fresh');
  databases.push(db);
  const open = () => PostgresRecordsDb.open({ url: db.url, poolSize: 2 });
  return {
    open,
    openAtOnce: async (count) => {
      const opened = await Promise.all(Array.from({ length: count }, open));
      await Promise.all(opened.map((d) => d.close()));
    },
    query: async (sql) => {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        return (await client.query(sql)).rows;
      } finally {
        await client.end();
      }
    },
  };
}

const adapters: Adapter[] = [
  {
    name: 'sqlite',
    open: async () => new SqliteRecordsDb({ path: join(dir, 'records.sqlite') }),
    fresh: async () => freshSqlite(),
  },
  {
    name: 'postgres',
    open: () => PostgresRecordsDb.open({ url: shared!.url, poolSize: 4 }),
    fresh: freshPostgres,
    skip: pgInfra.reason,
  },
];

for (const adapter of adapters) {
  describe.skipIf(adapter.skip)(`RecordsDb contract: ${adapter.name}`, () => {
    organisationBookContract(adapter);
    userBookContract(adapter);
    vehicleBookContract(adapter);
    vehicleScopeContract(adapter);
    vehicleImportContract(adapter);
    accessBookContract(adapter);
    alertTableContract(adapter);
    alertScopeContract(adapter);
    auditLogContract(adapter);
    changeMarkContract(adapter);
    hostileInputContract(adapter);
    schemaContract(adapter);
  });
}
