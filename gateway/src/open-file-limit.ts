import { readFileSync } from 'node:fs';

/**
 * The process's limit on open files (its soft RLIMIT_NOFILE, which Node raises to the hard
 * limit at start), read from Linux's /proc/self/limits; undefined where that cannot be read.
 * Every MQTT connection holds one file descriptor, and so does every HTTP connection, database
 * and log socket: connection bounds above this limit bound nothing, and a flood on one side
 * leaves the other unable to accept.
 */
export function openFileLimit(
  read: () => string = () => readFileSync('/proc/self/limits', 'utf8'),
): number | undefined {
  let text: string;
  try {
    text = read();
  } catch {
    return undefined;
  }
  const line = text.split('\n').find((l) => l.startsWith('Max open files'));
  const soft = line?.slice('Max open files'.length).trim().split(/\s+/)[0];
  if (soft === undefined || soft === 'unlimited') return undefined;
  const n = Number(soft);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/**
 * Descriptors kept for everything but MQTT connections: the API, the telemetry database, the log,
 * files.
 */
export const RESERVED_FILES = 1024;
