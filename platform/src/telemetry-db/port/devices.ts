/** The device registry: the devices allowed to connect. */

/** A device allowed to connect, with the hash of its secret (never the secret itself). */
export interface DeviceRecord {
  readonly deviceId: string;
  /** The secret's KDF output with its parameters (see the gateway's credentials module). */
  readonly secretHash: string;
  /** Epoch ms when the device was registered. */
  readonly createdMs: number;
  /** Epoch ms when the device was revoked; a revoked device may never connect again. */
  readonly revokedMs?: number;
}

export interface DeviceRegistry {
  /** Registers a device; false (and no change) when the id is registered already. */
  addDevice(record: DeviceRecord): Promise<boolean>;
  getDevice(deviceId: string): Promise<DeviceRecord | undefined>;
  /** Every registered device, revoked ones included, ordered by id. */
  listDevices(): Promise<DeviceRecord[]>;
  /** Revokes a device for good; false when no such device is registered. */
  revokeDevice(deviceId: string, atMs: number): Promise<boolean>;
}
