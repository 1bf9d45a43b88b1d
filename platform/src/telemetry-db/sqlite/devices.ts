import type Database from 'better-sqlite3';
import type { DeviceRecord, DeviceRegistry } from '../port/devices.js';
import type { ReadPool } from './read-pool.js';
import type { SqliteReadOps } from './reads.js';

interface DeviceRow {
  device_id: string;
  secret_hash: string;
  created_ms: number;
  revoked_ms: number | null;
}

const deviceOf = (r: DeviceRow): DeviceRecord => ({
  deviceId: r.device_id,
  secretHash: r.secret_hash,
  createdMs: r.created_ms,
  ...(r.revoked_ms === null ? {} : { revokedMs: r.revoked_ms }),
});

/** The device registry; the list of every device is read on a reader thread. */
export class SqliteDevices implements DeviceRegistry {
  private readonly add;
  private readonly get;
  private readonly revoke;

  constructor(
    db: Database.Database,
    private readonly reads: ReadPool<SqliteReadOps>,
  ) {
    this.add = db.prepare(
      'INSERT INTO devices (device_id, secret_hash, created_ms) VALUES (?, ?, ?) ON CONFLICT (device_id) DO NOTHING',
    );
    this.get = db.prepare<[string], DeviceRow>('SELECT * FROM devices WHERE device_id = ?');
    this.revoke = db.prepare(
      'UPDATE devices SET revoked_ms = coalesce(revoked_ms, ?) WHERE device_id = ?',
    );
  }

  async addDevice(record: DeviceRecord): Promise<boolean> {
    return this.add.run(record.deviceId, record.secretHash, record.createdMs).changes === 1;
  }

  async getDevice(deviceId: string): Promise<DeviceRecord | undefined> {
    const row = this.get.get(deviceId);
    return row ? deviceOf(row) : undefined;
  }

  async listDevices(): Promise<DeviceRecord[]> {
    return this.reads.run('listDevices', undefined);
  }

  async revokeDevice(deviceId: string, atMs: number): Promise<boolean> {
    return this.revoke.run(atMs, deviceId).changes === 1;
  }
}

/** The registry's reads on a reader thread's connection. */
export class DeviceReads {
  private readonly list;

  constructor(db: Database.Database) {
    this.list = db.prepare<[], DeviceRow>('SELECT * FROM devices ORDER BY device_id');
  }

  listDevices(): DeviceRecord[] {
    return this.list.all().map(deviceOf);
  }
}
