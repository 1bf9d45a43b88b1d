import Type from 'typebox';
import { setting } from './setting.js';

/** Where the business records are kept: PostgreSQL when named, else SQLite in the data folder. */
export const recordsSettings = {
  databaseUrl: setting(
    'DATABASE_URL',
    Type.Union([Type.Literal(''), Type.String({ pattern: '^postgres(ql)?://' })]),
    '',
    'PostgreSQL for the business records, as postgres://user:password@host:5432/database (TLS by its sslmode parameter: disable, verify-full, no-verify; sslrootcert, sslcert and sslkey name PEM files); never logged. Empty: records.sqlite in the data folder.',
    'cloud, cli',
    { secret: true },
  ),
  databasePoolSize: setting(
    'DATABASE_POOL_SIZE',
    Type.Integer({ minimum: 1, maximum: 1000 }),
    10,
    'Connections each process may open to DATABASE_URL (keep the sum over all processes under the server’s max_connections).',
    'cloud, cli',
  ),
  databaseStatementTimeoutMs: setting(
    'DATABASE_STATEMENT_TIMEOUT_MS',
    Type.Integer({ minimum: 100, maximum: 600_000 }),
    10_000,
    'PostgreSQL cancels a records statement running longer (statement_timeout), and a wait for a connection gives up after as long; the operation fails as retryable.',
    'cloud, cli',
  ),
} as const;
