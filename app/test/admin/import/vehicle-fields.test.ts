import { describe, expect, it } from 'vitest';
import { checkVehicleFields, type RawVehicle } from '../../../src/admin/import/vehicle-fields.js';

const year = 2025;
const base: RawVehicle = { vin: '1M8GDM9AXKP042788', store: 'north' };
const fieldsOf = (raw: RawVehicle) => checkVehicleFields(raw, year).problems.map((p) => p.field);

describe('checkVehicleFields', () => {
  it('should give the vehicle in canonical form', () => {
    const r = checkVehicleFields(
      {
        vin: ' 1m8gdm9axkp042788 ',
        plate: '粤b d0001',
        make: ' Toyota ',
        model: 'Camry',
        year: '2019',
        device_id: 'dev-0001',
        store: 'north',
        owner_name: '张三',
        owner_mobile: '138-0013-8000',
        owner_kind: '个人',
      },
      year,
    );
    expect(r.problems).toEqual([]);
    expect(r.fields).toEqual(r.vehicle);
    expect(r).toMatchObject({
      vehicle: {
        vin: '1M8GDM9AXKP042788',
        plate: '粤B D0001',
        make: 'Toyota',
        model: 'Camry',
        year: 2019,
        deviceId: 'dev-0001',
        storeCode: 'north',
        owner: { kind: 'person', name: '张三', mobile: '+8613800138000' },
      },
    });
  });

  it('should leave out blank optional fields, and take a company owner without a mobile', () => {
    const r = checkVehicleFields(
      { ...base, plate: ' ', owner_name: '顺风租赁', owner_kind: '公司' },
      year,
    );
    expect(r.problems).toEqual([]);
    expect(r.vehicle).toEqual({
      vin: base.vin,
      storeCode: 'north',
      owner: { kind: 'company', name: '顺风租赁' },
    });
  });

  it('should report every bad field of a row at once', () => {
    expect(
      fieldsOf({
        vin: '1M8GDM9A1KP042788',
        store: '',
        year: '1975',
        device_id: '../etc',
        owner_mobile: '12345',
      }),
    ).toEqual(['vin', 'year', 'device_id', 'store', 'owner_name', 'owner_mobile']);
  });

  it.each([
    [{ year: '1980' }, 'year'],
    [{ year: String(year + 2) }, 'year'],
    [{ year: '2019.5' }, 'year'],
    [{ year: '二〇一九' }, 'year'],
    [{ device_id: 'a'.repeat(65) }, 'device_id'],
    [{ device_id: 'dev 1' }, 'device_id'],
    [{ device_id: '-dev' }, 'device_id'],
    [{ plate: 'A'.repeat(17) }, 'plate'],
    [{ make: 'Toyota\u001b[2J' }, 'make'],
    [{ model: 'Camry\u202e' }, 'model'],
    [{ owner_name: 'Li\nSi' }, 'owner_name'],
    [{ owner_name: 'x', owner_kind: 'robot' }, 'owner_kind'],
    [{ owner_kind: 'person' }, 'owner_kind'],
    [{ owner_mobile: '13800138000' }, 'owner_name'],
    [{ vin: '' }, 'vin'],
    [{ store: 'no such/code' }, 'store'],
  ] as [RawVehicle, string][])('should refuse %j in the field %s', (change, field) => {
    expect(fieldsOf({ ...base, ...change })).toEqual([field]);
  });

  it('should accept the model years from 1981 to next year', () => {
    expect(fieldsOf({ ...base, year: '1981' })).toEqual([]);
    expect(fieldsOf({ ...base, year: String(year + 1) })).toEqual([]);
  });
});
