import { describe, expect, it } from 'vitest';
import { RecordsRejectedError } from '../../../src/errors.js';
import { migrations } from '../../../src/records-db/sql/migrations.js';
import { type Adapter, rejection } from './support.js';

/** The contract of the schema: migrated once when opened, recorded, and never downgraded. */
export function schemaContract(adapter: Adapter): void {
  describe('schema and migrations', () => {
    const recorded = async (query: (sql: string) => Promise<Record<string, unknown>[]>) =>
      (await query('SELECT version, name, applied_at FROM schema_migrations ORDER BY version')).map(
        (r) => ({ version: Number(r.version), name: r.name, appliedAt: Number(r.applied_at) }),
      );

    it('should record each migration once, not apply it again, and find the data on reopening', async () => {
      const fresh = await adapter.fresh();
      const before = Date.now();
      const db = await fresh.open();
      const org = await db.createOrganisation({ name: 'Kept', kind: 'dealer_group' });
      await db.close();
      const first = await recorded(fresh.query);
      expect(first.map(({ version, name }) => ({ version, name }))).toEqual(
        migrations.map(({ version, name }) => ({ version, name })),
      );
      for (const m of first) {
        expect(m.appliedAt).toBeGreaterThanOrEqual(before);
        expect(m.appliedAt).toBeLessThanOrEqual(Date.now());
      }
      const again = await fresh.open();
      try {
        expect(await again.getOrganisation(org.id)).toEqual(org);
        expect(await recorded(fresh.query)).toEqual(first);
      } finally {
        await again.close();
      }
    });

    it('should refuse to open a database migrated by a newer version, for good', async () => {
      const fresh = await adapter.fresh();
      await (await fresh.open()).close();
      await fresh.query(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from a later release', 0)",
      );
      const err = await rejection(fresh.open());
      expect(err).toBeInstanceOf(RecordsRejectedError);
      expect(err).toMatchObject({ code: 'RECORDS_REJECTED', retryable: false });
      expect((err as Error).message).toMatch(
        /schema version 999, newer than this version of Fleetline knows \(up to \d+\): upgrade Fleetline/,
      );
    });

    it('should apply each migration once when several open a fresh database at once', async () => {
      const fresh = await adapter.fresh();
      await fresh.openAtOnce(4);
      expect((await recorded(fresh.query)).map((m) => m.version)).toEqual(
        migrations.map((m) => m.version),
      );
      const db = await fresh.open();
      try {
        const org = await db.createOrganisation({ name: 'After', kind: 'dealer_group' });
        expect(await db.getOrganisation(org.id)).toEqual(org);
      } finally {
        await db.close();
      }
    });
  });
}
