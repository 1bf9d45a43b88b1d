import { describe, expect, it } from 'vitest';
import { type Adapter, day0, openedPerTest, unique, uniqueVin } from './support.js';

/** What a person may type into any field, stored and returned exactly. */
const hostile = [
  `O'Brien "the quoted" \\ back\\slash`,
  `'; DROP TABLE users; --`,
  '<script>alert(1)</script>',
  '🚗💨 车队 👨‍👩‍👧 ﷽',
  '? $1 :name %s %_ \\x00',
  'line one\nline two\r\n\ttabbed',
  'x'.repeat(10_240),
  '车'.repeat(3_500),
];

/** The contract for hostile strings: bound, never spliced; kept verbatim. */
export function hostileInputContract(adapter: Adapter): void {
  describe('hostile strings', () => {
    const openRecordsDb = openedPerTest(adapter);

    it('should store and return every hostile string verbatim, in every kind of record', async () => {
      const db = await openRecordsDb();
      for (const [i, s] of hostile.entries()) {
        const org = await db.createOrganisation({ name: s, kind: 'fleet_operator' });
        expect(await db.getOrganisation(org.id)).toMatchObject({ name: s });
        // Codes, logins and VINs are short in practice; they are keys, and PostgreSQL's indexes
        // take entries up to about 2.7 kB. Names, plates and audit text take any length.
        const key = `${s.slice(0, 200)}-${unique('k')}`;
        const store = await db.createStore({ orgId: org.id, name: s, code: key });
        expect(await db.getStore(store.id)).toMatchObject({ name: s, code: key });
        const user = await db.createUser({
          orgId: org.id,
          name: s,
          username: key,
          passwordHash: s,
          mustChangePassword: false,
        });
        expect(await db.findUserByLogin(key)).toEqual({
          user: expect.objectContaining({ name: s, username: key }),
          passwordHash: s,
        });
        expect(user.name).toBe(s);
        const owner = await db.createCustomer({ orgId: org.id, kind: 'person', name: s });
        expect((await db.getCustomer(owner.id))?.name).toBe(s);
        const group = await db.createGroup({ orgId: org.id, name: s });
        expect((await db.listGroups(org.id))[0]?.name).toBe(s);
        const vehicle = await db.createVehicle({
          orgId: org.id,
          vin: uniqueVin(),
          plate: s,
          make: s,
          model: s,
          deviceId: key,
          homeStoreId: store.id,
          customerId: owner.id,
        });
        await db.addToGroup(group.id, vehicle.id);
        expect(await db.getVehicleByDevice(key)).toMatchObject({ plate: s, make: s, model: s });
        await db.appendAudit({
          orgId: org.id,
          atMs: day0 + i,
          actor: s,
          action: s,
          target: s,
          address: s,
          detail: { [s.slice(0, 100)]: s, n: i, ok: true },
        });
        const [entry] = await db.listAudit({
          orgId: org.id,
          fromMs: day0,
          toMs: day0 + 100,
          action: s,
          limit: 1,
        });
        expect(entry).toMatchObject({ actor: s, action: s, target: s, address: s });
        expect(entry?.detail).toEqual({ [s.slice(0, 100)]: s, n: i, ok: true });
      }
      // Nothing was executed: the tables are all there.
      expect((await db.listOrganisations()).length).toBeGreaterThanOrEqual(hostile.length);
      expect(await db.findUserByLogin(`'; DROP TABLE users; --`)).toBeUndefined();
    });
  });
}
