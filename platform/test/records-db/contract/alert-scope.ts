import { describe, expect, it } from 'vitest';
import type { AlertQuery, RecordsDb, VehicleScope } from '../../../src/records-db/port/index.js';
import { type Adapter, day0, openedPerTest, orgWithStore, unique, uniqueVin } from './support.js';

/**
 * The contract of listAlerts' scope: the alerts of devices bound to the vehicles the scope
 * covers (as listVehicles covers them: organisation-wide, home store, shared store, group),
 * and no other — not another organisation's, not a device's bound to no vehicle.
 */
export function alertScopeContract(adapter: Adapter): void {
  describe('alert scope', () => {
    const openRecordsDb = openedPerTest(adapter);

    /**
     * Organisation A: a vehicle at home in store 1, one at home in store 2 shared with store
     * 3, one in group G (at home in store 2); organisation B: one vehicle; and a device bound
     * to no vehicle. Each device raises two alerts (an overheat, then a collision an hour
     * later), each vehicle's a minute after the one before.
     */
    async function fleet(db: RecordsDb) {
      const a = await orgWithStore(db);
      const s2 = await db.createStore({ orgId: a.org.id, name: 'Two', code: 'S02' });
      const s3 = await db.createStore({ orgId: a.org.id, name: 'Three', code: 'S03' });
      const group = await db.createGroup({ orgId: a.org.id, name: 'Fleet' });
      const b = await orgWithStore(db);
      const vehicle = async (orgId: string, homeStoreId: string) => {
        const deviceId = unique('dev');
        const v = await db.createVehicle({ orgId, vin: uniqueVin(), homeStoreId, deviceId });
        return { ...v, deviceId };
      };
      const home = await vehicle(a.org.id, a.store.id);
      const shared = await vehicle(a.org.id, s2.id);
      await db.shareVehicle(shared.id, s3.id);
      const grouped = await vehicle(a.org.id, s2.id);
      await db.addToGroup(group.id, grouped.id);
      const theirs = await vehicle(b.org.id, b.store.id);
      const unbound = unique('dev');
      const devices = [home.deviceId, shared.deviceId, grouped.deviceId, theirs.deviceId, unbound];
      for (const [i, deviceId] of devices.entries()) {
        for (const [type, late] of [
          ['overheat', 0],
          ['collision', 3_600_000],
        ] as const) {
          await db.recordAlertRaised({
            alertId: `${deviceId}-${type}`,
            deviceId,
            type,
            severity: 'critical',
            conditionKey: type,
            raisedMs: day0 + i * 60_000 + late,
            evidence: { n: i },
            clearsWhen: 'people resolve it',
          });
        }
      }
      /** The ids of the alerts listed for the scope, narrowed by the query's other filters. */
      const ids = async (scope: Partial<VehicleScope>, q: Partial<AlertQuery> = {}) =>
        (
          await db.listAlerts({
            fromMs: day0,
            toMs: day0 + 86_400_000,
            limit: 100,
            scope: { orgIds: [], storeIds: [], groupIds: [], ...scope },
            ...q,
          })
        ).map((x) => x.alertId);
      /** A device's two alerts as a list has them: the collision (the later) first. */
      const both = (deviceId: string) => [`${deviceId}-collision`, `${deviceId}-overheat`];
      return { a, b, s2, s3, group, home, shared, grouped, theirs, unbound, ids, both };
    }

    it('should list an organisation’s alerts, newest first, and none of another organisation', async () => {
      const db = await openRecordsDb();
      const f = await fleet(db);
      expect(await f.ids({ orgIds: [f.a.org.id] })).toEqual([
        `${f.grouped.deviceId}-collision`,
        `${f.shared.deviceId}-collision`,
        `${f.home.deviceId}-collision`,
        `${f.grouped.deviceId}-overheat`,
        `${f.shared.deviceId}-overheat`,
        `${f.home.deviceId}-overheat`,
      ]);
      expect(await f.ids({ orgIds: [f.b.org.id] })).toEqual(f.both(f.theirs.deviceId));
      // Narrowed further by the query's filters and limit.
      expect(await f.ids({ orgIds: [f.a.org.id] }, { type: 'overheat', limit: 2 })).toEqual([
        `${f.grouped.deviceId}-overheat`,
        `${f.shared.deviceId}-overheat`,
      ]);
      expect(await f.ids({ orgIds: [f.a.org.id] }, { deviceId: f.theirs.deviceId })).toEqual([]);
    });

    it('should list a store’s alerts: of the vehicles at home there and those shared with it', async () => {
      const db = await openRecordsDb();
      const f = await fleet(db);
      expect(await f.ids({ storeIds: [f.a.store.id] })).toEqual(f.both(f.home.deviceId));
      expect(await f.ids({ storeIds: [f.s3.id] })).toEqual(f.both(f.shared.deviceId));
      expect((await f.ids({ storeIds: [f.s2.id] })).sort()).toEqual(
        [...f.both(f.shared.deviceId), ...f.both(f.grouped.deviceId)].sort(),
      );
      // A vehicle reached twice (its home store and a store it is shared with) lists once.
      expect(await f.ids({ storeIds: [f.s2.id, f.s3.id] }, { type: 'collision' })).toEqual([
        `${f.grouped.deviceId}-collision`,
        `${f.shared.deviceId}-collision`,
      ]);
      expect(await f.ids({ storeIds: [f.b.store.id] })).toEqual(f.both(f.theirs.deviceId));
    });

    it('should list a group’s alerts only, and by state within a scope', async () => {
      const db = await openRecordsDb();
      const f = await fleet(db);
      expect(await f.ids({ groupIds: [f.group.id] })).toEqual(f.both(f.grouped.deviceId));
      await db.acknowledgeAlert(`${f.grouped.deviceId}-overheat`, 'li.wei', day0 + 1);
      await db.resolveAlert(`${f.home.deviceId}-collision`, 'li.wei', day0 + 1);
      expect(await f.ids({ groupIds: [f.group.id] }, { state: 'open' })).toEqual([
        `${f.grouped.deviceId}-collision`,
      ]);
      expect(await f.ids({ storeIds: [f.a.store.id] }, { state: 'open' })).toEqual([
        `${f.home.deviceId}-overheat`,
      ]);
      expect(await f.ids({ orgIds: [f.a.org.id] }, { state: 'resolved' })).toEqual([
        `${f.home.deviceId}-collision`,
      ]);
    });

    it('should list the alerts of a device bound to no vehicle to no scope, and to an unscoped list', async () => {
      const db = await openRecordsDb();
      const f = await fleet(db);
      const everything = {
        orgIds: [f.a.org.id, f.b.org.id],
        storeIds: [f.a.store.id, f.s2.id, f.s3.id, f.b.store.id],
        groupIds: [f.group.id],
      };
      const all = await f.ids(everything);
      expect(all).toHaveLength(8);
      expect(all.filter((id) => id.startsWith(f.unbound))).toEqual([]);
      expect(await f.ids({})).toEqual([]);
      expect(await f.ids({ orgIds: ['no-such-org'], storeIds: ['no-such-store'] })).toEqual([]);
      const unscoped = await db.listAlerts({
        fromMs: day0,
        toMs: day0 + 86_400_000,
        deviceId: f.unbound,
        limit: 10,
      });
      expect(unscoped.map((x) => x.alertId)).toEqual(f.both(f.unbound));
    });

    it('should follow a device to the vehicle it is bound to now', async () => {
      const db = await openRecordsDb();
      const f = await fleet(db);
      // The device moves from the vehicle at home in store 1 to a new one in organisation B.
      await db.bindDevice(f.home.id, undefined);
      expect(await f.ids({ storeIds: [f.a.store.id] })).toEqual([]);
      await db.createVehicle({
        orgId: f.b.org.id,
        vin: uniqueVin(),
        homeStoreId: f.b.store.id,
        deviceId: f.home.deviceId,
      });
      expect(await f.ids({ orgIds: [f.a.org.id] }, { type: 'collision' })).toEqual([
        `${f.grouped.deviceId}-collision`,
        `${f.shared.deviceId}-collision`,
      ]);
      expect(await f.ids({ orgIds: [f.b.org.id] }, { type: 'collision' })).toEqual([
        `${f.theirs.deviceId}-collision`,
        `${f.home.deviceId}-collision`,
      ]);
    });
  });
}
