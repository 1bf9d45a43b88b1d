import { describe, expect, it } from 'vitest';
import { RecordConflictError, RecordsRejectedError } from '../../../src/errors.js';
import {
  type Adapter,
  openedPerTest,
  orgWithStore,
  rejection,
  unique,
  uniqueMobile,
  uniqueVin,
} from './support.js';

/** The contract of the OrganisationBook part: organisations, stores, customers, groups. */
export function organisationBookContract(adapter: Adapter): void {
  describe('organisations and stores', () => {
    const openRecordsDb = openedPerTest(adapter);

    it('should create an organisation, find it, list it and disable it', async () => {
      const db = await openRecordsDb();
      const before = Date.now();
      const org = await db.createOrganisation({ name: unique('Dealer'), kind: 'leasing_company' });
      expect(org).toEqual({
        id: expect.any(String),
        name: org.name,
        kind: 'leasing_company',
        disabled: false,
        createdMs: expect.any(Number),
      });
      expect(org.createdMs).toBeGreaterThanOrEqual(before);
      expect(await db.getOrganisation(org.id)).toEqual(org);
      expect(await db.getOrganisation('no-such-id')).toBeUndefined();
      const listed = await db.listOrganisations();
      expect(listed).toContainEqual(org);
      const names = listed.map((o) => o.name);
      expect(names).toEqual([...names].sort());
      expect(await db.setOrganisationDisabled(org.id, true)).toEqual({ ...org, disabled: true });
      expect(await db.getOrganisation(org.id)).toEqual({ ...org, disabled: true });
      expect(await db.setOrganisationDisabled('no-such-id', true)).toBeUndefined();
    });

    it('should keep store codes unique in an organisation and free across organisations', async () => {
      const db = await openRecordsDb();
      const { org, store } = await orgWithStore(db);
      expect(store).toEqual({
        id: expect.any(String),
        orgId: org.id,
        name: 'Main',
        code: 'S01',
        disabled: false,
        createdMs: expect.any(Number),
      });
      const err = await rejection(db.createStore({ orgId: org.id, name: 'Other', code: 'S01' }));
      expect(err).toBeInstanceOf(RecordConflictError);
      expect(err).toMatchObject({ code: 'RECORD_CONFLICT', field: 'code', retryable: false });
      // Another organisation may have its own S01.
      const other = await orgWithStore(db);
      expect(other.store.code).toBe('S01');
      const b = await db.createStore({ orgId: org.id, name: 'Branch', code: 'A02' });
      expect(await db.getStore(b.id)).toEqual(b);
      expect(await db.listStores(org.id)).toEqual([b, store]);
      expect(await db.setStoreDisabled(b.id, true)).toEqual({ ...b, disabled: true });
      expect(await db.setStoreDisabled('no-such-id', true)).toBeUndefined();
      expect(await db.getStore('no-such-id')).toBeUndefined();
    });

    it('should refuse a store of no organisation, for good', async () => {
      const db = await openRecordsDb();
      const err = await rejection(db.createStore({ orgId: 'no-such-org', name: 'x', code: 'x' }));
      expect(err).toBeInstanceOf(RecordsRejectedError);
      expect(err).toMatchObject({ code: 'RECORDS_REJECTED', retryable: false });
    });
  });

  describe('customers and vehicle groups', () => {
    const openRecordsDb = openedPerTest(adapter);

    it('should create customers with and without a mobile and list them by name', async () => {
      const db = await openRecordsDb();
      const { org } = await orgWithStore(db);
      const mobile = uniqueMobile();
      const li = await db.createCustomer({ orgId: org.id, kind: 'person', name: 'Li Wei', mobile });
      const acme = await db.createCustomer({
        orgId: org.id,
        kind: 'company',
        name: 'Acme Leasing',
      });
      expect(li).toEqual({
        id: expect.any(String),
        orgId: org.id,
        kind: 'person',
        name: 'Li Wei',
        mobile,
        createdMs: expect.any(Number),
      });
      expect(acme).not.toHaveProperty('mobile');
      expect(await db.getCustomer(li.id)).toEqual(li);
      expect(await db.getCustomer('no-such-id')).toBeUndefined();
      expect(await db.listCustomers(org.id)).toEqual([acme, li]);
      expect(await db.listCustomers((await orgWithStore(db)).org.id)).toEqual([]);
    });

    it('should create groups and add vehicles to them idempotently', async () => {
      const db = await openRecordsDb();
      const { org, store } = await orgWithStore(db);
      const fleetB = await db.createGroup({ orgId: org.id, name: 'Fleet B' });
      const fleetA = await db.createGroup({ orgId: org.id, name: 'Fleet A' });
      expect(fleetA).toEqual({
        id: expect.any(String),
        orgId: org.id,
        name: 'Fleet A',
        createdMs: expect.any(Number),
      });
      expect(await db.listGroups(org.id)).toEqual([fleetA, fleetB]);
      const v = await db.createVehicle({ orgId: org.id, vin: uniqueVin(), homeStoreId: store.id });
      await db.addToGroup(fleetA.id, v.id);
      await db.addToGroup(fleetA.id, v.id);
      await db.addToGroup(fleetB.id, v.id);
      expect((await db.getVehicle(v.id))?.groupIds).toEqual([fleetA.id, fleetB.id].sort());
      await db.removeFromGroup(fleetA.id, v.id);
      await db.removeFromGroup(fleetA.id, v.id);
      expect((await db.getVehicle(v.id))?.groupIds).toEqual([fleetB.id]);
    });
  });
}
