import type cassandra from 'cassandra-driver';
import type { DeviceRecord, DeviceRegistry } from '../port/devices.js';
import { allRows, run } from './io.js';

/**
 * The device registry: one row per device. Registering and revoking are lightweight
 * transactions, so two registrations of one id cannot both succeed.
 */
export class CassandraDevices implements DeviceRegistry {
  private readonly q;

  constructor(
    private readonly client: cassandra.Client,
    ks: string,
  ) {
    this.q = {
      addDevice: `INSERT INTO ${ks}.devices (device_id, secret_hash, created) VALUES (?, ?, ?) IF NOT EXISTS`,
      getDevice: `SELECT device_id, secret_hash, created, revoked FROM ${ks}.devices WHERE device_id = ?`,
      listDevices: `SELECT device_id, secret_hash, created, revoked FROM ${ks}.devices`,
      revokeDevice: `UPDATE ${ks}.devices SET revoked = ? WHERE device_id = ? IF EXISTS`,
    };
  }

  async addDevice(record: DeviceRecord): Promise<boolean> {
    // A lightweight transaction: two registrations of one id cannot both succeed. Not
    // idempotent (a retried success reads as "exists"), so the driver must not retry it.
    const result = await run(
      () =>
        this.client.execute(
          this.q.addDevice,
          [record.deviceId, record.secretHash, new Date(record.createdMs)],
          { isIdempotent: false },
        ),
      'add device',
    );
    return result.wasApplied();
  }

  async getDevice(deviceId: string): Promise<DeviceRecord | undefined> {
    const result = await run(() => this.client.execute(this.q.getDevice, [deviceId]), 'get device');
    const row = result.first();
    return row ? deviceOfRow(row) : undefined;
  }

  async listDevices(): Promise<DeviceRecord[]> {
    const rows = await allRows(this.client, this.q.listDevices, 'list devices');
    return rows
      .map(deviceOfRow)
      .sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0));
  }

  async revokeDevice(deviceId: string, atMs: number): Promise<boolean> {
    const existing = await this.getDevice(deviceId);
    if (!existing) return false;
    if (existing.revokedMs !== undefined) return true; // the first revocation time stands
    const result = await run(
      () =>
        this.client.execute(this.q.revokeDevice, [new Date(atMs), deviceId], {
          isIdempotent: false,
        }),
      'revoke device',
    );
    return result.wasApplied();
  }
}

function deviceOfRow(row: cassandra.types.Row): DeviceRecord {
  const revoked = row.get('revoked') as Date | null;
  return {
    deviceId: row.get('device_id') as string,
    secretHash: row.get('secret_hash') as string,
    createdMs: (row.get('created') as Date).getTime(),
    ...(revoked ? { revokedMs: revoked.getTime() } : {}),
  };
}
