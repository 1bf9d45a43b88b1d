import { generateSecret, hashSecret } from '@fleetline/gateway';
import type { DeviceRecord, DeviceRegistry } from '@fleetline/platform';
import { FleetlineError, isValidDeviceId } from '@fleetline/proto';

/** What `fleetline devices add` prints: the only time the secret is ever shown. */
export interface NewDeviceCredentials {
  deviceId: string;
  /** The MQTT username: the device id. */
  username: string;
  password: string;
}

/** A device administration request that cannot be done, with a stable code. */
export class DeviceAdminError extends FleetlineError {
  constructor(code: 'DEVICE_ID_INVALID' | 'DEVICE_EXISTS' | 'DEVICE_UNKNOWN', message: string) {
    super(code, message);
  }
}

/** Registers a device with a new secret; the registry keeps only the secret's hash. */
export async function addDevice(
  telemetryDb: DeviceRegistry,
  deviceId: string,
): Promise<NewDeviceCredentials> {
  if (!isValidDeviceId(deviceId)) {
    throw new DeviceAdminError(
      'DEVICE_ID_INVALID',
      `"${deviceId}" is not a device id (1-64 of A-Z a-z 0-9 _ . -, starting with a letter or digit)`,
    );
  }
  const password = generateSecret();
  const added = await telemetryDb.addDevice({
    deviceId,
    secretHash: await hashSecret(password),
    createdMs: Date.now(),
  });
  if (!added)
    throw new DeviceAdminError('DEVICE_EXISTS', `device ${deviceId} is registered already`);
  return { deviceId, username: deviceId, password };
}

export async function revokeDevice(telemetryDb: DeviceRegistry, deviceId: string): Promise<void> {
  if (!(await telemetryDb.revokeDevice(deviceId, Date.now()))) {
    throw new DeviceAdminError('DEVICE_UNKNOWN', `no device ${deviceId} is registered`);
  }
}

/** The registry as the CLI lists it: never the hash. */
export async function listDevices(
  telemetryDb: DeviceRegistry,
): Promise<{ deviceId: string; created: string; revoked: string | null }[]> {
  return (await telemetryDb.listDevices()).map((d: DeviceRecord) => ({
    deviceId: d.deviceId,
    created: new Date(d.createdMs).toISOString(),
    revoked: d.revokedMs === undefined ? null : new Date(d.revokedMs).toISOString(),
  }));
}
