import type Database from 'better-sqlite3';
import type { DeviceStatusRow, DeviceStatusTable } from '../port/status.js';

/** Each device's last reported status: an upsert that keeps the newer report. */
export class SqliteDeviceStatus implements DeviceStatusTable {
  private readonly record;
  private readonly get;

  constructor(db: Database.Database) {
    this.record = db.prepare(
      'INSERT INTO device_status (device_id, state, t_ms, agent_version) VALUES (?, ?, ?, ?) ON CONFLICT (device_id) DO UPDATE SET state = excluded.state, t_ms = excluded.t_ms, agent_version = excluded.agent_version WHERE excluded.t_ms >= device_status.t_ms',
    );
    this.get = db.prepare<
      [string],
      { device_id: string; state: DeviceStatusRow['state']; t_ms: number; agent_version: string }
    >('SELECT device_id, state, t_ms, agent_version FROM device_status WHERE device_id = ?');
  }

  async recordStatus(status: DeviceStatusRow): Promise<void> {
    this.record.run(status.deviceId, status.state, status.timeMs, status.agentVersion);
  }

  async getStatus(deviceId: string): Promise<DeviceStatusRow | undefined> {
    const row = this.get.get(deviceId);
    return row
      ? {
          deviceId: row.device_id,
          state: row.state,
          timeMs: row.t_ms,
          agentVersion: row.agent_version,
        }
      : undefined;
  }
}
