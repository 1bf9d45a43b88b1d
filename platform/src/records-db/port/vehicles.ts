import type { Customer, VehicleRecord } from './model.js';

export type NewVehicle = Omit<
  VehicleRecord,
  'id' | 'createdMs' | 'disabled' | 'sharedStoreIds' | 'groupIds'
>;

/**
 * Which vehicles a caller may see: those of the organisations it holds organisation-wide
 * grants in, those whose home store or shared stores are among `storeIds`, those in the
 * groups `groupIds`.
 */
export interface VehicleScope {
  readonly orgIds: readonly string[];
  readonly storeIds: readonly string[];
  readonly groupIds: readonly string[];
}

/** One row of a vehicle import: the vehicle and, when given, its owner. */
export interface VehicleImportRow {
  readonly vehicle: Omit<NewVehicle, 'customerId' | 'orgId'>;
  /** Found by mobile in the organisation, else created. */
  readonly owner?: Omit<Customer, 'id' | 'createdMs' | 'orgId'>;
}

export interface VehicleBook {
  /** Throws RecordConflictError (field `vin` or `deviceId`) when either is taken. */
  createVehicle(input: NewVehicle): Promise<VehicleRecord>;
  getVehicle(id: string): Promise<VehicleRecord | undefined>;
  getVehicleByDevice(deviceId: string): Promise<VehicleRecord | undefined>;
  getVehicleByVin(vin: string): Promise<VehicleRecord | undefined>;
  /** The vehicles the scope covers, disabled ones included, by plate then VIN. */
  listVehicles(scope: VehicleScope): Promise<VehicleRecord[]>;
  /** Binds the device to the vehicle (undefined unbinds). RecordConflictError when taken. */
  bindDevice(vehicleId: string, deviceId: string | undefined): Promise<VehicleRecord | undefined>;
  /** Idempotent. */
  shareVehicle(vehicleId: string, storeId: string): Promise<void>;
  unshareVehicle(vehicleId: string, storeId: string): Promise<void>;
  setVehicleDisabled(id: string, disabled: boolean): Promise<VehicleRecord | undefined>;
  /**
   * All rows or none, in one transaction: the vehicles (and owners not yet known by mobile)
   * of one organisation. A conflict throws RecordConflictError naming the row (0-based) and
   * field, and nothing is written.
   */
  importVehicles(orgId: string, rows: readonly VehicleImportRow[]): Promise<VehicleRecord[]>;
}
