import type pg from 'pg';
import { pendingMigrations, schemaMigrationsTable } from '../sql/migrations.js';

/**
 * Brings the database's schema up to date: the migrations it has not had, all in one
 * transaction (PostgreSQL's DDL is transactional) with their rows in schema_migrations. The
 * transaction first takes an advisory lock held until it ends, so of several processes
 * opening the same fresh database at once one migrates and the others, waiting on the lock
 * (up to the statement timeout), then find the migrations applied: each is applied once.
 */
export async function migratePostgres(client: pg.PoolClient, where: string): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query("SELECT pg_advisory_xact_lock(hashtext('fleetline records migrations'))");
    // The lock is waited for no longer than any statement; a migration, once it holds it, may
    // take as long as it takes (an index built over a large table): cut short, it would be
    // rolled back and tried again at every start, never finishing.
    await client.query('SET LOCAL statement_timeout = 0');
    await client.query(schemaMigrationsTable);
    const applied = await client.query<{ version: number }>(
      'SELECT version FROM schema_migrations',
    );
    for (const m of pendingMigrations(
      applied.rows.map((r) => r.version),
      where,
    )) {
      await client.query(m.sql('postgres'));
      await client.query(
        'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)',
        [m.version, m.name, Date.now()],
      );
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
