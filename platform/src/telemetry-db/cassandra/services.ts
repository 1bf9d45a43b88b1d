import type cassandra from 'cassandra-driver';
import type { ServicePlanRow, ServiceRecordRow, ServiceTable } from '../port/services.js';
import { eachPage, ROW_PAGE, run } from './io.js';

/**
 * Service plans: one row per vehicle, replaced whole. Service records: one partition per
 * vehicle, newest first by (time, service id), guarded by a row per (vehicle, service id)
 * written once (a lightweight transaction), so recording an id again — also with another
 * time — changes nothing.
 */
export class CassandraServices implements ServiceTable {
  private readonly q;

  constructor(
    private readonly client: cassandra.Client,
    ks: string,
  ) {
    this.q = {
      setServicePlan: `INSERT INTO ${ks}.service_plans (device_id, interval_km, interval_days, ahead_km, ahead_days, updated, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      getServicePlan: `SELECT interval_km, interval_days, ahead_km, ahead_days, updated, updated_by FROM ${ks}.service_plans WHERE device_id = ?`,
      claimService: `INSERT INTO ${ks}.service_records_by_id (device_id, service_id, t, odometer_km, done_by, note) VALUES (?, ?, ?, ?, ?, ?) IF NOT EXISTS`,
      writeService: `INSERT INTO ${ks}.service_records_by_device (device_id, t, service_id, odometer_km, done_by, note) VALUES (?, ?, ?, ?, ?, ?)`,
      listServices: `SELECT t, service_id, odometer_km, done_by, note FROM ${ks}.service_records_by_device WHERE device_id = ? LIMIT ?`,
    };
  }

  async setServicePlan(p: ServicePlanRow): Promise<void> {
    // Every column is written: the plan is replaced whole.
    await run(
      () =>
        this.client.execute(this.q.setServicePlan, [
          p.deviceId,
          p.intervalKm,
          p.intervalDays,
          p.aheadKm,
          p.aheadDays,
          new Date(p.updatedMs),
          p.updatedBy,
        ]),
      'set a service plan',
    );
  }

  async getServicePlan(deviceId: string): Promise<ServicePlanRow | undefined> {
    const result = await run(
      () => this.client.execute(this.q.getServicePlan, [deviceId]),
      'read a service plan',
    );
    const row = result.first();
    const updated = row?.get('updated') as Date | null | undefined;
    if (!row || !updated) return undefined;
    return {
      deviceId,
      intervalKm: row.get('interval_km') as number,
      intervalDays: row.get('interval_days') as number,
      aheadKm: row.get('ahead_km') as number,
      aheadDays: row.get('ahead_days') as number,
      updatedMs: updated.getTime(),
      updatedBy: (row.get('updated_by') as string | null) ?? '',
    };
  }

  async recordService(r: ServiceRecordRow): Promise<void> {
    // The first record of an id wins (IF NOT EXISTS); the listing row is then written from
    // whichever record holds the id, so recording again (a retry, or after a crash between
    // the two writes) writes the same listing row and nothing else. Retrying the claim is
    // harmless for the same reason, so it stays idempotent for the driver.
    const claim = await run(
      () =>
        this.client.execute(this.q.claimService, [
          r.deviceId,
          r.serviceId,
          new Date(r.timeMs),
          r.odometerKm,
          r.by,
          r.note,
        ]),
      'record a service',
    );
    const record = claim.wasApplied() ? r : claimedRecord(r, claim.first());
    await run(
      () =>
        this.client.execute(this.q.writeService, [
          record.deviceId,
          new Date(record.timeMs),
          record.serviceId,
          record.odometerKm,
          record.by,
          record.note,
        ]),
      'record a service',
    );
  }

  async listServices(deviceId: string, limit: number): Promise<ServiceRecordRow[]> {
    if (limit <= 0) return [];
    const out: ServiceRecordRow[] = [];
    await eachPage(
      this.client,
      this.q.listServices,
      [deviceId, limit],
      Math.min(ROW_PAGE, limit),
      'list services',
      (rows) => {
        for (const row of rows) {
          out.push({
            deviceId,
            serviceId: row.get('service_id') as string,
            timeMs: (row.get('t') as Date).getTime(),
            odometerKm: row.get('odometer_km') as number,
            by: (row.get('done_by') as string | null) ?? '',
            note: (row.get('note') as string | null) ?? '',
          });
        }
        return out.length >= limit;
      },
    );
    return out;
  }
}

/** The record that holds the id already (the row a refused IF NOT EXISTS answers with). */
function claimedRecord(r: ServiceRecordRow, row: cassandra.types.Row): ServiceRecordRow {
  return {
    deviceId: r.deviceId,
    serviceId: r.serviceId,
    timeMs: (row.get('t') as Date).getTime(),
    odometerKm: row.get('odometer_km') as number,
    by: (row.get('done_by') as string | null) ?? '',
    note: (row.get('note') as string | null) ?? '',
  };
}
