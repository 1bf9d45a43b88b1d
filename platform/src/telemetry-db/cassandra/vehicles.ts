import cassandra from 'cassandra-driver';
import type { VehicleSeen, VehicleTable } from '../port/vehicles.js';
import { allRows, CONCURRENCY, run } from './io.js';

/**
 * Vehicles and when they were last seen: one row per vehicle, last-write-wins on the time
 * itself (USING TIMESTAMP), so a late or replayed write never moves it backwards.
 */
export class CassandraVehicles implements VehicleTable {
  private readonly q;

  constructor(
    private readonly client: cassandra.Client,
    ks: string,
  ) {
    this.q = {
      markSeen: `UPDATE ${ks}.vehicles USING TIMESTAMP ? SET last_seen = ? WHERE device_id = ?`,
      listVehicles: `SELECT device_id, last_seen FROM ${ks}.vehicles`,
      getVehicle: `SELECT last_seen FROM ${ks}.vehicles WHERE device_id = ?`,
    };
  }

  async markSeen(vehicles: readonly VehicleSeen[]): Promise<void> {
    if (vehicles.length === 0) return;
    await run(
      () =>
        cassandra.concurrent.executeConcurrent(
          this.client,
          this.q.markSeen,
          vehicles.map((v) => [
            cassandra.types.Long.fromNumber(v.lastSeenMs * 1000),
            new Date(v.lastSeenMs),
            v.deviceId,
          ]),
          { concurrencyLevel: CONCURRENCY },
        ),
      `mark ${vehicles.length} vehicles seen`,
    );
  }

  async listVehicles(): Promise<VehicleSeen[]> {
    const out: VehicleSeen[] = [];
    const rows = await allRows(this.client, this.q.listVehicles, 'list vehicles');
    for (const row of rows) {
      const lastSeen = row.get('last_seen') as Date | null;
      if (lastSeen)
        out.push({ deviceId: row.get('device_id') as string, lastSeenMs: lastSeen.getTime() });
    }
    return out.sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0));
  }

  async getVehicle(deviceId: string): Promise<VehicleSeen | undefined> {
    const result = await run(
      () => this.client.execute(this.q.getVehicle, [deviceId]),
      'read a vehicle',
    );
    const lastSeen = result.first()?.get('last_seen') as Date | null | undefined;
    return lastSeen ? { deviceId, lastSeenMs: lastSeen.getTime() } : undefined;
  }
}
