import pg from 'pg';
import { type InfraAvailability, requireInfra, uniqueName } from './infra.js';

/**
 * PostgreSQL for tests: TEST_DATABASE_URL names a server and a database the tests may connect
 * to as a role that can create databases (default: the local server, trust authentication).
 * Each suite makes a database of its own, uniquely named, and drops it after. With
 * REQUIRE_INFRA=1 (CI) an unreachable server fails the suite instead of skipping it.
 */

export const testDatabaseUrl =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The server's address as the URL gives it, for messages (never its password). */
const shown = () => {
  const u = new URL(testDatabaseUrl);
  return `${u.hostname}:${u.port || 5432}`;
};

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    connectionString: testDatabaseUrl,
    connectionTimeoutMillis: 3000,
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Whether the tests' PostgreSQL answers; skips with a reason, or fails under REQUIRE_INFRA=1. */
export async function postgres(): Promise<InfraAvailability> {
  try {
    await withAdmin((c) => c.query('SELECT 1'));
    return { available: true };
  } catch (err) {
    const reason = `PostgreSQL is not reachable at ${shown()} (${(err as Error).message}; set TEST_DATABASE_URL)`;
    if (requireInfra) throw new Error(`REQUIRE_INFRA=1 but ${reason}`);
    return { available: false, reason };
  }
}

export interface TestDatabase {
  /** The new database's URL. */
  readonly url: string;
  readonly name: string;
  /** Drops it, closing whatever connections are still open to it. */
  drop(): Promise<void>;
}

/** A new, empty database on the tests' server, named after `prefix`. */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const name = uniqueName(prefix).toLowerCase();
  // The name is made here of [a-z0-9_]; identifiers cannot be bound as parameters.
  await withAdmin((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(testDatabaseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}
