import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig, openRecordsDb, type RecordsDb } from '@fleetline/platform';
import { createTestDatabase, postgres, type TestDatabase } from '../../../test-support/postgres.js';
import { adminCli } from '../../src/admin/run.js';

/**
 * The administration commands as an operator runs them (argument parsing, configuration from
 * the environment, the records database of that configuration), in this process.
 */
export class AdminCliHarness {
  readonly dir = mkdtempSync(join(tmpdir(), 'fleetline-admin-'));
  private readonly env: Record<string, string>;

  /** SQLite in a data folder of its own; PostgreSQL at `databaseUrl` when given. */
  constructor(databaseUrl?: string) {
    this.env = {
      FLEETLINE_DATA_DIR: this.dir,
      LOG_LEVEL: 'silent',
      ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }),
    };
  }

  async run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const sink = (into: string[]) =>
      new Writable({
        write(chunk, _encoding, done) {
          into.push(String(chunk));
          done();
        },
      });
    const code = await adminCli(argv, { stdout: sink(out), stderr: sink(err) }, this.env);
    return { code, out: out.join(''), err: err.join('') };
  }

  /** Runs with --json and expects success; the parsed output. */
  async json<T = Record<string, unknown>>(...argv: string[]): Promise<T> {
    const r = await this.run(...argv, '--json');
    if (r.code !== 0) throw new Error(`fleetline ${argv.join(' ')} exited ${r.code}: ${r.err}`);
    return JSON.parse(r.out) as T;
  }

  /** The records as the commands left them, opened only for `fn`. */
  async withDb<T>(fn: (db: RecordsDb) => Promise<T>): Promise<T> {
    const db = await openRecordsDb(loadConfig({ env: this.env }));
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Where the commands' records live in a suite: SQLite, and PostgreSQL when it answers. */
export interface CliBackend {
  readonly name: string;
  /** A database of the suite's own (PostgreSQL), or undefined for SQLite in the data folder. */
  database(): Promise<TestDatabase | undefined>;
  readonly skip?: string | undefined;
}

/** Both backends; the PostgreSQL database of each suite is named after `prefix`. */
export async function cliBackends(prefix: string): Promise<CliBackend[]> {
  const pgInfra = await postgres();
  return [
    { name: 'SQLite', database: async () => undefined },
    { name: 'PostgreSQL', database: () => createTestDatabase(prefix), skip: pgInfra.reason },
  ];
}

/**
 * An organisation with stores `north` and `south`, and another organisation with one store
 * (`otherStoreCode`): what the suites check cross-organisation refusals against.
 */
export async function twoOrganisations(
  cli: AdminCliHarness,
  first: { name: string; kind: string },
  otherStoreCode: string,
): Promise<{ orgId: string; otherOrgId: string }> {
  const orgId = (await cli.json('orgs', 'add', '--name', first.name, '--kind', first.kind))
    .id as string;
  const otherOrgId = (await cli.json('orgs', 'add', '--name', 'Other', '--kind', 'dealer_group'))
    .id as string;
  for (const code of ['north', 'south'])
    await cli.json('stores', 'add', '--org', orgId, '--name', code, '--code', code);
  await cli.json('stores', 'add', '--org', otherOrgId, '--name', 'x', '--code', otherStoreCode);
  return { orgId, otherOrgId };
}
