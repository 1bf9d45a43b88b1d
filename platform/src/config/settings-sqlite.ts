import Type from 'typebox';
import { setting } from './setting.js';

/** The embedded SQLite database's read workers. */
export const sqliteSettings = {
  sqliteReadWorkers: setting(
    'SQLITE_READ_WORKERS',
    Type.Integer({ minimum: 1, maximum: 16 }),
    2,
    'Threads for the SQLite database’s expensive reads (sample ranges, buckets, lists), each with its own read-only connection and, on Linux, a lower CPU priority than ingest.',
    'cloud',
  ),
  sqliteReadQueue: setting(
    'SQLITE_READ_QUEUE',
    Type.Integer({ minimum: 0, maximum: 10_000 }),
    32,
    'Expensive SQLite reads that may wait for a reader thread; more are refused at once (the API answers 503 with Retry-After).',
    'cloud',
  ),
} as const;
