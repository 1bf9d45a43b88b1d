import { SqlRecordsDb } from '../sql/sql-records-db.js';
import { recordsErrorOfPostgres } from './failures.js';
import { migratePostgres } from './migrate.js';
import { createPool, describePostgresUrl, type PostgresPoolOptions } from './pool.js';
import { PostgresSql } from './postgres-sql.js';

export type PostgresRecordsDbOptions = PostgresPoolOptions;

/**
 * The production RecordsDb adapter on PostgreSQL, over node-postgres's pool: every statement
 * with bound parameters, the import in one transaction, the schema migrated when it opens.
 *
 * TLS comes from DATABASE_URL's parameters as node-postgres reads them: sslmode=disable (or
 * none) is plaintext; sslmode=verify-full — and prefer, require and verify-ca, which it treats
 * the same — is TLS with the server's certificate checked against Node's CAs or sslrootcert's,
 * and its name against the host; sslmode=no-verify is TLS without checking (development only);
 * sslcert and sslkey give a client certificate. Unlike libpq, `prefer` never falls back to
 * plaintext, and `require` does check the certificate; uselibpqcompat=true gives libpq's
 * meanings instead.
 */
export class PostgresRecordsDb extends SqlRecordsDb {
  /** Where it is: host, port and database (never the credentials). */
  readonly where: string;

  private constructor(sql: PostgresSql, where: string) {
    super('postgres', sql);
    this.where = where;
  }

  /**
   * Connects and migrates; fails with RecordsUnavailableError when the server cannot be reached
   * or answer in time, RecordsRejectedError when it refuses (credentials, TLS, a schema newer
   * than this code).
   */
  static async open(options: PostgresRecordsDbOptions): Promise<PostgresRecordsDb> {
    const where = describePostgresUrl(options.url);
    let pool: ReturnType<typeof createPool> | undefined;
    try {
      pool = createPool(options);
      const client = await pool.connect();
      try {
        await migratePostgres(client, where);
      } finally {
        client.release();
      }
    } catch (err) {
      await pool?.end().catch(() => undefined);
      throw recordsErrorOfPostgres(err, `cannot open ${where}`);
    }
    return new PostgresRecordsDb(new PostgresSql(pool, where), where);
  }
}
