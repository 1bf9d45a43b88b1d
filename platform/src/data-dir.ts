import type { Logger } from 'pino';
import { securePrivateDir, securePrivateFiles } from './private-files.js';

/**
 * What Fleetline keeps in FLEETLINE_DATA_DIR, named in one place so that a data directory
 * can be told to be Fleetline's own (see securePrivateDir).
 */
export const dataDirFiles = {
  /** The embedded log (SQLite). */
  log: 'log.sqlite',
  /** The telemetry database on SQLite (named before the port was; existing folders keep it). */
  telemetryDb: 'store.sqlite',
  /** The business records on SQLite (when DATABASE_URL names no PostgreSQL). */
  recordsDb: 'records.sqlite',
  /** `npm start`'s simulated vehicles' secrets. */
  simulatorCredentials: 'simulator-credentials.json',
} as const;

const sqliteFiles = new Set<string>([
  dataDirFiles.log,
  dataDirFiles.telemetryDb,
  dataDirFiles.recordsDb,
]);

/**
 * Where a file of the data directory is written before it is renamed over the file, so it is
 * replaced whole or not at all (one a stop interrupted may be left behind).
 */
export const privateFileTemporary = (path: string) => `${path}.new`;

/** A name Fleetline writes in the data directory (SQLite's side files included). */
export function isDataDirFile(name: string): boolean {
  if (name === dataDirFiles.simulatorCredentials) return true;
  if (name === privateFileTemporary(dataDirFiles.simulatorCredentials)) return true;
  const base = name.replace(/-(journal|wal|shm)$/, '');
  return sqliteFiles.has(base);
}

/**
 * Makes Fleetline's files in the data directory owner-only, and the directory too when it is
 * Fleetline's (see securePrivateDir), and says so; warns, naming the directory and the fix,
 * when it is readable by others and also holds other things. A missing one is made
 * owner-only by whatever creates it.
 */
export function secureDataDir(dataDir: string, logger: Logger): void {
  const files = securePrivateFiles(dataDir, isDataDirFile);
  if (files.length > 0) {
    logger.info({ dataDir, files }, `made ${files.join(', ')} in ${dataDir} owner-only (0600)`);
  }
  const result = securePrivateDir(dataDir, isDataDirFile);
  const octal = (mode: number) => `0${mode.toString(8)}`;
  if (result.state === 'tightened') {
    logger.info(
      { dataDir, was: octal(result.was) },
      `data directory ${dataDir} made owner-only (was ${octal(result.was)})`,
    );
  } else if (result.state === 'shared') {
    logger.warn(
      { dataDir, mode: octal(result.mode) },
      `data directory ${dataDir} is readable by others (mode ${octal(result.mode)}) and left so because ${result.reason}; Fleetline's files in it are owner-only — run \`chmod 700 ${dataDir}\` or set FLEETLINE_DATA_DIR to a directory of its own`,
    );
  }
}
