import { randomUUID } from 'node:crypto';
import { RecordConflictError } from '../../errors.js';
import type { VehicleRecord } from '../port/model.js';
import type { NewVehicle, VehicleBook, VehicleImportRow, VehicleScope } from '../port/vehicles.js';
import { insertCustomer } from './organisations.js';
import { type CustomerRow, type VehicleRow, vehicleOf } from './rows.js';
import { first, placeholders, type Sql, type SqlDialect, type SqlSession } from './sql.js';

/** A vehicle's columns with its shared stores and groups, in one row (`v` is the vehicle). */
const vehicleColumns = (d: SqlDialect) =>
  `v.*, ${d.jsonArray('SELECT store_id AS x FROM vehicle_shares s WHERE s.vehicle_id = v.id')} AS shared,
   ${d.jsonArray('SELECT group_id AS x FROM group_members g WHERE g.vehicle_id = v.id')} AS groups`;

/**
 * The ids a scope covers, as one subquery with its parameters; undefined when it covers
 * nothing. Each branch of the UNION is one indexed lookup (vehicles_by_org,
 * vehicles_by_home_store, vehicle_shares_by_store, group_members' key), where an OR of the
 * four conditions on the vehicles would have both databases scan every vehicle.
 */
export function scopeIds(scope: VehicleScope): { sql: string; params: string[] } | undefined {
  const branches: string[] = [];
  const params: string[] = [];
  const branch = (ids: readonly string[], sql: (list: string) => string) => {
    if (ids.length === 0) return;
    branches.push(sql(placeholders(ids.length)));
    params.push(...ids);
  };
  branch(scope.orgIds, (l) => `SELECT id FROM vehicles WHERE org_id IN (${l})`);
  branch(scope.storeIds, (l) => `SELECT id FROM vehicles WHERE home_store_id IN (${l})`);
  branch(scope.storeIds, (l) => `SELECT vehicle_id FROM vehicle_shares WHERE store_id IN (${l})`);
  branch(scope.groupIds, (l) => `SELECT vehicle_id FROM group_members WHERE group_id IN (${l})`);
  return branches.length === 0 ? undefined : { sql: branches.join(' UNION '), params };
}

async function insertVehicle(session: SqlSession, input: NewVehicle): Promise<string> {
  const id = randomUUID();
  await session.run(
    `INSERT INTO vehicles (id, org_id, vin, plate, make, model, year, device_id, home_store_id, customer_id, created_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      id,
      input.orgId,
      input.vin,
      input.plate ?? null,
      input.make ?? null,
      input.model ?? null,
      input.year ?? null,
      input.deviceId ?? null,
      input.homeStoreId,
      input.customerId ?? null,
      Date.now(),
    ],
  );
  return id;
}

/** Vehicles, their shares and the import, over either dialect. */
export class SqlVehicles implements VehicleBook {
  private readonly select: string;

  constructor(private readonly sql: Sql) {
    this.select = `SELECT ${vehicleColumns(sql.dialect)} FROM vehicles v`;
  }

  async createVehicle(input: NewVehicle): Promise<VehicleRecord> {
    const id = await insertVehicle(this.sql, input);
    return (await this.getVehicle(id))!;
  }

  getVehicle(id: string): Promise<VehicleRecord | undefined> {
    return this.one('v.id = ?', id, this.sql);
  }

  getVehicleByDevice(deviceId: string): Promise<VehicleRecord | undefined> {
    return this.one('v.device_id = ?', deviceId, this.sql);
  }

  getVehicleByVin(vin: string): Promise<VehicleRecord | undefined> {
    return this.one('v.vin = ?', vin, this.sql);
  }

  async listVehicles(scope: VehicleScope): Promise<VehicleRecord[]> {
    const ids = scopeIds(scope);
    if (!ids) return [];
    // By plate then VIN, vehicles without a plate last on both dialects (SQLite sorts NULL
    // first, PostgreSQL last).
    const rows = await this.sql.all<VehicleRow>(
      `${this.select} WHERE v.id IN (${ids.sql}) ORDER BY v.plate IS NULL, v.plate, v.vin`,
      ids.params,
    );
    return rows.map(vehicleOf);
  }

  async bindDevice(vehicleId: string, deviceId: string | undefined) {
    await this.sql.run('UPDATE vehicles SET device_id = ? WHERE id = ?', [
      deviceId ?? null,
      vehicleId,
    ]);
    return this.getVehicle(vehicleId);
  }

  async shareVehicle(vehicleId: string, storeId: string): Promise<void> {
    await this.sql.run(
      'INSERT INTO vehicle_shares (vehicle_id, store_id) VALUES (?, ?) ON CONFLICT DO NOTHING',
      [vehicleId, storeId],
    );
  }

  async unshareVehicle(vehicleId: string, storeId: string): Promise<void> {
    await this.sql.run('DELETE FROM vehicle_shares WHERE vehicle_id = ? AND store_id = ?', [
      vehicleId,
      storeId,
    ]);
  }

  async setVehicleDisabled(id: string, disabled: boolean) {
    await this.sql.run('UPDATE vehicles SET disabled = ? WHERE id = ?', [disabled, id]);
    return this.getVehicle(id);
  }

  importVehicles(orgId: string, rows: readonly VehicleImportRow[]): Promise<VehicleRecord[]> {
    return this.sql.transaction(async (tx) => {
      const ids: string[] = [];
      for (const [i, row] of rows.entries()) {
        try {
          ids.push(await this.importRow(tx, orgId, row));
        } catch (err) {
          // The conflict as the port says it: which row, which field; the transaction rolls back.
          if (err instanceof RecordConflictError) {
            throw new RecordConflictError(`row ${i}: ${err.message}`, err.field, i);
          }
          throw err;
        }
      }
      const imported: VehicleRecord[] = [];
      for (const id of ids) imported.push((await this.one('v.id = ?', id, tx))!);
      return imported;
    });
  }

  /** One row of an import: its owner found by mobile in the organisation or created, then it. */
  private async importRow(tx: SqlSession, orgId: string, row: VehicleImportRow) {
    let customerId: string | undefined;
    if (row.owner) {
      const known =
        row.owner.mobile === undefined
          ? undefined
          : await first<CustomerRow>(
              tx,
              'SELECT * FROM customers WHERE org_id = ? AND mobile = ? ORDER BY created_ms, id LIMIT 1',
              [orgId, row.owner.mobile],
            );
      customerId = known?.id ?? (await insertCustomer(tx, { ...row.owner, orgId })).id;
    }
    return insertVehicle(tx, { ...row.vehicle, orgId, ...(customerId ? { customerId } : {}) });
  }

  private async one(where: string, value: string, session: SqlSession) {
    const row = await first<VehicleRow>(session, `${this.select} WHERE ${where}`, [value]);
    return row && vehicleOf(row);
  }
}
