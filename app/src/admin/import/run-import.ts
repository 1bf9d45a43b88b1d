import {
  RecordConflictError,
  type RecordsDb,
  type VehicleImportRow,
  type VehicleRecord,
} from '@fleetline/platform';
import { checkRows, type ExistingRecords, type RowInput, type RowOutcome } from './check-rows.js';
import type { ReportLine, VehicleCsv } from './csv-file.js';
import type { CheckedVehicle, VehicleField } from './vehicle-fields.js';

/**
 * An import's records work: fetch what the rows are checked against, check, and (when no row
 * has a problem) write the new vehicles in one transaction.
 */

export interface ImportResult {
  /** Data rows read (blank rows not counted). */
  readonly rows: number;
  readonly outcomes: readonly RowOutcome[];
  readonly problems: readonly ReportLine[];
  /** The vehicles written; empty on a dry run, with problems, or when nothing was new. */
  readonly created: readonly VehicleRecord[];
}

const lookupBatch = 50;

/** The organisation's records, and the vehicles elsewhere that hold a VIN or device a row names. */
export async function existingFor(
  db: RecordsDb,
  orgId: string,
  rows: readonly RowInput[],
): Promise<ExistingRecords> {
  const [stores, customers, own] = await Promise.all([
    db.listStores(orgId),
    db.listCustomers(orgId),
    db.listVehicles({ orgIds: [orgId], storeIds: [], groupIds: [] }),
  ]);
  const vins = new Set(own.map((v) => v.vin));
  const devices = new Set(own.flatMap((v) => (v.deviceId === undefined ? [] : [v.deviceId])));
  // Only what the organisation's list does not answer needs a look-up of its own.
  const lookups: (() => Promise<VehicleRecord | undefined>)[] = [];
  for (const { raw } of rows) {
    const vin = raw.vin?.trim().toUpperCase();
    const device = raw.device_id?.trim();
    if (vin && !vins.has(vin)) lookups.push(() => db.getVehicleByVin(vin));
    if (device && !devices.has(device)) lookups.push(() => db.getVehicleByDevice(device));
  }
  const others = new Map<string, VehicleRecord>();
  for (let i = 0; i < lookups.length; i += lookupBatch) {
    const found = await Promise.all(lookups.slice(i, i + lookupBatch).map((f) => f()));
    for (const v of found) if (v) others.set(v.id, v);
  }
  return { orgId, stores, customers, vehicles: [...own, ...others.values()] };
}

export const importRow = (v: CheckedVehicle, storeId: string): VehicleImportRow => ({
  vehicle: {
    vin: v.vin,
    homeStoreId: storeId,
    ...(v.plate === undefined ? {} : { plate: v.plate }),
    ...(v.make === undefined ? {} : { make: v.make }),
    ...(v.model === undefined ? {} : { model: v.model }),
    ...(v.year === undefined ? {} : { year: v.year }),
    ...(v.deviceId === undefined ? {} : { deviceId: v.deviceId }),
  },
  ...(v.owner === undefined ? {} : { owner: v.owner }),
});

/** Checks the file's rows and, unless `dryRun` or a problem, writes the new vehicles. */
export async function runImport(
  db: RecordsDb,
  orgId: string,
  csv: VehicleCsv,
  { dryRun, nowYear }: { dryRun: boolean; nowYear: number },
): Promise<ImportResult> {
  const existing = await existingFor(db, orgId, csv.rows);
  const checked = checkRows(csv.rows, existing, nowYear);
  const column = (field: VehicleField): string => csv.columns.get(field) ?? field;
  const problems: ReportLine[] = [
    ...csv.problems,
    ...checked.problems.map((p) => ({ row: p.row, column: column(p.field), reason: p.reason })),
  ].sort((a, b) => a.row - b.row);
  const result = {
    rows: csv.rows.length + csv.problems.length,
    outcomes: checked.outcomes,
    problems,
  };
  const fresh = checked.outcomes.flatMap((o) => (o.status === 'new' ? [o] : []));
  if (dryRun || problems.length > 0 || fresh.length === 0) return { ...result, created: [] };
  try {
    const created = await db.importVehicles(
      orgId,
      fresh.map((o) => importRow(o.vehicle, o.storeId)),
    );
    return { ...result, created };
  } catch (err) {
    // Another writer took a VIN or device between the check and the write: nothing written.
    if (!(err instanceof RecordConflictError) || err.row === undefined) throw err;
    const row = fresh[err.row]?.row ?? 0;
    const field: VehicleField = err.field === 'deviceId' ? 'device_id' : 'vin';
    return {
      ...result,
      created: [],
      problems: [{ row, column: column(field), reason: err.message }],
    };
  }
}
