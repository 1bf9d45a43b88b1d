import {
  chmodSync,
  closeSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';

/**
 * Local state is its owner's only. The data directory holds the device registry (secret
 * hashes), the simulated fleet's secrets, every vehicle's telemetry and the log of what
 * devices sent: folders Fleetline makes are 0700 and files 0600, whatever the umask.
 */

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Files SQLite keeps beside a database (rollback journal, write-ahead log, its index). */
const SQLITE_SIDE_FILES = ['-journal', '-wal', '-shm'] as const;

/**
 * Creates a folder (and missing parents) owner-only. A folder that exists is left as it is:
 * whether to change it is securePrivateDir's decision.
 */
export function ensurePrivateDir(dir: string): void {
  // The mode is masked by the umask, which can only take bits away from 0700.
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/** Creates a file owner-only when missing, and takes group and other access from one that exists. */
export function ensurePrivateFile(path: string): void {
  closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
  tighten(path, PRIVATE_FILE_MODE);
}

/**
 * A SQLite database file owner-only before SQLite opens it: SQLite gives the -wal, -shm and
 * -journal files it creates the database file's permissions (os_unix.c, findCreateFileMode
 * and unixOpenSharedMemory), so they are born 0600 too; ones left by an older version are
 * tightened here.
 */
export function ensurePrivateDatabase(path: string): void {
  ensurePrivateFile(path);
  for (const suffix of SQLITE_SIDE_FILES) tighten(`${path}${suffix}`, PRIVATE_FILE_MODE);
}

export type PrivateDirState =
  | { readonly state: 'missing' | 'private' }
  | { readonly state: 'tightened'; readonly was: number }
  | {
      readonly state: 'shared';
      readonly mode: number;
      /** Why the mode was left: entries that are not Fleetline's, or the chmod failure. */
      readonly reason: string;
    };

/**
 * Makes an existing data directory owner-only when it is Fleetline's: when it holds nothing
 * but files Fleetline writes (`isOwn`), as every data directory an older version made does.
 * A directory that also holds other things (a home directory, a volume others use) keeps
 * its mode — changing it could break what else lives there, and Fleetline's files in it
 * are 0600 anyway — and is reported, so the operator can decide. A sticky directory (/tmp)
 * is shared by definition.
 */
export function securePrivateDir(dir: string, isOwn: (name: string) => boolean): PrivateDirState {
  let mode: number;
  try {
    const st = statSync(dir);
    if (!st.isDirectory())
      return { state: 'shared', mode: st.mode & 0o7777, reason: 'not a directory' };
    mode = st.mode & 0o7777;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
    throw err;
  }
  if ((mode & 0o077) === 0) return { state: 'private' };
  if (mode & 0o1000) return { state: 'shared', mode, reason: 'a sticky (shared) directory' };
  const others = readdirSync(dir).filter((name) => !isOwn(name));
  if (others.length > 0) {
    const shown = others.slice(0, 5).join(', ') + (others.length > 5 ? ', …' : '');
    return { state: 'shared', mode, reason: `it also holds ${shown}` };
  }
  try {
    chmodSync(dir, PRIVATE_DIR_MODE);
  } catch (err) {
    return { state: 'shared', mode, reason: `chmod failed: ${(err as Error).message}` };
  }
  return { state: 'tightened', was: mode };
}

/**
 * Makes the files of a directory that are Fleetline's (`isOwn`) owner-only, whatever the
 * directory is; answers the names of those it changed.
 */
export function securePrivateFiles(dir: string, isOwn: (name: string) => boolean): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter(isOwn);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names.filter((name) => tighten(join(dir, name), PRIVATE_FILE_MODE));
}

/**
 * Removes group and other access from a file that exists (a missing one is left missing);
 * true when it changed the mode. Symbolic links are left alone: chmod would change their target.
 */
function tighten(path: string, mode: number): boolean {
  let st: ReturnType<typeof lstatSync>;
  try {
    st = lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  if (!st.isFile() || (st.mode & 0o077) === 0) return false;
  chmodSync(path, mode);
  return true;
}
