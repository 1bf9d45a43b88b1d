import { describe, expect, it } from 'vitest';
import { RecordConflictError, RecordsRejectedError } from '../../../src/errors.js';
import {
  type Adapter,
  openedPerTest,
  orgWithStore,
  rejection,
  unique,
  uniqueVin,
} from './support.js';

/** The contract of the VehicleBook part, less the scope and the import (scope.ts, import.ts). */
export function vehicleBookContract(adapter: Adapter): void {
  describe('vehicles', () => {
    const openRecordsDb = openedPerTest(adapter);

    it('should create a vehicle and find it by id, device and VIN', async () => {
      const db = await openRecordsDb();
      const { org, store } = await orgWithStore(db);
      const owner = await db.createCustomer({ orgId: org.id, kind: 'person', name: 'Li' });
      const input = {
        orgId: org.id,
        vin: uniqueVin(),
        plate: '京A12345',
        make: 'BYD',
        model: 'Han',
        year: 2024,
        deviceId: unique('dev'),
        homeStoreId: store.id,
        customerId: owner.id,
      };
      const v = await db.createVehicle(input);
      expect(v).toEqual({
        ...input,
        id: expect.any(String),
        sharedStoreIds: [],
        groupIds: [],
        disabled: false,
        createdMs: expect.any(Number),
      });
      expect(await db.getVehicle(v.id)).toEqual(v);
      expect(await db.getVehicleByDevice(input.deviceId)).toEqual(v);
      expect(await db.getVehicleByVin(input.vin)).toEqual(v);
      expect(await db.getVehicle('no-such-id')).toBeUndefined();
      expect(await db.getVehicleByDevice('no-such-device')).toBeUndefined();
      expect(await db.getVehicleByVin('00000000000000000')).toBeUndefined();
      // Only what is known: no plate, make, model, year, device or owner.
      const bare = await db.createVehicle({
        orgId: org.id,
        vin: uniqueVin(),
        homeStoreId: store.id,
      });
      expect(Object.keys(bare).sort()).toEqual([
        'createdMs',
        'disabled',
        'groupIds',
        'homeStoreId',
        'id',
        'orgId',
        'sharedStoreIds',
        'vin',
      ]);
    });

    it('should refuse a taken VIN or device, naming the field', async () => {
      const db = await openRecordsDb();
      const { org, store } = await orgWithStore(db);
      const v = await db.createVehicle({
        orgId: org.id,
        vin: uniqueVin(),
        deviceId: unique('dev'),
        homeStoreId: store.id,
      });
      const other = await orgWithStore(db);
      const byVin = await rejection(
        db.createVehicle({ orgId: other.org.id, vin: v.vin, homeStoreId: other.store.id }),
      );
      expect(byVin).toBeInstanceOf(RecordConflictError);
      expect(byVin).toMatchObject({ code: 'RECORD_CONFLICT', field: 'vin' });
      expect((byVin as RecordConflictError).row).toBeUndefined();
      const byDevice = await rejection(
        db.createVehicle({
          orgId: other.org.id,
          vin: uniqueVin(),
          deviceId: v.deviceId,
          homeStoreId: other.store.id,
        }),
      );
      expect(byDevice).toMatchObject({ code: 'RECORD_CONFLICT', field: 'deviceId' });
      expect(await db.listVehicles({ orgIds: [other.org.id], storeIds: [], groupIds: [] })).toEqual(
        [],
      );
    });

    it('should refuse a home store of another organisation', async () => {
      const db = await openRecordsDb();
      const { org } = await orgWithStore(db);
      const other = await orgWithStore(db);
      const err = await rejection(
        db.createVehicle({ orgId: org.id, vin: uniqueVin(), homeStoreId: other.store.id }),
      );
      expect(err).toBeInstanceOf(RecordsRejectedError);
    });

    it('should bind, move and unbind a device, refusing one bound elsewhere', async () => {
      const db = await openRecordsDb();
      const { org, store } = await orgWithStore(db);
      const a = await db.createVehicle({ orgId: org.id, vin: uniqueVin(), homeStoreId: store.id });
      const b = await db.createVehicle({ orgId: org.id, vin: uniqueVin(), homeStoreId: store.id });
      const dev = unique('dev');
      expect(await db.bindDevice(a.id, dev)).toEqual({ ...a, deviceId: dev });
      const err = await rejection(db.bindDevice(b.id, dev));
      expect(err).toMatchObject({ code: 'RECORD_CONFLICT', field: 'deviceId' });
      expect(await db.getVehicle(b.id)).toEqual(b);
      expect(await db.bindDevice(a.id, undefined)).toEqual(a);
      expect(await db.bindDevice(b.id, dev)).toEqual({ ...b, deviceId: dev });
      expect(await db.getVehicleByDevice(dev)).toEqual({ ...b, deviceId: dev });
      expect(await db.bindDevice('no-such-id', unique('dev'))).toBeUndefined();
    });

    it('should share with stores idempotently, unshare, and disable', async () => {
      const db = await openRecordsDb();
      const { org, store } = await orgWithStore(db);
      const s2 = await db.createStore({ orgId: org.id, name: 'Two', code: 'S02' });
      const s3 = await db.createStore({ orgId: org.id, name: 'Three', code: 'S03' });
      const v = await db.createVehicle({ orgId: org.id, vin: uniqueVin(), homeStoreId: store.id });
      await db.shareVehicle(v.id, s2.id);
      await db.shareVehicle(v.id, s2.id);
      await db.shareVehicle(v.id, s3.id);
      expect((await db.getVehicle(v.id))?.sharedStoreIds).toEqual([s2.id, s3.id].sort());
      await db.unshareVehicle(v.id, s2.id);
      await db.unshareVehicle(v.id, s2.id);
      expect((await db.getVehicle(v.id))?.sharedStoreIds).toEqual([s3.id]);
      const disabled = await db.setVehicleDisabled(v.id, true);
      expect(disabled).toEqual({ ...v, sharedStoreIds: [s3.id], disabled: true });
      expect(await db.setVehicleDisabled('no-such-id', true)).toBeUndefined();
    });
  });
}
