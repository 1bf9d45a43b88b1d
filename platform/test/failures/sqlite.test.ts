import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { classifySqliteFailure } from '../../src/failures/sqlite.js';

/** better-sqlite3's failures, made for real on SQLite files. */

const dir = mkdtempSync(join(tmpdir(), 'fleetline-sqlite-failures-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const failure = (op: () => unknown) => {
  try {
    op();
  } catch (err) {
    return classifySqliteFailure(err);
  }
  throw new Error('the operation did not fail');
};

describe('classifySqliteFailure', () => {
  it('should retry a database locked by another connection', () => {
    const path = join(dir, 'locked.sqlite');
    const owner = new Database(path);
    owner.pragma('locking_mode = EXCLUSIVE');
    owner.exec('CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1)');
    const other = new Database(path, { timeout: 0 });
    try {
      const f = failure(() => other.prepare('SELECT * FROM t').all());
      expect(f).toMatchObject({ retryable: true, code: 'SQLITE_BUSY' });
    } finally {
      other.close();
      owner.close();
    }
  });

  it('should not retry a missing table, a broken constraint or a read-only database', () => {
    const db = new Database(join(dir, 'plain.sqlite'));
    db.exec('CREATE TABLE t (a INTEGER NOT NULL)');
    try {
      expect(failure(() => db.exec('INSERT INTO nope VALUES (1)'))).toEqual({
        retryable: false,
        code: 'SQLITE_ERROR',
        reason: 'SQLITE_ERROR: no such table: nope',
      });
      expect(failure(() => db.prepare('INSERT INTO t VALUES (NULL)').run())).toMatchObject({
        retryable: false,
        code: 'SQLITE_CONSTRAINT_NOTNULL',
      });
    } finally {
      db.close();
    }
    const ro = new Database(join(dir, 'plain.sqlite'), { readonly: true });
    try {
      expect(failure(() => ro.exec('INSERT INTO t VALUES (1)'))).toMatchObject({
        retryable: false,
        code: 'SQLITE_READONLY',
      });
    } finally {
      ro.close();
    }
  });

  it('should not retry what is not an SQLite error', () => {
    expect(classifySqliteFailure(new TypeError('bad value'))).toEqual({
      retryable: false,
      reason: 'bad value',
    });
  });
});
