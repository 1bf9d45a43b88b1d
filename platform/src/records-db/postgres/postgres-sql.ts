import type pg from 'pg';
import { RecordsClosedError } from '../../errors.js';
import type { Sql, SqlDialect, SqlSession, SqlValue } from '../sql/sql.js';
import { recordsErrorOfPostgres } from './failures.js';

export const postgresDialect: SqlDialect = {
  name: 'postgres',
  jsonArray: (select) => `(SELECT coalesce(json_agg(q.x), '[]'::json) FROM (${select}) q)`,
};

const numbered = new Map<string, string>();
/**
 * The books' `?` placeholders as PostgreSQL's `$1, $2, …` (their statements hold no `?` of
 * their own: no string literal, no jsonb operator).
 */
function toPostgres(sql: string): string {
  let text = numbered.get(sql);
  if (text === undefined) {
    let n = 0;
    text = sql.replace(/\?/g, () => `$${++n}`);
    if (numbered.size < 1000) numbered.set(sql, text);
  }
  return text;
}

/** The books' statements on a node-postgres pool; parameters are always bound, never spliced. */
export class PostgresSql implements Sql {
  readonly dialect = postgresDialect;
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    /** The server and database, for messages (never the password). */
    private readonly where: string,
  ) {}

  /**
   * No mark: telling whether another process wrote would take a round trip — what reading
   * again costs. (LISTEN/NOTIFY is cheap but late: a sign-out could pass for a moment.)
   */
  changeMark(): undefined {
    return undefined;
  }

  all<R>(sql: string, params: readonly SqlValue[] = []): Promise<R[]> {
    return this.on(this.pool, sql, params).then((r) => r.rows as R[]);
  }

  run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.on(this.pool, sql, params).then((r) => r.rowCount ?? 0);
  }

  async transaction<T>(work: (tx: SqlSession) => Promise<T>): Promise<T> {
    this.assertOpen();
    const client = await this.pool.connect().catch((err: unknown) => {
      throw recordsErrorOfPostgres(err, this.where);
    });
    const tx: SqlSession = {
      all: async <R>(sql: string, params: readonly SqlValue[] = []) =>
        (await this.on(client, sql, params)).rows as R[],
      run: async (sql: string, params: readonly SqlValue[] = []) =>
        (await this.on(client, sql, params)).rowCount ?? 0,
    };
    try {
      await this.on(client, 'BEGIN', []);
      const result = await work(tx);
      await this.on(client, 'COMMIT', []);
      client.release();
      return result;
    } catch (err) {
      // A connection that cannot even roll back is broken: the pool drops it.
      await client.query('ROLLBACK').then(
        () => client.release(),
        (lost: Error) => client.release(lost),
      );
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  private async on(runner: pg.Pool | pg.PoolClient, sql: string, params: readonly SqlValue[]) {
    this.assertOpen();
    try {
      return await runner.query(toPostgres(sql), params as SqlValue[]);
    } catch (err) {
      throw recordsErrorOfPostgres(err, this.where);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new RecordsClosedError();
  }
}
