import type Database from 'better-sqlite3';
import type { ServicePlanRow, ServiceRecordRow, ServiceTable } from '../port/services.js';
import type { ReadPool } from './read-pool.js';
import type { SqliteReadOps } from './reads.js';

interface ServicePlanTableRow {
  device_id: string;
  interval_km: number;
  interval_days: number;
  ahead_km: number;
  ahead_days: number;
  updated_ms: number;
  updated_by: string;
}

interface ServiceRecordTableRow {
  device_id: string;
  service_id: string;
  t_ms: number;
  odometer_km: number;
  done_by: string;
  note: string;
}

/** Service plans (one row per vehicle, replaced) and services done (one row per id, kept). */
export class SqliteServices implements ServiceTable {
  private readonly setPlan;
  private readonly getPlan;
  private readonly record;

  constructor(
    db: Database.Database,
    private readonly reads: ReadPool<SqliteReadOps>,
  ) {
    this.setPlan = db.prepare(
      'INSERT INTO service_plans (device_id, interval_km, interval_days, ahead_km, ahead_days, updated_ms, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (device_id) DO UPDATE SET interval_km = excluded.interval_km, interval_days = excluded.interval_days, ahead_km = excluded.ahead_km, ahead_days = excluded.ahead_days, updated_ms = excluded.updated_ms, updated_by = excluded.updated_by',
    );
    this.getPlan = db.prepare<[string], ServicePlanTableRow>(
      'SELECT * FROM service_plans WHERE device_id = ?',
    );
    this.record = db.prepare(
      'INSERT INTO service_records (device_id, service_id, t_ms, odometer_km, done_by, note) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (device_id, service_id) DO NOTHING',
    );
  }

  async setServicePlan(p: ServicePlanRow): Promise<void> {
    this.setPlan.run(
      p.deviceId,
      p.intervalKm,
      p.intervalDays,
      p.aheadKm,
      p.aheadDays,
      p.updatedMs,
      p.updatedBy,
    );
  }

  async getServicePlan(deviceId: string): Promise<ServicePlanRow | undefined> {
    const r = this.getPlan.get(deviceId);
    return r
      ? {
          deviceId: r.device_id,
          intervalKm: r.interval_km,
          intervalDays: r.interval_days,
          aheadKm: r.ahead_km,
          aheadDays: r.ahead_days,
          updatedMs: r.updated_ms,
          updatedBy: r.updated_by,
        }
      : undefined;
  }

  async recordService(r: ServiceRecordRow): Promise<void> {
    this.record.run(r.deviceId, r.serviceId, r.timeMs, r.odometerKm, r.by, r.note);
  }

  async listServices(deviceId: string, limit: number): Promise<ServiceRecordRow[]> {
    return this.reads.run('listServices', { deviceId, limit });
  }
}

/** The services' reads on a reader thread's connection. */
export class ServiceReads {
  private readonly list;

  constructor(db: Database.Database) {
    this.list = db.prepare<[string, number], ServiceRecordTableRow>(
      'SELECT * FROM service_records WHERE device_id = ? ORDER BY t_ms DESC, service_id LIMIT ?',
    );
  }

  listServices(q: { deviceId: string; limit: number }): ServiceRecordRow[] {
    return this.list.all(q.deviceId, Math.max(0, q.limit)).map((r) => ({
      deviceId: r.device_id,
      serviceId: r.service_id,
      timeMs: r.t_ms,
      odometerKm: r.odometer_km,
      by: r.done_by,
      note: r.note,
    }));
  }
}
