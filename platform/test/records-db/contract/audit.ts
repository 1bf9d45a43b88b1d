import { describe, expect, it } from 'vitest';
import { type Adapter, day0, openedPerTest, orgWithStore } from './support.js';

/** The contract of the AuditLog part. */
export function auditLogContract(adapter: Adapter): void {
  describe('audit trail', () => {
    const openRecordsDb = openedPerTest(adapter);

    it('should list an organisation’s entries in a range, newest first, by action, up to a limit', async () => {
      const db = await openRecordsDb();
      const { org } = await orgWithStore(db);
      const other = (await orgWithStore(db)).org;
      const entry = (atMs: number, action: string, n: number) => ({
        orgId: org.id,
        atMs,
        actor: `user:${n}`,
        action,
        target: `alert:${n}`,
        address: '198.51.100.4',
        detail: { n, ok: n % 2 === 0, note: `entry ${n}` },
      });
      await db.appendAudit(entry(day0 + 10, 'session.signin', 1));
      await db.appendAudit(entry(day0 + 20, 'alert.ack', 2));
      // Two in the same millisecond: the later appended is the newer.
      await db.appendAudit(entry(day0 + 30, 'alert.ack', 3));
      await db.appendAudit(entry(day0 + 30, 'alert.ack', 4));
      await db.appendAudit(entry(day0 + 40, 'user.create', 5));
      await db.appendAudit({ ...entry(day0 + 25, 'alert.ack', 6), orgId: other.id });
      // A failed sign-in to no known account concerns no organisation.
      await db.appendAudit({
        atMs: day0 + 25,
        actor: 'nobody',
        action: 'session.fail',
        detail: {},
      });

      const list = (q: { fromMs?: number; toMs?: number; action?: string; limit?: number }) =>
        db.listAudit({ orgId: org.id, fromMs: day0, toMs: day0 + 1000, limit: 100, ...q });
      const all = await list({});
      expect(all.map((e) => e.detail.n)).toEqual([5, 4, 3, 2, 1]);
      expect(all[1]).toEqual({ id: expect.any(String), ...entry(day0 + 30, 'alert.ack', 4) });
      expect(new Set(all.map((e) => e.id)).size).toBe(5);
      // [from, to): 20 is in, 40 is out.
      expect((await list({ fromMs: day0 + 20, toMs: day0 + 40 })).map((e) => e.detail.n)).toEqual([
        4, 3, 2,
      ]);
      expect((await list({ action: 'alert.ack' })).map((e) => e.detail.n)).toEqual([4, 3, 2]);
      expect((await list({ action: 'alert.ack', limit: 2 })).map((e) => e.detail.n)).toEqual([
        4, 3,
      ]);
      expect((await list({ limit: 1 })).map((e) => e.detail.n)).toEqual([5]);
      expect(await list({ action: 'none' })).toEqual([]);
      const minimal = await db.listAudit({
        orgId: other.id,
        fromMs: day0,
        toMs: day0 + 1000,
        limit: 10,
      });
      expect(minimal.map((e) => e.detail.n)).toEqual([6]);
    });

    it('should keep an entry without target, address or detail as it was given', async () => {
      const db = await openRecordsDb();
      const { org } = await orgWithStore(db);
      await db.appendAudit({
        orgId: org.id,
        atMs: day0,
        actor: 'cli',
        action: 'org.create',
        detail: {},
      });
      const [e] = await db.listAudit({ orgId: org.id, fromMs: day0, toMs: day0 + 1, limit: 10 });
      expect(e).toEqual({
        id: expect.any(String),
        orgId: org.id,
        atMs: day0,
        actor: 'cli',
        action: 'org.create',
        detail: {},
      });
    });
  });
}
