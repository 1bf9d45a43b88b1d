import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../test-support/infra.js';
import {
  createTestDatabase,
  postgres,
  type TestDatabase,
  testDatabaseUrl,
} from '../../../test-support/postgres.js';
import { freePort } from '../../../test-support/process.js';
import { loadConfig } from '../../src/config.js';
import {
  ConfigError,
  RecordsClosedError,
  RecordsRejectedError,
  RecordsUnavailableError,
} from '../../src/errors.js';
import { openRecordsDb } from '../../src/records-db/index.js';
import { PostgresRecordsDb } from '../../src/records-db/postgres/postgres-records-db.js';

/** What only the PostgreSQL adapter has: its URL and its pool, and the failures of both. */

const infra = await postgres();
const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const d of databases.splice(0)) await d.drop();
});
const database = async () => {
  const d = await createTestDatabase('records_pg');
  databases.push(d);
  return d;
};
const withUrl = (url: string, change: (u: URL) => void) => {
  const u = new URL(url);
  change(u);
  return u.toString();
};

describe('DATABASE_URL', () => {
  it('should refuse a URL that is not PostgreSQL’s without showing it', () => {
    let err: unknown;
    try {
      loadConfig({ env: { DATABASE_URL: 'mysql://fleet:s3cret-pw@db:3306/fleet' } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/DATABASE_URL=\(hidden\)/);
    expect((err as Error).message).not.toMatch(/s3cret-pw/);
    const c = loadConfig({
      env: { DATABASE_URL: 'postgresql://fleet@db/fleet?sslmode=verify-full' },
    });
    expect([c.databasePoolSize, c.databaseStatementTimeoutMs]).toEqual([10, 10_000]);
  });
});

describe('PostgresRecordsDb, unreachable', () => {
  it('should fail to open with a retryable RECORDS_UNAVAILABLE naming the server, not the password', async () => {
    const port = await freePort();
    const err = await PostgresRecordsDb.open({
      url: `postgres://fleet:s3cret-pw@127.0.0.1:${port}/fleet`,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RecordsUnavailableError);
    expect(err).toMatchObject({ code: 'RECORDS_UNAVAILABLE', retryable: true });
    expect((err as Error).message).toMatch(
      new RegExp(
        `^cannot open PostgreSQL records at 127\\.0\\.0\\.1:${port}/fleet: .*ECONNREFUSED`,
      ),
    );
    expect((err as Error).message).not.toMatch(/s3cret-pw/);
  });
});

describe.skipIf(infra.reason)('PostgresRecordsDb', () => {
  it('should be opened by openRecordsDb when DATABASE_URL is set, with the pool size given', async () => {
    const d = await database();
    const db = await openRecordsDb(
      loadConfig({ env: { DATABASE_URL: d.url, DATABASE_POOL_SIZE: '1' } }),
    );
    try {
      expect(db.kind).toBe('postgres');
      // One connection: operations wait their turn, an import's transaction included.
      const org = await db.createOrganisation({ name: 'Pooled', kind: 'dealer_group' });
      const results = await Promise.all([
        db.createStore({ orgId: org.id, name: 'a', code: 'A' }),
        db.importVehicles(org.id, []),
        db.createStore({ orgId: org.id, name: 'b', code: 'B' }),
        db.listOrganisations(),
      ]);
      expect(results).toHaveLength(4);
      expect((await db.listStores(org.id)).map((s) => s.code)).toEqual(['A', 'B']);
    } finally {
      await db.close();
    }
  });

  it('should refuse a database that does not exist, for good, saying what to do', async () => {
    const url = withUrl(testDatabaseUrl, (u) => {
      u.pathname = '/fleetline_no_such_database';
    });
    const err = await PostgresRecordsDb.open({ url }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RecordsRejectedError);
    expect(err).toMatchObject({ retryable: false, details: { driverCode: '3D000' } });
    expect((err as Error).message).toMatch(
      /fleetline_no_such_database.*3D000.*create the database, or name an existing one in DATABASE_URL/,
    );
  });

  it('should give up on a statement past the statement timeout, as retryable', async () => {
    const d = await database();
    await (await PostgresRecordsDb.open({ url: d.url })).close();
    const db = await PostgresRecordsDb.open({ url: d.url, statementTimeoutMs: 300 });
    const holder = new pg.Client({ connectionString: d.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE organisations IN ACCESS EXCLUSIVE MODE');
      const started = Date.now();
      const err = await db.listOrganisations().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RecordsUnavailableError);
      expect(err).toMatchObject({ retryable: true, details: { driverCode: '57014' } });
      expect(Date.now() - started).toBeLessThan(5000);
      await holder.query('ROLLBACK');
      expect(await db.listOrganisations()).toEqual([]);
    } finally {
      await holder.end();
      await db.close();
    }
  });

  it('should outlive its idle connections being ended by the server', async () => {
    const d = await database();
    const idleErrors: Error[] = [];
    const db = await PostgresRecordsDb.open({
      url: d.url,
      onIdleError: (err) => idleErrors.push(err),
    });
    try {
      await db.listOrganisations();
      const admin = new pg.Client({ connectionString: testDatabaseUrl });
      await admin.connect();
      try {
        await admin.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1',
          [d.name],
        );
      } finally {
        await admin.end();
      }
      await eventually(() => idleErrors.length > 0, 'the pool to hear of its ended connection');
      const org = await db.createOrganisation({ name: 'Again', kind: 'dealer_group' });
      expect(await db.getOrganisation(org.id)).toEqual(org);
    } finally {
      await db.close();
    }
  });

  it('should refuse operations once closed, with RECORDS_CLOSED', async () => {
    const d = await database();
    const db = await PostgresRecordsDb.open({ url: d.url });
    await db.close();
    await db.close();
    const err = await db.getOrganisation('x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RecordsClosedError);
    const tx = await db.importVehicles('x', []).catch((e: unknown) => e);
    expect(tx).toBeInstanceOf(RecordsClosedError);
  });
});
