import type { Customer, Organisation, OrganisationKind, Store, VehicleGroup } from './model.js';

/** Organisations, their stores, car owners and vehicle groups. */
export interface OrganisationBook {
  createOrganisation(input: { name: string; kind: OrganisationKind }): Promise<Organisation>;
  getOrganisation(id: string): Promise<Organisation | undefined>;
  listOrganisations(): Promise<Organisation[]>;
  /** Disabled: its people cannot sign in, its tokens are refused. Nothing is deleted. */
  setOrganisationDisabled(id: string, disabled: boolean): Promise<Organisation | undefined>;

  /** Throws RecordConflictError (field `code`) when the organisation has a store of that code. */
  createStore(input: { orgId: string; name: string; code: string }): Promise<Store>;
  getStore(id: string): Promise<Store | undefined>;
  listStores(orgId: string): Promise<Store[]>;
  setStoreDisabled(id: string, disabled: boolean): Promise<Store | undefined>;

  createCustomer(input: Omit<Customer, 'id' | 'createdMs'>): Promise<Customer>;
  getCustomer(id: string): Promise<Customer | undefined>;
  listCustomers(orgId: string): Promise<Customer[]>;

  createGroup(input: { orgId: string; name: string }): Promise<VehicleGroup>;
  listGroups(orgId: string): Promise<VehicleGroup[]>;
  /** Idempotent. */
  addToGroup(groupId: string, vehicleId: string): Promise<void>;
  removeFromGroup(groupId: string, vehicleId: string): Promise<void>;
}
