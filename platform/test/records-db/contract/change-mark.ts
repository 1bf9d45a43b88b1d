import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { type Adapter, openedPerTest, orgWithStore, unique } from './support.js';

/**
 * The contract of RecordsDb.changeMark: a mark that holds while nothing is written and moves
 * with any write — this adapter's at once, another connection's within a millisecond — or no
 * mark at all, ever (then nothing read may be reused).
 */
export function changeMarkContract(adapter: Adapter): void {
  describe('change mark', () => {
    const openRecordsDb = openedPerTest(adapter);

    it('should hold across reads and move at once with a write of its own, or never be given', async () => {
      const db = await openRecordsDb();
      const { org } = await orgWithStore(db);
      const before = db.changeMark();
      await db.getOrganisation(org.id);
      await db.listStores(org.id);
      if (before === undefined) {
        // No mark: every call says so, whatever happens.
        await db.setOrganisationDisabled(org.id, true);
        expect(db.changeMark()).toBeUndefined();
        return;
      }
      expect(db.changeMark()).toBe(before);
      await db.setOrganisationDisabled(org.id, true);
      const afterWrite = db.changeMark();
      expect(afterWrite).not.toBe(before);
      // A write that changes no row is still a write: the mark does not guess.
      await db.deleteSession(unique('no-such-session'));
      expect(db.changeMark()).not.toBe(afterWrite);
    });

    it('should move with a write of another connection to the same database', async () => {
      const db = await openRecordsDb();
      const other = await openRecordsDb();
      const { org } = await orgWithStore(db);
      const before = db.changeMark();
      await other.setOrganisationDisabled(org.id, true);
      // The bound the port gives for another connection's writes.
      await delay(2);
      const after = db.changeMark();
      if (before === undefined) expect(after).toBeUndefined();
      else expect(after).not.toBe(before);
    });
  });
}
