import { type Customer, quoted, type Store, type VehicleRecord } from '@fleetline/platform';
import {
  type CheckedVehicle,
  checkVehicleFields,
  type FieldProblem,
  type OwnerInput,
  type RawVehicle,
  type ValidFields,
  type VehicleField,
} from './vehicle-fields.js';

/**
 * The vehicles of an import, checked against each other and against what the records hold
 * already — pure: the command fetches what is needed (the organisation's stores, customers
 * and vehicles, the vehicles elsewhere that hold a VIN or device of the file) and passes it
 * in. Each row comes out new (to be written), unchanged (there already with the same values:
 * a re-import changes nothing) or with its problems.
 */

/** What the records hold that the rows are checked against. */
export interface ExistingRecords {
  readonly orgId: string;
  /** The organisation's stores. */
  readonly stores: readonly Store[];
  /** The organisation's customers. */
  readonly customers: readonly Customer[];
  /** Every vehicle (any organisation) whose VIN or device id a row names. */
  readonly vehicles: readonly VehicleRecord[];
}

export interface RowInput {
  /** The row as people count it (a spreadsheet's header is row 1). */
  readonly row: number;
  readonly raw: RawVehicle;
}

export interface RowProblem extends FieldProblem {
  readonly row: number;
}

export type RowOutcome =
  | {
      readonly row: number;
      readonly status: 'new';
      readonly vehicle: CheckedVehicle;
      readonly storeId: string;
    }
  | { readonly row: number; readonly status: 'unchanged'; readonly vehicleId: string }
  | { readonly row: number; readonly status: 'invalid' };

export interface RowsChecked {
  readonly outcomes: readonly RowOutcome[];
  readonly problems: readonly RowProblem[];
}

/** What differs between a row and the vehicle of its VIN, as `field: stored → given`. */
function differences(
  v: CheckedVehicle,
  existing: VehicleRecord,
  storedHome: string | undefined,
  owner: Customer | undefined,
): string[] {
  const show = (x: string | number | undefined) => (x === undefined ? '(none)' : quoted(String(x)));
  const pairs: [string, string | number | undefined, string | number | undefined][] = [
    ['home store', storedHome ?? existing.homeStoreId, v.storeCode],
    ['plate', existing.plate, v.plate],
    ['make', existing.make, v.make],
    ['model', existing.model, v.model],
    ['year', existing.year, v.year],
    ['device', existing.deviceId, v.deviceId],
    ['owner', owner?.name, v.owner?.name],
    ['owner mobile', owner?.mobile, v.owner?.mobile],
    ['owner kind', owner?.kind, v.owner?.kind],
  ];
  return pairs.filter(([, a, b]) => a !== b).map(([f, a, b]) => `${f} ${show(a)} → ${show(b)}`);
}

class RowChecker {
  readonly problems: RowProblem[] = [];
  private readonly storesByCode: Map<string, Store>;
  private readonly storeCodes: Map<string, string>;
  private readonly byVin: Map<string, VehicleRecord>;
  private readonly byDevice: Map<string, VehicleRecord>;
  private readonly customers: Map<string, Customer>;
  private readonly customersByMobile: Map<string, Customer>;
  // First row of the file naming each VIN, device and owner mobile.
  private readonly fileVins = new Map<string, number>();
  private readonly fileDevices = new Map<string, number>();
  private readonly fileOwners = new Map<string, { row: number; owner: OwnerInput }>();

  constructor(private readonly existing: ExistingRecords) {
    this.storesByCode = new Map(existing.stores.map((s) => [s.code, s]));
    this.storeCodes = new Map(existing.stores.map((s) => [s.id, s.code]));
    this.byVin = new Map(existing.vehicles.map((v) => [v.vin, v]));
    this.byDevice = new Map(
      existing.vehicles.flatMap((v) => (v.deviceId === undefined ? [] : [[v.deviceId, v]])),
    );
    this.customers = new Map(existing.customers.map((c) => [c.id, c]));
    this.customersByMobile = new Map(
      existing.customers.flatMap((c) => (c.mobile === undefined ? [] : [[c.mobile, c]])),
    );
  }

  private problem(row: number, field: VehicleField, reason: string): void {
    this.problems.push({ row, field, reason });
  }

