import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig, openRecordsDb, type RecordsDb } from '@fleetline/platform';
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
