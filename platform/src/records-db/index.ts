import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { dataDirFiles } from '../data-dir.js';
import type { RecordsDb } from './port/index.js';
import { PostgresRecordsDb } from './postgres/postgres-records-db.js';
import { SqliteRecordsDb } from './sqlite/sqlite-records-db.js';

/**
 * PostgreSQL when DATABASE_URL is set, else SQLite in the data folder; either way migrated to
 * this version's schema before it is returned.
 */
export async function openRecordsDb(config: Config, logger?: Logger): Promise<RecordsDb> {
  if (config.databaseUrl !== '') {
    const db = await PostgresRecordsDb.open({
      url: config.databaseUrl,
      poolSize: config.databasePoolSize,
      statementTimeoutMs: config.databaseStatementTimeoutMs,
      connectTimeoutMs: config.databaseStatementTimeoutMs,
      onIdleError: (err) =>
        logger?.warn({ err }, `an idle connection to the records database failed: ${err.message}`),
    });
    logger?.info(`business records in ${db.where}`);
    return db;
  }
  return new SqliteRecordsDb({ path: join(config.dataDir, dataDirFiles.recordsDb) });
}
