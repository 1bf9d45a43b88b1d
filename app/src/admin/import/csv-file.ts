import { quoted } from '@fleetline/platform';
import { CsvError, parse } from 'csv-parse/sync';
import type { RowInput } from './check-rows.js';
import { type VehicleField, vehicleFields } from './vehicle-fields.js';

/**
 * A vehicle spreadsheet saved as CSV, read into rows of fields. The header row names the
 * columns, in English (vin, plate, …) or as Chinese dealers' sheets do (车架号, 车牌号, …);
 * columns it does not know are ignored and listed. Rows are numbered as the spreadsheet
 * shows them: the header is row 1, and blank rows keep their numbers (but are skipped).
 */

/** Larger than any dealer's fleet sheet; keeps a wrong file from filling memory. */
export const MAX_CSV_BYTES = 16 * 1024 * 1024;
export const MAX_CSV_ROWS = 50_000;

/** A problem of the file as a person finds it: the row, the column as the header names it. */
export interface ReportLine {
  readonly row: number;
  readonly column: string;
  readonly reason: string;
}

export interface VehicleCsv {
  readonly rows: readonly RowInput[];
  /** The header text of each known column, for reports. */
  readonly columns: ReadonlyMap<VehicleField, string>;
  /** Headers of columns it does not know (their cells are not read). */
  readonly ignored: readonly string[];
  /** Rows that could not be split into the header's columns. */
  readonly problems: readonly ReportLine[];
}

// Headers are matched after normalisation: NFKC (full-width letters and brackets become
// ASCII), lower case, without blanks and the punctuation people put in headers.
const headerKey = (h: string): string =>
  h
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-/().:：、·]/g, '');

const aliases: Readonly<Record<VehicleField, readonly string[]>> = {
  vin: [
    'vin',
    '车架号',
    '车架号vin',
    'vin码',
    '车辆识别代号',
    '车辆识别代码',
    '车辆识别号',
    '底盘号',
  ],
  plate: ['plate', 'plateno', 'licenseplate', '车牌号', '车牌', '车牌号码'],
  make: ['make', 'brand', '品牌', '厂牌'],
  model: ['model', '车型', '型号', '车系'],
  year: ['year', 'modelyear', '年份', '年款', '车型年份'],
  device_id: ['deviceid', 'device', '设备号', '设备id', '设备编号', '终端号', '终端编号'],
  store: ['store', 'storecode', '门店', '门店代码', '门店编码', '门店编号', '所属门店'],
  owner_name: ['ownername', 'owner', '车主姓名', '车主', '车主名称', '客户名称', '客户姓名'],
  owner_mobile: [
    'ownermobile',
    'mobile',
    '车主手机',
    '车主手机号',
    '手机',
    '手机号',
    '手机号码',
    '车主电话',
    '联系电话',
  ],
  owner_kind: ['ownerkind', '车主类型', '客户类型'],
};

const fieldOfHeader = new Map<string, VehicleField>(
  vehicleFields.flatMap((f) => aliases[f].map((a) => [headerKey(a), f] as const)),
);

export type CsvRead =
  | { readonly ok: true; readonly csv: VehicleCsv }
  | { readonly ok: false; readonly problems: readonly ReportLine[] };

const fail = (row: number, column: string, reason: string): CsvRead => ({
  ok: false,
  problems: [{ row, column, reason }],
});

function decode(bytes: Uint8Array): string | undefined {
  try {
    // fatal: a GBK file (what Excel saves as "CSV" on a Chinese Windows) is refused, not
    // turned into replacement characters; the BOM Excel's "CSV UTF-8" writes is dropped.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function parseRecords(text: string): string[][] | ReportLine {
  try {
    return parse(text, {
      relax_column_count: true,
      skip_empty_lines: false,
      max_record_size: 65_536,
      to: MAX_CSV_ROWS + 2,
    }) as string[][];
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    const records = (err as CsvError & { records?: number }).records ?? 0;
    return { row: records + 1, column: '', reason: `not valid CSV: ${err.message}` };
  }
}

function mapHeader(
  header: readonly string[],
):
  | { columns: Map<VehicleField, string>; index: Map<VehicleField, number>; ignored: string[] }
  | ReportLine {
  const columns = new Map<VehicleField, string>();
  const index = new Map<VehicleField, number>();
  const ignored: string[] = [];
  for (const [i, text] of header.entries()) {
    const field = fieldOfHeader.get(headerKey(text));
    if (field === undefined) {
      if (text.trim() !== '') ignored.push(text.trim());
      continue;
    }
    const before = columns.get(field);
    if (before !== undefined) {
      return {
        row: 1,
        column: text,
        reason: `the columns ${quoted(before)} and ${quoted(text)} are both the ${field} column: keep one`,
      };
    }
    columns.set(field, text.trim());
    index.set(field, i);
  }
  for (const field of ['vin', 'store'] as const) {
    if (!index.has(field)) {
      return {
        row: 1,
        column: field,
        reason: `no ${field} column: the header row needs one (${aliases[field].slice(0, 3).join(', ')}, …)`,
      };
    }
  }
  return { columns, index, ignored };
}

/** Reads the file's bytes; every problem found is a report line, with its row. */
export function readVehicleCsv(bytes: Uint8Array): CsvRead {
  if (bytes.length > MAX_CSV_BYTES)
    return fail(
      1,
      '',
      `the file has ${bytes.length} bytes, at most ${MAX_CSV_BYTES} are read: split it`,
    );
  const text = decode(bytes);
  if (text === undefined)
    return fail(
      1,
      '',
      'the file is not UTF-8 text: save it as "CSV UTF-8" (Excel: Save As → CSV UTF-8)',
    );
  const records = parseRecords(text);
  if (!Array.isArray(records)) return { ok: false, problems: [records] };
  const [header, ...data] = records;
  if (header === undefined || header.every((h) => h.trim() === ''))
    return fail(1, '', 'the file is empty: the first row must name the columns (vin, store, …)');
  if (data.length > MAX_CSV_ROWS)
    return fail(MAX_CSV_ROWS + 2, '', `more than ${MAX_CSV_ROWS} vehicles: split the file`);
  const mapped = mapHeader(header);
  if (!('index' in mapped)) return { ok: false, problems: [mapped] };
  const rows: RowInput[] = [];
  const problems: ReportLine[] = [];
  for (const [i, cells] of data.entries()) {
    const row = i + 2;
    if (cells.every((c) => c.trim() === '')) continue; // a blank row, or ",,,," Excel leaves
    if (cells.length > header.length) {
      problems.push({
        row,
        column: '',
        reason: `${cells.length} cells, the header has ${header.length} columns: a value with a comma needs quotes`,
      });
      continue;
    }
    const raw: Partial<Record<VehicleField, string>> = {};
    for (const [field, col] of mapped.index) raw[field] = cells[col] ?? '';
    rows.push({ row, raw });
  }
  return { ok: true, csv: { rows, columns: mapped.columns, ignored: mapped.ignored, problems } };
}
