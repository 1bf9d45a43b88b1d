import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isDataDirFile } from '../src/data-dir.js';
import {
  ensurePrivateDatabase,
  ensurePrivateDir,
  securePrivateDir,
  securePrivateFiles,
} from '../src/private-files.js';

/** Owner-only folders and files, and when an existing folder is made so. */

const root = mkdtempSync(join(tmpdir(), 'fleetline-private-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const mode = (path: string) => statSync(path).mode & 0o7777;
let n = 0;
const folder = (m: number, files: Record<string, number> = {}) => {
  const dir = join(root, `d${++n}`);
  mkdirSync(dir);
  chmodSync(dir, m);
  for (const [name, fm] of Object.entries(files)) {
    writeFileSync(join(dir, name), 'x');
    chmodSync(join(dir, name), fm);
  }
  return dir;
};

describe('private files', () => {
  it('should create folders and database files owner-only whatever the umask', () => {
    const umask = process.umask(0);
    try {
      const dir = join(root, 'new', 'data');
      ensurePrivateDir(dir);
      expect(mode(dir)).toBe(0o700);
      ensurePrivateDatabase(join(dir, 'store.sqlite'));
      expect(mode(join(dir, 'store.sqlite'))).toBe(0o600);
      // An existing folder is not changed by ensurePrivateDir.
      const loose = folder(0o755);
      ensurePrivateDir(loose);
      expect(mode(loose)).toBe(0o755);
    } finally {
      process.umask(umask);
    }
  });

  it('should make a database file and the side files SQLite left beside it owner-only', () => {
    const dir = folder(0o700, { 'x.sqlite': 0o644, 'x.sqlite-wal': 0o664, 'x.sqlite-shm': 0o666 });
    ensurePrivateDatabase(join(dir, 'x.sqlite'));
    for (const f of ['x.sqlite', 'x.sqlite-wal', 'x.sqlite-shm']) {
      expect(mode(join(dir, f)), f).toBe(0o600);
    }
  });

  it('should tighten only Fleetline’s files, and not follow links', () => {
    const dir = folder(0o755, {
      'store.sqlite': 0o644,
      'log.sqlite-wal': 0o640,
      'simulator-credentials.json': 0o600,
      'notes.txt': 0o644,
    });
    const elsewhere = join(folder(0o700, { 'target.sqlite': 0o644 }), 'target.sqlite');
    symlinkSync(elsewhere, join(dir, 'log.sqlite'));
    expect(securePrivateFiles(dir, isDataDirFile).sort()).toEqual([
      'log.sqlite-wal',
      'store.sqlite',
    ]);
    expect(mode(join(dir, 'notes.txt'))).toBe(0o644);
    expect(mode(elsewhere)).toBe(0o644);
    expect(securePrivateFiles(join(root, 'none'), isDataDirFile)).toEqual([]);
  });

  it('should make a folder owner-only when it holds nothing but Fleetline’s files', () => {
    expect(securePrivateDir(join(root, 'missing'), isDataDirFile)).toEqual({ state: 'missing' });
    expect(securePrivateDir(folder(0o700), isDataDirFile)).toEqual({ state: 'private' });
    const empty = folder(0o755);
    expect(securePrivateDir(empty, isDataDirFile)).toEqual({ state: 'tightened', was: 0o755 });
    expect(mode(empty)).toBe(0o700);
    const older = folder(0o775, {
      'log.sqlite': 0o600,
      'store.sqlite-shm': 0o600,
      'simulator-credentials.json': 0o600,
    });
    expect(securePrivateDir(older, isDataDirFile)).toEqual({ state: 'tightened', was: 0o775 });
    expect(mode(older)).toBe(0o700);
  });

  it('should leave a folder that holds other things, or is sticky, and say why', () => {
    const shared = folder(0o755, { 'store.sqlite': 0o600, '.bashrc': 0o644 });
    expect(securePrivateDir(shared, isDataDirFile)).toEqual({
      state: 'shared',
      mode: 0o755,
      reason: 'it also holds .bashrc',
    });
    expect(mode(shared)).toBe(0o755);
    const tmp = folder(0o1777);
    expect(securePrivateDir(tmp, isDataDirFile)).toMatchObject({ state: 'shared', mode: 0o1777 });
    expect(mode(tmp)).toBe(0o1777);
  });

  it('should know Fleetline’s file names', () => {
    for (const name of [
      'store.sqlite',
      'store.sqlite-wal',
      'log.sqlite-shm',
      'log.sqlite-journal',
      'records.sqlite',
      'records.sqlite-wal',
      'simulator-credentials.json',
    ]) {
      expect(isDataDirFile(name), name).toBe(true);
    }
    for (const name of ['store.sqlite-foo', 'other.sqlite', 'notes.txt', 'store.sqlite.bak']) {
      expect(isDataDirFile(name), name).toBe(false);
    }
  });
});
