import { describe, expect, it } from 'vitest';
import { RecordConflictError, RecordsRejectedError } from '../../../src/errors.js';
import type { VehicleImportRow } from '../../../src/records-db/port/index.js';
import {
  type Adapter,
  openedPerTest,
  orgWithStore,
  rejection,
  unique,
  uniqueMobile,
  uniqueVin,
} from './support.js';

/** The contract of importVehicles: all rows or none, owners found by mobile or created. */
export function vehicleImportContract(adapter: Adapter): void {
  describe('vehicle import', () => {
    const openRecordsDb = openedPerTest(adapter);

    it('should import vehicles with their owners, reusing an owner known by mobile', async () => {
      const db = await openRecordsDb();
      const { org, store } = await orgWithStore(db);
      const known = await db.createCustomer({
        orgId: org.id,
        kind: 'person',
        name: 'Li Wei',
        mobile: uniqueMobile(),
      });
      const newMobile = uniqueMobile();
      const rows: VehicleImportRow[] = [
        {
          vehicle: {
            vin: uniqueVin(),
            plate: '粤B1',
            homeStoreId: store.id,
            deviceId: unique('d'),
          },
          owner: { kind: 'person', name: 'Li Wei (again)', mobile: known.mobile! },
        },
        {
          vehicle: { vin: uniqueVin(), homeStoreId: store.id, year: 2021 },
          owner: { kind: 'company', name: 'Acme', mobile: newMobile },
        },
        {
          vehicle: { vin: uniqueVin(), homeStoreId: store.id },
          owner: { kind: 'company', name: 'Acme', mobile: newMobile },
        },
        { vehicle: { vin: uniqueVin(), homeStoreId: store.id } },
        {
          vehicle: { vin: uniqueVin(), homeStoreId: store.id },
          owner: { kind: 'person', name: 'No Phone' },
        },
      ];
      const imported = await db.importVehicles(org.id, rows);
      expect(imported.map((v) => v.vin)).toEqual(rows.map((r) => r.vehicle.vin));
      expect(imported[0]).toEqual({
        ...rows[0]!.vehicle,
        id: expect.any(String),
        orgId: org.id,
        customerId: known.id,
        sharedStoreIds: [],
        groupIds: [],
        disabled: false,
        createdMs: expect.any(Number),
      });
      for (const v of imported) expect(await db.getVehicle(v.id)).toEqual(v);
      const customers = await db.listCustomers(org.id);
      const acme = customers.filter((c) => c.mobile === newMobile);
      expect(acme).toHaveLength(1);
      expect(imported[1]?.customerId).toBe(acme[0]?.id);
      expect(imported[2]?.customerId).toBe(acme[0]?.id);
      expect(imported[3]).not.toHaveProperty('customerId');
      expect(customers.find((c) => c.id === imported[4]?.customerId)?.name).toBe('No Phone');
      expect(customers).toHaveLength(3);
    });

    it('should write nothing when row N conflicts, naming the row and the field', async () => {
      const db = await openRecordsDb();
      const { org, store } = await orgWithStore(db);
      const taken = await db.createVehicle({
        orgId: org.id,
        vin: uniqueVin(),
        homeStoreId: store.id,
      });
      const before = await db.listCustomers(org.id);
      const rows: VehicleImportRow[] = [
        {
          vehicle: { vin: uniqueVin(), homeStoreId: store.id, deviceId: unique('d') },
          owner: { kind: 'person', name: 'New Owner', mobile: uniqueMobile() },
        },
        {
          vehicle: { vin: uniqueVin(), homeStoreId: store.id },
          owner: { kind: 'person', name: 'Another', mobile: uniqueMobile() },
        },
        { vehicle: { vin: taken.vin, homeStoreId: store.id } },
        { vehicle: { vin: uniqueVin(), homeStoreId: store.id } },
      ];
      const err = await rejection(db.importVehicles(org.id, rows));
      expect(err).toBeInstanceOf(RecordConflictError);
      expect(err).toMatchObject({ code: 'RECORD_CONFLICT', field: 'vin', row: 2 });
      expect((err as Error).message).toMatch(/^row 2: /);
      for (const row of rows.slice(0, 2)) {
        expect(await db.getVehicleByVin(row.vehicle.vin)).toBeUndefined();
      }
      expect(await db.getVehicleByDevice(rows[0]!.vehicle.deviceId!)).toBeUndefined();
      expect(await db.listCustomers(org.id)).toEqual(before);
      const listed = await db.listVehicles({ orgIds: [org.id], storeIds: [], groupIds: [] });
      expect(listed.map((v) => v.id)).toEqual([taken.id]);
    });

    it('should name the later row when two rows of the import conflict with each other', async () => {
      const db = await openRecordsDb();
      const { org, store } = await orgWithStore(db);
      const device = unique('d');
      const rows: VehicleImportRow[] = [
        { vehicle: { vin: uniqueVin(), homeStoreId: store.id, deviceId: device } },
        { vehicle: { vin: uniqueVin(), homeStoreId: store.id } },
        { vehicle: { vin: uniqueVin(), homeStoreId: store.id, deviceId: device } },
      ];
      const err = await rejection(db.importVehicles(org.id, rows));
      expect(err).toMatchObject({ code: 'RECORD_CONFLICT', field: 'deviceId', row: 2 });
      expect(await db.getVehicleByDevice(device)).toBeUndefined();
      // The same rows without the conflict go in whole.
      const fixed = await db.importVehicles(org.id, rows.slice(0, 2));
      expect(fixed).toHaveLength(2);
    });

    it('should write nothing when a row names a store of another organisation', async () => {
      const db = await openRecordsDb();
      const { org, store } = await orgWithStore(db);
      const other = await orgWithStore(db);
      const vin = uniqueVin();
      const err = await rejection(
        db.importVehicles(org.id, [
          {
            vehicle: { vin, homeStoreId: store.id },
            owner: { kind: 'person', name: 'X', mobile: uniqueMobile() },
          },
          { vehicle: { vin: uniqueVin(), homeStoreId: other.store.id } },
        ]),
      );
      expect(err).toBeInstanceOf(RecordsRejectedError);
      expect(await db.getVehicleByVin(vin)).toBeUndefined();
      expect(await db.listCustomers(org.id)).toEqual([]);
      expect(await db.importVehicles(org.id, [])).toEqual([]);
    });
  });
}
