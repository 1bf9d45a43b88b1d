import { randomUUID } from 'node:crypto';
import type {
  Customer,
  Organisation,
  OrganisationKind,
  Store,
  VehicleGroup,
} from '../port/model.js';
import type { OrganisationBook } from '../port/organisations.js';
import {
  type CustomerRow,
  customerOf,
  type GroupRow,
  groupOf,
  type OrganisationRow,
  organisationOf,
  type StoreRow,
  storeOf,
} from './rows.js';
import { first, type Sql, type SqlSession } from './sql.js';

/** Creates a customer in the session (the import creates owners inside its transaction). */
export async function insertCustomer(
  session: SqlSession,
  input: Omit<Customer, 'id' | 'createdMs'>,
): Promise<Customer> {
  const [row] = await session.all<CustomerRow>(
    'INSERT INTO customers (id, org_id, kind, name, mobile, created_ms) VALUES (?, ?, ?, ?, ?, ?) RETURNING *',
    [randomUUID(), input.orgId, input.kind, input.name, input.mobile ?? null, Date.now()],
  );
  return customerOf(row!);
}

/** Organisations, their stores, car owners and vehicle groups, over either dialect. */
export class SqlOrganisations implements OrganisationBook {
  constructor(private readonly sql: Sql) {}

  async createOrganisation(input: { name: string; kind: OrganisationKind }) {
    const [row] = await this.sql.all<OrganisationRow>(
      'INSERT INTO organisations (id, name, kind, created_ms) VALUES (?, ?, ?, ?) RETURNING *',
      [randomUUID(), input.name, input.kind, Date.now()],
    );
    return organisationOf(row!);
  }

  async getOrganisation(id: string): Promise<Organisation | undefined> {
    const row = await first<OrganisationRow>(this.sql, 'SELECT * FROM organisations WHERE id = ?', [
      id,
    ]);
    return row && organisationOf(row);
  }

  async listOrganisations(): Promise<Organisation[]> {
    const rows = await this.sql.all<OrganisationRow>(
      'SELECT * FROM organisations ORDER BY name, id',
    );
    return rows.map(organisationOf);
  }

  async setOrganisationDisabled(id: string, disabled: boolean) {
    const row = await first<OrganisationRow>(
      this.sql,
      'UPDATE organisations SET disabled = ? WHERE id = ? RETURNING *',
      [disabled, id],
    );
    return row && organisationOf(row);
  }

  async createStore(input: { orgId: string; name: string; code: string }): Promise<Store> {
    const [row] = await this.sql.all<StoreRow>(
      'INSERT INTO stores (id, org_id, name, code, created_ms) VALUES (?, ?, ?, ?, ?) RETURNING *',
      [randomUUID(), input.orgId, input.name, input.code, Date.now()],
    );
    return storeOf(row!);
  }

  async getStore(id: string): Promise<Store | undefined> {
    const row = await first<StoreRow>(this.sql, 'SELECT * FROM stores WHERE id = ?', [id]);
    return row && storeOf(row);
  }

  async listStores(orgId: string): Promise<Store[]> {
    const rows = await this.sql.all<StoreRow>(
      'SELECT * FROM stores WHERE org_id = ? ORDER BY code, id',
      [orgId],
    );
    return rows.map(storeOf);
  }

  async setStoreDisabled(id: string, disabled: boolean): Promise<Store | undefined> {
    const row = await first<StoreRow>(
      this.sql,
      'UPDATE stores SET disabled = ? WHERE id = ? RETURNING *',
      [disabled, id],
    );
    return row && storeOf(row);
  }

  createCustomer(input: Omit<Customer, 'id' | 'createdMs'>): Promise<Customer> {
    return insertCustomer(this.sql, input);
  }

  async getCustomer(id: string): Promise<Customer | undefined> {
    const row = await first<CustomerRow>(this.sql, 'SELECT * FROM customers WHERE id = ?', [id]);
    return row && customerOf(row);
  }

  async listCustomers(orgId: string): Promise<Customer[]> {
    const rows = await this.sql.all<CustomerRow>(
      'SELECT * FROM customers WHERE org_id = ? ORDER BY name, id',
      [orgId],
    );
    return rows.map(customerOf);
  }

  async createGroup(input: { orgId: string; name: string }): Promise<VehicleGroup> {
    const [row] = await this.sql.all<GroupRow>(
      'INSERT INTO vehicle_groups (id, org_id, name, created_ms) VALUES (?, ?, ?, ?) RETURNING *',
      [randomUUID(), input.orgId, input.name, Date.now()],
    );
    return groupOf(row!);
  }

  async listGroups(orgId: string): Promise<VehicleGroup[]> {
    const rows = await this.sql.all<GroupRow>(
      'SELECT * FROM vehicle_groups WHERE org_id = ? ORDER BY name, id',
      [orgId],
    );
    return rows.map(groupOf);
  }

  async addToGroup(groupId: string, vehicleId: string): Promise<void> {
    await this.sql.run(
      'INSERT INTO group_members (group_id, vehicle_id) VALUES (?, ?) ON CONFLICT DO NOTHING',
      [groupId, vehicleId],
    );
  }

  async removeFromGroup(groupId: string, vehicleId: string): Promise<void> {
    await this.sql.run('DELETE FROM group_members WHERE group_id = ? AND vehicle_id = ?', [
      groupId,
      vehicleId,
    ]);
  }
}
