import cassandra from 'cassandra-driver';
import type { DeviceStatusRow, DeviceStatusTable } from '../port/status.js';
import { run } from './io.js';

/** A device's status: one row per device, last-write-wins on its report time. */
export class CassandraDeviceStatus implements DeviceStatusTable {
  private readonly q;

  constructor(
    private readonly client: cassandra.Client,
    ks: string,
  ) {
    this.q = {
      recordStatus: `INSERT INTO ${ks}.device_status (device_id, state, t, agent_version) VALUES (?, ?, ?, ?) USING TIMESTAMP ?`,
      getStatus: `SELECT state, t, agent_version FROM ${ks}.device_status WHERE device_id = ?`,
    };
  }

  async recordStatus(status: DeviceStatusRow): Promise<void> {
    await run(
      () =>
        this.client.execute(this.q.recordStatus, [
          status.deviceId,
          status.state,
          new Date(status.timeMs),
          status.agentVersion,
          // The report time as the write time: an older report never replaces a newer one.
          cassandra.types.Long.fromNumber(status.timeMs * 1000),
        ]),
      'record a device status',
    );
  }

  async getStatus(deviceId: string): Promise<DeviceStatusRow | undefined> {
    const result = await run(
      () => this.client.execute(this.q.getStatus, [deviceId]),
      'read a device status',
    );
    const row = result.first();
    const t = row?.get('t') as Date | null | undefined;
    if (!row || !t) return undefined;
    return {
      deviceId,
      state: row.get('state') as DeviceStatusRow['state'],
      timeMs: t.getTime(),
      agentVersion: (row.get('agent_version') as string | null) ?? '',
    };
  }
}
