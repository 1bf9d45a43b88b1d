import { describe, expect, it } from 'vitest';
import { MAX_CSV_ROWS, readVehicleCsv } from '../../../src/admin/import/csv-file.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

function read(text: string) {
  const r = readVehicleCsv(bytes(text));
  if (!r.ok) throw new Error(`expected a table, got ${JSON.stringify(r.problems)}`);
  return r.csv;
}

describe('readVehicleCsv', () => {
  it('should read the English header and number rows as the spreadsheet does', () => {
    const csv = read(
      'vin,plate,make,model,year,device_id,store,owner_name,owner_mobile,owner_kind\n' +
        '1M8GDM9AXKP042788,粤B D0001,Toyota,Camry,2019,dev-1,north,张三,13800138000,person\n' +
        '\n' + // a blank row keeps its number
        '1HGCM82633A004352,,,,,,south,,,\n',
    );
    expect(csv.rows.map((r) => r.row)).toEqual([2, 4]);
    expect(csv.rows[0]?.raw).toEqual({
      vin: '1M8GDM9AXKP042788',
      plate: '粤B D0001',
      make: 'Toyota',
      model: 'Camry',
      year: '2019',
      device_id: 'dev-1',
      store: 'north',
      owner_name: '张三',
      owner_mobile: '13800138000',
      owner_kind: 'person',
    });
    expect(csv.ignored).toEqual([]);
    expect(csv.problems).toEqual([]);
  });

  it('should take Chinese headers, a UTF-8 BOM, CRLF line ends and list unknown columns', () => {
    const csv = read(
      '\ufeff车架号/VIN,车牌号,品牌,车型,年份,设备号,门店,车主姓名,车主手机,备注\r\n' +
        '1M8GDM9AXKP042788,京A·12345,比亚迪,汉,2022,dev-2,north,李四,139 0000 0000,老客户\r\n',
    );
    expect(csv.columns.get('vin')).toBe('车架号/VIN');
    expect(csv.columns.get('owner_mobile')).toBe('车主手机');
    expect(csv.ignored).toEqual(['备注']);
    expect(csv.rows[0]?.raw).toMatchObject({
      vin: '1M8GDM9AXKP042788',
      make: '比亚迪',
      store: 'north',
    });
  });

  it('should match headers whatever their case, blanks, full-width brackets and underscores', () => {
    const csv = read(' VIN ,Device ID,Store_Code\n1M8GDM9AXKP042788,d,north\n');
    expect([...csv.columns.keys()].sort()).toEqual(['device_id', 'store', 'vin']);
    expect(read('车架号（VIN）,门店编码\nx,y\n').columns.get('vin')).toBe('车架号（VIN）');
  });

  it('should keep a quoted comma, quote and newline inside one cell, and give the row its first line', () => {
    const csv = read(
      'vin,store,owner_name\n"1M8GDM9AXKP042788",north,"Wang, ""Big"" Co\nLtd"\nX,south,y\n',
    );
    expect(csv.rows[0]?.raw.owner_name).toBe('Wang, "Big" Co\nLtd');
    expect(csv.rows.map((r) => r.row)).toEqual([2, 3]);
  });

  it('should refuse a file that is not UTF-8 and say how to save it', () => {
    // 张三 in GBK, as Excel on a Chinese Windows saves "CSV".
    const gbk = new Uint8Array([
      ...bytes('vin,store,owner_name\nX,north,'),
      0xd5,
      0xc5,
      0xc8,
      0xfd,
      0x0a,
    ]);
    const r = readVehicleCsv(gbk);
    expect(r).toMatchObject({
      ok: false,
      problems: [{ row: 1, reason: expect.stringContaining('CSV UTF-8') }],
    });
  });

  it.each([
    ['', 'the file is empty'],
    ['plate,make\nA,B\n', 'no vin column'],
    ['vin,plate\nA,B\n', 'no store column'],
    ['vin,VIN,store\n', 'are both the vin column'],
  ])('should refuse the header of %j on row 1', (text, reason) => {
    const r = readVehicleCsv(bytes(text));
    expect(r).toMatchObject({
      ok: false,
      problems: [{ row: 1, reason: expect.stringContaining(reason) }],
    });
  });

  it('should name the row of an unclosed quote', () => {
    const r = readVehicleCsv(bytes('vin,store\nA,north\nB,south\n"C,north\n'));
    expect(r).toMatchObject({
      ok: false,
      problems: [{ row: 4, reason: expect.stringContaining('not valid CSV') }],
    });
  });

  it('should report a row with more cells than the header and keep reading the others', () => {
    const csv = read('vin,store\nA,north,extra\nB,south\n');
    expect(csv.problems).toEqual([
      { row: 2, column: '', reason: expect.stringContaining('3 cells, the header has 2') },
    ]);
    expect(csv.rows.map((r) => r.row)).toEqual([3]);
  });

  it('should refuse more rows than an import takes', () => {
    const text = `vin,store\n${'A,north\n'.repeat(MAX_CSV_ROWS + 1)}`;
    expect(readVehicleCsv(bytes(text))).toMatchObject({
      ok: false,
      problems: [{ reason: expect.stringContaining('split the file') }],
    });
  });
});
