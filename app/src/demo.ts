import type {
  Customer,
  Grant,
  Organisation,
  RecordsDb,
  Store,
  VehicleGroup,
} from '@fleetline/platform';
import {
  DEMO_GROUP_NAME,
  DEMO_ORG_NAME,
  type DemoOwner,
  type DemoStoreCode,
  type DemoUserSpec,
  demoStores,
  demoUsers,
  demoVehicle,
} from './demo-fleet.js';

/**
 * The demo organisation a newcomer signs in to: a dealer group with two stores, car owners, a
 * vehicle for each simulated device, a leasing company's fleet, and one person per role.
 *
 * Each part is found or created, so seeding is idempotent and also finishes a seeding that
 * stopped half-way, or adds the vehicles of devices added since. People created get a random
 * one-time password, returned here once (the records keep only its hash).
 */

export interface DemoPasswords {
  generate(): string;
  hash(password: string): Promise<string>;
}

export interface DemoUser {
  readonly login: string;
  readonly role: Grant['role'];
  /** Codes of the stores the grant covers; every store for organisation-wide roles. */
  readonly stores: readonly string[];
  /** The vehicle group's name, for a role granted over one. */
  readonly group?: string;
  readonly password: string;
}

export interface DemoSeeded {
  /** The demo organisation was created now (false: it was there already). */
  readonly created: boolean;
  readonly orgId: string;
  /** People created now, with their one-time passwords. Empty when all were there. */
  readonly users: readonly DemoUser[];
  readonly vehiclesAdded: number;
}

async function findOrCreateOrg(db: RecordsDb): Promise<{ org: Organisation; created: boolean }> {
  const found = (await db.listOrganisations()).find((o) => o.name === DEMO_ORG_NAME);
  if (found) return { org: found, created: false };
  return {
    org: await db.createOrganisation({ name: DEMO_ORG_NAME, kind: 'dealer_group' }),
    created: true,
  };
}

async function findOrCreateStores(
  db: RecordsDb,
  orgId: string,
): Promise<Map<DemoStoreCode, Store>> {
  const existing = await db.listStores(orgId);
  const stores = new Map<DemoStoreCode, Store>();
  for (const s of demoStores) {
    stores.set(
      s.code,
      existing.find((e) => e.code === s.code) ?? (await db.createStore({ orgId, ...s })),
    );
  }
  return stores;
}

async function findOrCreateGroup(db: RecordsDb, orgId: string): Promise<VehicleGroup> {
  const found = (await db.listGroups(orgId)).find((g) => g.name === DEMO_GROUP_NAME);
  return found ?? db.createGroup({ orgId, name: DEMO_GROUP_NAME });
}

/** The customer with the owner's mobile, created when there is none. */
async function ownerOf(
  db: RecordsDb,
  orgId: string,
  owners: Map<string, Customer>,
  owner: DemoOwner,
): Promise<Customer> {
  const known = owners.get(owner.mobile);
  if (known) return known;
  const created = await db.createCustomer({ orgId, ...owner });
  owners.set(owner.mobile, created);
  return created;
}

async function seedVehicles(
  db: RecordsDb,
  orgId: string,
  deviceIds: readonly string[],
  stores: Map<DemoStoreCode, Store>,
  group: VehicleGroup,
): Promise<number> {
  const owners = new Map(
    (await db.listCustomers(orgId)).flatMap((c) => (c.mobile ? [[c.mobile, c] as const] : [])),
  );
  let added = 0;
  for (const [index, deviceId] of deviceIds.entries()) {
    const v = demoVehicle(deviceId, index);
    // A device bound already (here, or by an administrator to another vehicle) is left as it is.
    if ((await db.getVehicleByDevice(deviceId)) || (await db.getVehicleByVin(v.vin))) continue;
    const customer = await ownerOf(db, orgId, owners, v.owner);
    const vehicle = await db.createVehicle({
      orgId,
      vin: v.vin,
      plate: v.plate,
      make: v.make,
      model: v.model,
      year: v.year,
      deviceId,
      homeStoreId: (stores.get(v.store) as Store).id,
      customerId: customer.id,
    });
    if (v.leased) await db.addToGroup(group.id, vehicle.id);
    added++;
  }
  return added;
}

function grantsFor(
  spec: DemoUserSpec,
  orgId: string,
  stores: Map<DemoStoreCode, Store>,
  group: VehicleGroup,
): Grant[] {
  if (spec.group) return [{ role: spec.role, orgId, groupId: group.id }];
  if (!spec.stores) return [{ role: spec.role, orgId }];
  return spec.stores.map((code) => ({
    role: spec.role,
    orgId,
    storeId: (stores.get(code) as Store).id,
  }));
}

async function seedUsers(
  db: RecordsDb,
  orgId: string,
  stores: Map<DemoStoreCode, Store>,
  group: VehicleGroup,
  passwords: DemoPasswords,
): Promise<DemoUser[]> {
  const created: DemoUser[] = [];
  for (const spec of demoUsers) {
    if (await db.findUserByLogin(spec.username)) continue;
    const password = passwords.generate();
    const user = await db.createUser({
      orgId,
      name: spec.name,
      username: spec.username,
      passwordHash: await passwords.hash(password),
      // The demo's people sign in with what was printed; they are not asked to change it.
      mustChangePassword: false,
    });
    for (const grant of grantsFor(spec, orgId, stores, group)) await db.grantRole(user.id, grant);
    created.push({
      login: spec.username,
      role: spec.role,
      stores: spec.group ? [] : (spec.stores ?? demoStores.map((s) => s.code)),
      ...(spec.group ? { group: group.name } : {}),
      password,
    });
  }
  return created;
}

/** Seeds the demo organisation for the simulated devices (idempotent; see above). */
export async function seedDemo(
  db: RecordsDb,
  deviceIds: readonly string[],
  passwords?: DemoPasswords,
): Promise<DemoSeeded> {
  const tools = passwords ?? (await defaultPasswords());
  const { org, created } = await findOrCreateOrg(db);
  const stores = await findOrCreateStores(db, org.id);
  const group = await findOrCreateGroup(db, org.id);
  const vehiclesAdded = await seedVehicles(db, org.id, deviceIds, stores, group);
  const users = await seedUsers(db, org.id, stores, group, tools);
  if (created || vehiclesAdded > 0 || users.length > 0) {
    await db.appendAudit({
      orgId: org.id,
      atMs: Date.now(),
      actor: 'cli',
      action: 'demo.seed',
      target: `org:${org.id}`,
      detail: { vehiclesAdded, usersAdded: users.length },
    });
  }
  return { created, orgId: org.id, users, vehiclesAdded };
}

async function defaultPasswords(): Promise<DemoPasswords> {
  const { generatePassword, hashPassword } = await import('@fleetline/cloud/passwords');
  return { generate: generatePassword, hash: hashPassword };
}
