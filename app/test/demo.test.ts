import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyPassword } from '@fleetline/cloud/passwords';
import {
  checkVin,
  loadConfig,
  openRecordsDb,
  type RecordsDb,
  roleNames,
} from '@fleetline/platform';
import { vehicleId } from '@fleetline/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/demo.js';
import { demoVehicle } from '../src/demo-fleet.js';

/** The demo organisation `npm start` seeds, in a real SQLite records database. */

const dir = mkdtempSync(join(tmpdir(), 'fleetline-demo-'));
let db: RecordsDb;
const deviceIds = Array.from({ length: 7 }, (_, i) => vehicleId('sim', i));

beforeAll(async () => {
  db = await openRecordsDb(loadConfig({ env: {}, overrides: { dataDir: dir } }));
});
afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('seedDemo', () => {
  let first: Awaited<ReturnType<typeof seedDemo>>;

  it('should create the organisation, a person per role with a working password, a vehicle per device', async () => {
    first = await seedDemo(db, deviceIds);
    expect(first.created).toBe(true);
    expect(first.vehiclesAdded).toBe(7);
    expect(first.users.map((u) => u.role).sort()).toEqual([...roleNames].sort());
    for (const u of first.users) {
      const found = await db.findUserByLogin(u.login);
      expect(await verifyPassword(found?.passwordHash ?? '', u.password)).toBe(true);
      expect(found?.user.orgId).toBe(first.orgId);
    }
    expect(new Set(first.users.map((u) => u.password)).size).toBe(first.users.length);
  });

  it('should bind every device to a vehicle with a valid VIN, in a store, with an owner', async () => {
    const stores = await db.listStores(first.orgId);
    expect(stores.map((s) => s.code).sort()).toEqual(['north', 'south']);
    for (const deviceId of deviceIds) {
      const v = await db.getVehicleByDevice(deviceId);
      expect(v?.orgId).toBe(first.orgId);
      expect(checkVin(v?.vin ?? '').ok).toBe(true);
      expect(stores.map((s) => s.id)).toContain(v?.homeStoreId);
      expect(v?.customerId).toBeDefined();
    }
    const homes = await Promise.all(
      deviceIds.map(async (d) => (await db.getVehicleByDevice(d))?.homeStoreId),
    );
    expect(new Set(homes).size).toBe(2); // split between the stores
  });

  it('should put a few vehicles in the leasing fleet, and scope each person as their role says', async () => {
    const [group] = await db.listGroups(first.orgId);
    expect(group?.name).toBe('Demo Leasing fleet');
    const fleet = await db.listVehicles({ orgIds: [], storeIds: [], groupIds: [group?.id ?? ''] });
    expect(fleet.map((v) => v.deviceId)).toEqual(
      deviceIds.filter((_, i) => demoVehicle(deviceIds[i] as string, i).leased),
    );
    expect(fleet.length).toBeGreaterThan(0);
    const north = (await db.listStores(first.orgId)).find((s) => s.code === 'north');
    const grants = async (login: string) =>
      db.grantsOf((await db.findUserByLogin(login))?.user.id ?? '');
    expect(await grants('demo.advisor')).toEqual([
      { role: 'service_advisor', orgId: first.orgId, storeId: north?.id },
    ]);
    expect(await grants('demo.manager')).toHaveLength(2);
    expect(await grants('demo.fleet')).toEqual([
      { role: 'fleet_manager', orgId: first.orgId, groupId: group?.id },
    ]);
    expect(await grants('demo.admin')).toEqual([{ role: 'org_admin', orgId: first.orgId }]);
    expect(first.users.find((u) => u.login === 'demo.advisor')?.stores).toEqual(['north']);
  });

  it('should change nothing when seeded again, and add only the vehicles of new devices', async () => {
    const before = await db.listVehicles({ orgIds: [first.orgId], storeIds: [], groupIds: [] });
    const again = await seedDemo(db, deviceIds);
    expect(again).toEqual({ created: false, orgId: first.orgId, users: [], vehiclesAdded: 0 });
    expect(await db.listVehicles({ orgIds: [first.orgId], storeIds: [], groupIds: [] })).toEqual(
      before,
    );
    expect((await db.listOrganisations()).filter((o) => o.name === 'Demo Motors')).toHaveLength(1);
    expect(await db.listUsers(first.orgId)).toHaveLength(roleNames.length);

    const more = await seedDemo(db, [...deviceIds, vehicleId('sim', 7)]);
    expect(more).toMatchObject({ created: false, users: [], vehiclesAdded: 1 });
    expect(await db.getVehicleByDevice('sim-0008')).toMatchObject({
      vin: demoVehicle('sim-0008', 7).vin,
    });
  });
});

describe('demoVehicle', () => {
  it('should give every index its own valid VIN and plate', () => {
    const vehicles = Array.from({ length: 2000 }, (_, i) => demoVehicle(`d${i}`, i));
    expect(vehicles.every((v) => checkVin(v.vin).ok)).toBe(true);
    expect(new Set(vehicles.map((v) => v.vin)).size).toBe(2000);
    expect(new Set(vehicles.map((v) => v.plate)).size).toBe(2000);
    expect(vehicles[0]).toMatchObject({ plate: '粤B D0001', store: 'north' });
  });
});
