import { describe, expect, it } from 'vitest';
import type { RecordsDb, VehicleScope } from '../../../src/records-db/port/index.js';
import { type Adapter, openedPerTest, orgWithStore, uniqueVin } from './support.js';

/** The contract of listVehicles: what each part of a scope covers, and nothing more. */
export function vehicleScopeContract(adapter: Adapter): void {
  describe('vehicle scope', () => {
    const openRecordsDb = openedPerTest(adapter);

    /** Two organisations: A's four vehicles reached four ways, B's one. */
    async function fleet(db: RecordsDb) {
      const a = await orgWithStore(db);
      const s2 = await db.createStore({ orgId: a.org.id, name: 'Two', code: 'S02' });
      const s3 = await db.createStore({ orgId: a.org.id, name: 'Three', code: 'S03' });
      const group = await db.createGroup({ orgId: a.org.id, name: 'Fleet' });
      const vehicle = (homeStoreId: string, plate?: string) =>
        db.createVehicle({
          orgId: a.org.id,
          vin: uniqueVin(),
          homeStoreId,
          ...(plate ? { plate } : {}),
        });
      const home = await vehicle(a.store.id, '沪A00002');
      const shared = await vehicle(s2.id, '沪A00001');
      await db.shareVehicle(shared.id, s3.id);
      const grouped = await vehicle(s2.id);
      await db.addToGroup(group.id, grouped.id);
      const other = await vehicle(s2.id);
      await db.setVehicleDisabled(other.id, true);
      const b = await orgWithStore(db);
      const theirs = await db.createVehicle({
        orgId: b.org.id,
        vin: uniqueVin(),
        homeStoreId: b.store.id,
        plate: '沪A00000',
      });
      const ids = async (scope: Partial<VehicleScope>) =>
        (await db.listVehicles({ orgIds: [], storeIds: [], groupIds: [], ...scope })).map(
          (v) => v.id,
        );
      return { a, b, s2, s3, group, home, shared, grouped, other, theirs, ids };
    }

    it('should list an organisation’s vehicles, disabled ones too, by plate then VIN, unplated last', async () => {
      const db = await openRecordsDb();
      const f = await fleet(db);
      const unplated = [f.grouped, f.other].sort((x, y) => (x.vin < y.vin ? -1 : 1));
      expect(await f.ids({ orgIds: [f.a.org.id] })).toEqual([
        f.shared.id,
        f.home.id,
        ...unplated.map((v) => v.id),
      ]);
      const all = await db.listVehicles({ orgIds: [f.a.org.id], storeIds: [], groupIds: [] });
      expect(all.find((v) => v.id === f.other.id)?.disabled).toBe(true);
      expect(all.find((v) => v.id === f.shared.id)?.sharedStoreIds).toEqual([f.s3.id]);
      expect(await f.ids({ orgIds: [f.b.org.id] })).toEqual([f.theirs.id]);
    });

    it('should list a store’s vehicles: those at home there and those shared with it', async () => {
      const db = await openRecordsDb();
      const f = await fleet(db);
      expect(await f.ids({ storeIds: [f.a.store.id] })).toEqual([f.home.id]);
      expect(await f.ids({ storeIds: [f.s3.id] })).toEqual([f.shared.id]);
      expect(await f.ids({ storeIds: [f.s2.id] })).toHaveLength(3);
      expect(await f.ids({ storeIds: [f.a.store.id, f.s3.id] })).toEqual([f.shared.id, f.home.id]);
    });

    it('should list a group’s vehicles only, and each vehicle once however it is reached', async () => {
      const db = await openRecordsDb();
      const f = await fleet(db);
      expect(await f.ids({ groupIds: [f.group.id] })).toEqual([f.grouped.id]);
      expect(
        await f.ids({
          orgIds: [f.a.org.id],
          storeIds: [f.s2.id, f.s3.id],
          groupIds: [f.group.id],
        }),
      ).toHaveLength(4);
      expect(await f.ids({ storeIds: [f.a.store.id, f.s3.id], groupIds: [f.group.id] })).toEqual([
        f.shared.id,
        f.home.id,
        f.grouped.id,
      ]);
    });

    it('should list nothing for an empty scope, nor of another organisation', async () => {
      const db = await openRecordsDb();
      const f = await fleet(db);
      expect(await f.ids({})).toEqual([]);
      const mine = await f.ids({
        orgIds: [f.a.org.id],
        storeIds: [f.a.store.id, f.s2.id, f.s3.id],
        groupIds: [f.group.id],
      });
      expect(mine).not.toContain(f.theirs.id);
      expect(await f.ids({ storeIds: [f.b.store.id] })).toEqual([f.theirs.id]);
      expect(await f.ids({ orgIds: ['no-such-org'], storeIds: ['no-such-store'] })).toEqual([]);
    });
  });
}
