import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { RecordsClosedError } from '../../src/errors.js';
import { openRecordsDb } from '../../src/records-db/index.js';
import { SqliteRecordsDb } from '../../src/records-db/sqlite/sqlite-records-db.js';

/** What only the SQLite adapter has: its file in the data folder, owner-only, and its pragmas. */

const dir = mkdtempSync(join(tmpdir(), 'fleetline-records-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const mode = (path: string) => statSync(path).mode & 0o777;

describe('SqliteRecordsDb', () => {
  it('should be opened in the data folder without DATABASE_URL, owner-only, in WAL mode', async () => {
    const dataDir = join(dir, 'data');
    const umask = process.umask(0); // the loosest a process can have: nothing masked
    try {
      const db = await openRecordsDb(loadConfig({ env: { FLEETLINE_DATA_DIR: dataDir } }));
      try {
        expect(db.kind).toBe('sqlite');
        await db.createOrganisation({ name: 'Files', kind: 'dealer_group' });
      } finally {
        await db.close();
      }
    } finally {
      process.umask(umask);
    }
    expect(mode(dataDir)).toBe(0o700);
    for (const f of readdirSync(dataDir)) expect([f, mode(join(dataDir, f))]).toEqual([f, 0o600]);
    const file = new Database(join(dataDir, 'records.sqlite'), { readonly: true });
    try {
      expect(file.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      file.close();
    }
  });

  it('should enforce foreign keys, which SQLite leaves off unless a connection asks', async () => {
    const db = new SqliteRecordsDb({ path: join(dir, 'fk.sqlite') });
    try {
      await expect(db.createGroup({ orgId: 'no-such-org', name: 'x' })).rejects.toMatchObject({
        code: 'RECORDS_REJECTED',
      });
    } finally {
      await db.close();
    }
  });

  it('should give a change mark that another process’s write moves (the API reuses reads by it)', async () => {
    const path = join(dir, 'mark.sqlite');
    const db = new SqliteRecordsDb({ path });
    try {
      const org = await db.createOrganisation({ name: 'Marked', kind: 'dealer_group' });
      const before = db.changeMark();
      expect(before).toEqual(expect.any(String));
      // Another process, as the admin CLI is: a plain connection of its own to the file.
      const cli = new Database(path);
      try {
        cli.prepare('UPDATE organisations SET disabled = 1 WHERE id = ?').run(org.id);
      } finally {
        cli.close();
      }
      await delay(2); // the bound the port gives for another connection's writes
      expect(db.changeMark()).not.toBe(before);
    } finally {
      await db.close();
    }
  });

  it('should refuse operations once closed, with RECORDS_CLOSED', async () => {
    const db = new SqliteRecordsDb({ path: join(dir, 'closed.sqlite') });
    await db.close();
    await db.close();
    const err = await db.listOrganisations().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RecordsClosedError);
    expect(err).toMatchObject({ code: 'RECORDS_CLOSED', retryable: false });
  });

  it('should fail to open a file that is not a database, for good, naming it', () => {
    const path = join(dir, 'not-a-db');
    writeFileSync(path, 'this is not SQLite '.repeat(100));
    let err: unknown;
    try {
      new SqliteRecordsDb({ path });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'RECORDS_REJECTED', retryable: false });
    expect((err as Error).message).toMatch(/^cannot open SQLite records .*not-a-db: SQLITE_NOTADB/);
  });
});
