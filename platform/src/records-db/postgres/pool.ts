import pg from 'pg';

export interface PostgresPoolOptions {
  /**
   * A postgres:// (or postgresql://) URL: user, password, host, port, database, and the TLS
   * parameters node-postgres reads (sslmode, sslrootcert, sslcert, sslkey; see the adapter).
   */
  readonly url: string;
  /** Connections the pool may open; default 10. */
  readonly poolSize?: number;
  /** The server cancels a statement running longer (statement_timeout); default 10,000 ms. */
  readonly statementTimeoutMs?: number;
  /** How long to wait for a connection (a new one, or a free one of the pool); default 10,000 ms. */
  readonly connectTimeoutMs?: number;
  /** Told of a failure of an idle connection (the server restarting); the pool replaces it. */
  readonly onIdleError?: (err: Error) => void;
}

/** bigint (int8): epoch ms and counts, well within a double's exact integers. */
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** Where the URL points, for messages: host, port and database, never the credentials. */
export function describePostgresUrl(url: string): string {
  try {
    const u = new URL(url);
    // A Unix socket's folder is given as the host parameter.
    const host = u.searchParams.get('host') ?? (u.hostname || 'localhost');
    return `PostgreSQL records at ${host}:${u.port || 5432}/${decodeURIComponent(u.pathname.slice(1))}`;
  } catch {
    return 'PostgreSQL records (DATABASE_URL is not a URL)';
  }
}

export function createPool(options: PostgresPoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    statement_timeout: options.statementTimeoutMs ?? 10_000,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    application_name: 'fleetline',
    types,
  });
  // An idle connection's failure is emitted on the pool, and an unheard 'error' event would end
  // the process; the pool drops the connection and opens another when one is next needed.
  pool.on('error', (err) => options.onIdleError?.(err));
  return pool;
}
