/** The vehicles heard from, and when each was last. */

export interface VehicleSeen {
  readonly deviceId: string;
  /** Epoch ms when the vehicle was last heard from. */
  readonly lastSeenMs: number;
}

export interface VehicleTable {
  /** Records that vehicles were heard from; a vehicle's lastSeen only ever moves forward. */
  markSeen(vehicles: readonly VehicleSeen[]): Promise<void>;
  listVehicles(): Promise<VehicleSeen[]>;
  /** One vehicle, read by its id; undefined when it has never been marked seen. */
  getVehicle(deviceId: string): Promise<VehicleSeen | undefined>;
}