  private store(row: number, code: string): Store | undefined {
    const store = this.storesByCode.get(code);
    if (!store) {
      const known = [...this.storesByCode.keys()].join(', ') || '(none)';
      this.problem(
        row,
        'store',
        `no store ${quoted(code)} in the organisation: its stores are ${known}`,
      );
    } else if (store.disabled) {
      this.problem(row, 'store', `store ${quoted(code)} is disabled`);
    }
    return store;
  }

  /** Notes a second row naming what an earlier row named; true when it is a repeat. */
  private repeated(
    seen: Map<string, number>,
    key: string,
    row: number,
    field: VehicleField,
    what: string,
  ): boolean {
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, row);
      return false;
    }
    this.problem(row, field, `${what} ${quoted(key)} is on row ${first} already`);
    return true;
  }

  private ownerConflicts(row: number, owner: OwnerInput | undefined): void {
    if (owner?.mobile === undefined) return;
    const earlier = this.fileOwners.get(owner.mobile);
    if (earlier && (earlier.owner.name !== owner.name || earlier.owner.kind !== owner.kind)) {
      this.problem(
        row,
        'owner_name',
        `owner mobile ${owner.mobile} is ${quoted(earlier.owner.name)} on row ${earlier.row}: one mobile, one owner`,
      );
    } else if (!earlier) this.fileOwners.set(owner.mobile, { row, owner });
    const known = this.customersByMobile.get(owner.mobile);
    if (known && (known.name !== owner.name || known.kind !== owner.kind)) {
      this.problem(
        row,
        'owner_name',
        `owner mobile ${owner.mobile} belongs to the customer ${quoted(known.name)} (${known.kind}) already: write the owner as stored`,
      );
    }
  }

  /** The device's vehicle, when it is another than the row's VIN. */
  private deviceTaken(row: number, fields: ValidFields): void {
    const holder = fields.deviceId === undefined ? undefined : this.byDevice.get(fields.deviceId);
    if (holder && holder.vin !== fields.vin) {
      this.problem(
        row,
        'device_id',
        `device ${quoted(fields.deviceId ?? '')} is installed in the vehicle ${holder.vin} already: unbind it there first`,
      );
    }
  }

  /** The vehicle of the VIN, when it is of another organisation or has other values. */
  private vinTaken(
    row: number,
    fields: ValidFields,
    vehicle: CheckedVehicle | undefined,
  ): VehicleRecord | undefined {
    const existing = fields.vin === undefined ? undefined : this.byVin.get(fields.vin);
    if (!existing) return undefined;
    if (existing.orgId !== this.existing.orgId) {
      this.problem(row, 'vin', `VIN ${existing.vin} is registered to another organisation`);
    } else if (vehicle) {
      const owner =
        existing.customerId === undefined ? undefined : this.customers.get(existing.customerId);
      const diff = differences(vehicle, existing, this.storeCodes.get(existing.homeStoreId), owner);
      if (diff.length > 0) {
        this.problem(
          row,
          'vin',
          `VIN ${existing.vin} is registered already with other values (${diff.join(', ')}): change it in the records, not by import`,
        );
      }
    }
    return existing;
  }

  check(input: RowInput, nowYear: number): RowOutcome {
    const { row } = input;
    const before = this.problems.length;
    const { vehicle, fields, problems } = checkVehicleFields(input.raw, nowYear);
    for (const p of problems) this.problem(row, p.field, p.reason);
    // What is valid of a row is checked further too: one report shows all its problems.
    const store = fields.storeCode === undefined ? undefined : this.store(row, fields.storeCode);
    if (fields.vin !== undefined) this.repeated(this.fileVins, fields.vin, row, 'vin', 'VIN');
    if (fields.deviceId !== undefined)
      this.repeated(this.fileDevices, fields.deviceId, row, 'device_id', 'device');
    this.ownerConflicts(row, fields.owner);
    this.deviceTaken(row, fields);
    const existing = this.vinTaken(row, fields, vehicle);
    if (!vehicle || !store || this.problems.length > before) return { row, status: 'invalid' };
    return existing
      ? { row, status: 'unchanged', vehicleId: existing.id }
      : { row, status: 'new', vehicle, storeId: store.id };
  }
}

/** Checks every row (all of them: the report lists every problem at once). */
export function checkRows(
  rows: readonly RowInput[],
  existing: ExistingRecords,
  nowYear: number,
): RowsChecked {
  const checker = new RowChecker(existing);
  const outcomes = rows.map((r) => checker.check(r, nowYear));
  return { outcomes, problems: checker.problems };
}
