import type { Customer, Store, VehicleRecord } from '@fleetline/platform';
import { describe, expect, it } from 'vitest';
import {
  checkRows,
  type ExistingRecords,
  type RowInput,
} from '../../../src/admin/import/check-rows.js';

/** What the records hold, as plain data: the checks are pure. */

const orgId = 'org-1';
const store = (id: string, code: string, disabled = false): Store => ({
  id,
  orgId,
  name: code,
  code,
  disabled,
  createdMs: 0,
});
const stores = [store('s-north', 'north'), store('s-south', 'south'), store('s-old', 'old', true)];
const customer: Customer = {
  id: 'c-1',
  orgId,
  kind: 'person',
  name: '张三',
  mobile: '+8613800138000',
  createdMs: 0,
};
const stored: VehicleRecord = {
  id: 'v-1',
  orgId,
  vin: '1M8GDM9AXKP042788',
  plate: '粤B D0001',
  make: 'Toyota',
  year: 2019,
  deviceId: 'dev-1',
  homeStoreId: 's-north',
  sharedStoreIds: [],
  groupIds: [],
  customerId: 'c-1',
  disabled: false,
  createdMs: 0,
};
const elsewhere: VehicleRecord = {
  ...stored,
  id: 'v-2',
  orgId: 'org-2',
  vin: '1HGCM82633A004352',
  deviceId: 'dev-9',
  customerId: undefined,
};

const existing = (vehicles: VehicleRecord[] = [stored, elsewhere]): ExistingRecords => ({
  orgId,
  stores,
  customers: [customer],
  vehicles,
});
const storedRow = {
  vin: stored.vin,
  plate: '粤B D0001',
  make: 'Toyota',
  year: '2019',
  device_id: 'dev-1',
  store: 'north',
  owner_name: '张三',
  owner_mobile: '13800138000',
};
const rows = (...raws: RowInput['raw'][]): RowInput[] =>
  raws.map((raw, i) => ({ row: i + 2, raw }));
const check = (input: RowInput[], records = existing()) => checkRows(input, records, 2025);

describe('checkRows', () => {
  it('should find a row with the stored values unchanged, and a new VIN new', () => {
    const r = check(
      rows(storedRow, { vin: 'JHMCM56557C404453', store: 'south', device_id: 'dev-2' }),
    );
    expect(r.problems).toEqual([]);
    expect(r.outcomes).toEqual([
      { row: 2, status: 'unchanged', vehicleId: 'v-1' },
      {
        row: 3,
        status: 'new',
        storeId: 's-south',
        vehicle: { vin: 'JHMCM56557C404453', storeCode: 'south', deviceId: 'dev-2' },
      },
    ]);
  });

  it('should refuse a stored VIN given with other values, and say what differs', () => {
    const r = check(rows({ ...storedRow, plate: '粤B D0002', store: 'south' }));
    expect(r.outcomes[0]?.status).toBe('invalid');
    expect(r.problems).toEqual([
      {
        row: 2,
        field: 'vin',
        reason: expect.stringContaining(
          'home store "north" → "south", plate "粤B D0001" → "粤B D0002"',
        ),
      },
    ]);
  });

  it('should refuse a VIN of another organisation and a device installed in another vehicle', () => {
    const r = check(
      rows(
        { vin: elsewhere.vin, store: 'north' },
        { vin: 'JHMCM56557C404453', store: 'north', device_id: 'dev-1' },
      ),
    );
    expect(r.problems).toEqual([
      {
        row: 2,
        field: 'vin',
        reason: expect.stringContaining('registered to another organisation'),
      },
      {
        row: 3,
        field: 'device_id',
        reason: expect.stringContaining(`installed in the vehicle ${stored.vin}`),
      },
    ]);
  });

  it('should refuse a VIN or device given twice in the file, naming the first row', () => {
    const r = check(
      rows(
        { vin: 'JHMCM56557C404453', store: 'north', device_id: 'dev-5' },
        { vin: 'jhmcm56557c404453', store: 'north' },
        { vin: 'JH4KA7561PC008269', store: 'north', device_id: 'dev-5' },
      ),
    );
    expect(r.problems).toEqual([
      { row: 3, field: 'vin', reason: 'VIN "JHMCM56557C404453" is on row 2 already' },
      { row: 4, field: 'device_id', reason: 'device "dev-5" is on row 2 already' },
    ]);
    expect(r.outcomes.map((o) => o.status)).toEqual(['new', 'invalid', 'invalid']);
  });

  it('should refuse an unknown or disabled store, listing the known codes', () => {
    const r = check(
      rows({ vin: 'JHMCM56557C404453', store: 'east' }, { vin: 'JH4KA7561PC008269', store: 'old' }),
    );
    expect(r.problems).toEqual([
      {
        row: 2,
        field: 'store',
        reason: 'no store "east" in the organisation: its stores are north, south, old',
      },
      { row: 3, field: 'store', reason: 'store "old" is disabled' },
    ]);
  });

  it('should refuse one mobile with two owners, in the file or against a known customer', () => {
    const r = check(
      rows(
        {
          vin: 'JHMCM56557C404453',
          store: 'north',
          owner_name: '王五',
          owner_mobile: '+8613900000000',
        },
        {
          vin: 'JH4KA7561PC008269',
          store: 'north',
          owner_name: '赵六',
          owner_mobile: '139 0000 0000',
        },
        {
          vin: '2T1BURHE0JC074379',
          store: 'north',
          owner_name: '张三丰',
          owner_mobile: '13800138000',
        },
      ),
    );
    expect(r.problems).toEqual([
      { row: 3, field: 'owner_name', reason: expect.stringContaining('is "王五" on row 2') },
      {
        row: 4,
        field: 'owner_name',
        reason: expect.stringContaining('belongs to the customer "张三" (person) already'),
      },
    ]);
  });

  it('should accept a known customer given as stored, and one owner on several rows', () => {
    const r = check(
      rows(
        {
          vin: 'JHMCM56557C404453',
          store: 'north',
          owner_name: '张三',
          owner_mobile: '+86 138 0013 8000',
        },
        {
          vin: 'JH4KA7561PC008269',
          store: 'south',
          owner_name: '张三',
          owner_mobile: '13800138000',
        },
      ),
    );
    expect(r.problems).toEqual([]);
    expect(r.outcomes.map((o) => o.status)).toEqual(['new', 'new']);
  });

  it('should report field problems with their rows, every row checked', () => {
    const r = check(
      rows(
        { vin: 'bad', store: 'north' },
        { vin: 'JHMCM56557C404453', store: 'north', year: '1900' },
      ),
    );
    expect(r.problems.map((p) => [p.row, p.field])).toEqual([
      [2, 'vin'],
      [3, 'year'],
    ]);
  });
});
