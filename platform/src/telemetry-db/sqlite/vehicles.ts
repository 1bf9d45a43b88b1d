import type Database from 'better-sqlite3';
import type { VehicleSeen, VehicleTable } from '../port/vehicles.js';
import type { ReadPool } from './read-pool.js';
import type { SqliteReadOps } from './reads.js';

/** When each vehicle was last heard from; the list is read on a reader thread. */
export class SqliteVehicles implements VehicleTable {
  private readonly markSeenStatement;
  private readonly getVehicleStatement;

  constructor(
    private readonly db: Database.Database,
    private readonly reads: ReadPool<SqliteReadOps>,
  ) {
    this.markSeenStatement = db.prepare(
      'INSERT INTO vehicles (device_id, last_seen_ms) VALUES (?, ?) ON CONFLICT (device_id) DO UPDATE SET last_seen_ms = max(last_seen_ms, excluded.last_seen_ms)',
    );
    this.getVehicleStatement = db.prepare<[string], { last_seen_ms: number }>(
      'SELECT last_seen_ms FROM vehicles WHERE device_id = ?',
    );
  }

  async markSeen(vehicles: readonly VehicleSeen[]): Promise<void> {
    this.db.transaction(() => {
      for (const v of vehicles) this.markSeenStatement.run(v.deviceId, v.lastSeenMs);
    })();
  }

  async listVehicles(): Promise<VehicleSeen[]> {
    return this.reads.run('listVehicles', undefined);
  }

  async getVehicle(deviceId: string): Promise<VehicleSeen | undefined> {
    const row = this.getVehicleStatement.get(deviceId);
    return row ? { deviceId, lastSeenMs: row.last_seen_ms } : undefined;
  }
}

/** The vehicles' reads on a reader thread's connection. */
export class VehicleReads {
  private readonly list;

  constructor(db: Database.Database) {
    this.list = db.prepare<[], { device_id: string; last_seen_ms: number }>(
      'SELECT device_id, last_seen_ms FROM vehicles ORDER BY device_id',
    );
  }

  listVehicles(): VehicleSeen[] {
    return this.list.all().map((r) => ({ deviceId: r.device_id, lastSeenMs: r.last_seen_ms }));
  }
}
