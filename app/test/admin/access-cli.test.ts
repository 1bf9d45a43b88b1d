import { createHash } from 'node:crypto';
import type { ApiTokenRecord, VehicleRecord } from '@fleetline/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../../test-support/postgres.js';
import { AdminCliHarness, cliBackends, twoOrganisations } from './cli-harness.js';

/**
 * `fleetline tokens …`, `groups …` and `vehicles share|unshare`, against real records: SQLite
 * in the data folder, and PostgreSQL by DATABASE_URL.
 */

const backends = await cliBackends('admin_access');

let cli: AdminCliHarness;
let database: TestDatabase | undefined;
let orgId = '';
let otherOrgId = '';
let vehicle: VehicleRecord;
let foreign: VehicleRecord;

const auditActions = () =>
  cli.withDb(async (db) =>
    (await db.listAudit({ orgId, fromMs: 0, toMs: Date.now() + 1, limit: 1000 })).map(
      (a) => `${a.actor} ${a.action}`,
    ),
  );
const fresh = (id: string) => cli.withDb(async (db) => (await db.getVehicle(id)) as VehicleRecord);

for (const backend of backends) {
  describe.skipIf(backend.skip)(`on ${backend.name}`, () => {
    beforeAll(async () => {
      database = await backend.database();
      cli = new AdminCliHarness(database?.url);
      ({ orgId, otherOrgId } = await twoOrganisations(
        cli,
        { name: 'Lease Co', kind: 'leasing_company' },
        'east',
      ));
      vehicle = await cli.json<VehicleRecord>(
        ...['vehicles', 'add', '--org', orgId, '--vin', '1M8GDM9AXKP042788'],
        ...['--store', 'north', '--device', 'dev-0001'],
      );
      foreign = await cli.json<VehicleRecord>(
        ...['vehicles', 'add', '--org', otherOrgId, '--vin', 'JHMCM56557C404453'],
        ...['--store', 'east'],
      );
    });
    afterAll(async () => {
      cli.remove();
      await database?.drop();
    });

    describe('fleetline tokens', () => {
      let tokenId = '';

      it('should print a new token once, and list it without the token', async () => {
        const r = await cli.run(
          ...['tokens', 'add', '--org', orgId, '--name', 'ERP', '--role', 'viewer'],
          ...['--store', 'south', '--days', '30'],
        );
        expect(r.code, r.err).toBe(0);
        const token = /: (flt_[A-Za-z0-9_-]{43})\n$/.exec(r.out)?.[1] as string;
        expect(token).toBeDefined();
        tokenId = /id ([^,]+),/.exec(r.out)?.[1] as string;
        expect(r.out).toContain('viewer @south');
        // The records hold the token's SHA-256 only, which is how a request's token is found.
        const hash = createHash('sha256').update(token).digest('base64url');
        const held = await cli.withDb((db) => db.findToken(hash));
        expect(held).toMatchObject({ id: tokenId, role: 'viewer', createdBy: 'cli' });
        expect((held as ApiTokenRecord).expiresMs - (held as ApiTokenRecord).createdMs).toBe(
          30 * 86_400_000,
        );
        const list = await cli.run('tokens', 'list', '--org', orgId);
        expect(list.out).toMatch(new RegExp(`${tokenId} +ERP +viewer +south +\\S+ +\\S+ +-`));
        const json = await cli.run('tokens', 'list', '--org', orgId, '--json');
        expect(json.out).toContain(tokenId);
        expect(json.out).not.toContain(token);
        expect(json.out).not.toContain('flt_');
      });

      it.each([
        [['--role', 'boss'], '--role: "boss" is not a role: use one of org_admin'],
        [
          ['--role', 'fleet_manager', '--store', 'north'],
          '--role: fleet_manager cannot be granted per store',
        ],
        [['--role', 'viewer', '--days', '0'], '--days: "0" is not a number of days from 1 to 731'],
        [['--role', 'viewer', '--days', '1.5'], '--days: "1.5" is not a number of days'],
        [['--role', 'viewer', '--group', 'x'], '--group: unknown option'],
      ])('should refuse %j as bad usage (exit 2), issuing nothing', async (extra, message) => {
        const r = await cli.run('tokens', 'add', '--org', orgId, '--name', 'x', ...extra);
        expect(r).toMatchObject({ code: 2, err: expect.stringContaining(message) });
        expect(await cli.json<unknown[]>('tokens', 'list', '--org', orgId)).toHaveLength(1);
      });

      it('should refuse a store of another organisation (exit 1), issuing nothing', async () => {
        const r = await cli.run(
          ...[
            'tokens',
            'add',
            '--org',
            orgId,
            '--name',
            'x',
            '--role',
            'viewer',
            '--store',
            'east',
          ],
        );
        expect(r).toMatchObject({
          code: 1,
          err: expect.stringContaining('--store: no store "east"'),
        });
        expect(await cli.json<unknown[]>('tokens', 'list', '--org', orgId)).toHaveLength(1);
      });

      it('should revoke a token once, and say so the second time', async () => {
        const first = await cli.run('tokens', 'revoke', tokenId);
        expect(first).toMatchObject({ code: 0, out: 'token "ERP" revoked\n' });
        const [listed] = await cli.json<{ revoked?: string }[]>('tokens', 'list', '--org', orgId);
        expect(listed?.revoked).toMatch(/^\d{4}-\d\d-\d\dT/);
        const again = await cli.run('tokens', 'revoke', tokenId);
        expect(again).toMatchObject({ code: 0, out: expect.stringContaining('revoked already') });
        const unknown = await cli.run('tokens', 'revoke', 'nope');
        expect(unknown).toMatchObject({ code: 1, err: expect.stringContaining('no token "nope"') });
        const actions = await auditActions();
        expect(actions.filter((a) => a === 'cli token.create')).toHaveLength(1);
        expect(actions.filter((a) => a === 'cli token.revoke')).toHaveLength(1);
      });
    });
    describe('fleetline groups', () => {
      let groupId = '';

      it('should add a group, refuse its name twice, and list it', async () => {
        groupId = (await cli.json('groups', 'add', '--org', orgId, '--name', '华南车队'))
          .id as string;
        const twice = await cli.run('groups', 'add', '--org', orgId, '--name', '华南车队');
        expect(twice).toMatchObject({
          code: 1,
          err: expect.stringContaining(
            `--name: Lease Co has a group "华南车队" already: id ${groupId}`,
          ),
        });
        const blank = await cli.run('groups', 'add', '--org', orgId, '--name', ' ');
        expect(blank).toMatchObject({
          code: 2,
          err: expect.stringContaining('--name: group name is empty'),
        });
        const list = await cli.run('groups', 'list', '--org', orgId);
        expect(list.out).toMatch(new RegExp(`${groupId} +华南车队 +0 `));
      });

      it('should add a vehicle named by VIN, device or id, and remove it', async () => {
        const add = await cli.run('groups', 'add-vehicle', '华南车队', vehicle.vin.toLowerCase());
        expect(add).toMatchObject({
          code: 0,
          out: `group 华南车队: vehicle ${vehicle.vin} added to it\n`,
        });
        expect((await fresh(vehicle.id)).groupIds).toEqual([groupId]);
        const again = await cli.run('groups', 'add-vehicle', groupId, 'dev-0001');
        expect(again).toMatchObject({ code: 0, out: expect.stringContaining('was in it already') });
        expect((await cli.run('groups', 'list', '--org', orgId)).out).toMatch(/华南车队 +1 /);
        const remove = await cli.run('groups', 'remove-vehicle', groupId, vehicle.id);
        expect(remove).toMatchObject({ code: 0, out: expect.stringContaining('removed from it') });
        expect((await fresh(vehicle.id)).groupIds).toEqual([]);
        const absent = await cli.run('groups', 'remove-vehicle', groupId, vehicle.id);
        expect(absent).toMatchObject({
          code: 1,
          err: expect.stringContaining('is not in the group'),
        });
        const actions = await auditActions();
        expect(actions.filter((a) => a.startsWith('cli group.'))).toEqual([
          'cli group.remove_vehicle',
          'cli group.add_vehicle',
          'cli group.create',
        ]);
      });

      it('should refuse a vehicle of another organisation, naming both', async () => {
        const r = await cli.run('groups', 'add-vehicle', groupId, foreign.vin);
        expect(r).toMatchObject({
          code: 1,
          err: expect.stringContaining(
            `vehicle ${foreign.vin} belongs to "Other", the group "${groupId}" to "Lease Co"`,
          ),
        });
        const byName = await cli.run('groups', 'add-vehicle', '华南车队', foreign.id);
        expect(byName).toMatchObject({
          code: 1,
          err: expect.stringContaining('no vehicle group "华南车队"'),
        });
        expect((await fresh(foreign.id)).groupIds).toEqual([]);
        const unknown = await cli.run('groups', 'add-vehicle', groupId, 'no-such-vehicle');
        expect(unknown).toMatchObject({
          code: 1,
          err: expect.stringContaining('no vehicle "no-such-vehicle"'),
        });
      });
    });

    describe('fleetline vehicles share and unshare', () => {
      it('should share with another store of the organisation, and undo it', async () => {
        const share = await cli.run('vehicles', 'share', 'dev-0001', '--store', 'south');
        expect(share).toMatchObject({
          code: 0,
          out: `store south: vehicle ${vehicle.vin} shared with it\n`,
        });
        const south = (
          await cli.json<{ id: string; code: string }[]>('stores', 'list', '--org', orgId)
        ).find((s) => s.code === 'south');
        expect((await fresh(vehicle.id)).sharedStoreIds).toEqual([south?.id]);
        const unshare = await cli.run('vehicles', 'unshare', vehicle.vin, '--store', 'south');
        expect(unshare).toMatchObject({
          code: 0,
          out: expect.stringContaining('no longer shared'),
        });
        expect((await fresh(vehicle.id)).sharedStoreIds).toEqual([]);
        const again = await cli.run('vehicles', 'unshare', vehicle.vin, '--store', 'south');
        expect(again).toMatchObject({
          code: 1,
          err: expect.stringContaining('is not shared with "south"'),
        });
        const actions = await auditActions();
        expect(actions.filter((a) => a.startsWith('cli vehicle.') && a.includes('share'))).toEqual([
          'cli vehicle.unshare',
          'cli vehicle.share',
        ]);
      });

      it.each([
        [['--store', 'north'], '--store: north is the home store of vehicle 1M8GDM9AXKP042788'],
        [
          ['--store', 'east'],
          '--store: no store "east": the organisation\'s stores are north, south',
        ],
      ])('should refuse %j (exit 1), sharing nothing', async (extra, message) => {
        const r = await cli.run('vehicles', 'share', vehicle.id, ...extra);
        expect(r).toMatchObject({ code: 1, err: expect.stringContaining(message) });
        expect((await fresh(vehicle.id)).sharedStoreIds).toEqual([]);
      });

      it('should want --store (exit 2)', async () => {
        const r = await cli.run('vehicles', 'share', vehicle.id);
        expect(r).toMatchObject({ code: 2, err: expect.stringContaining('--store: missing') });
      });
    });
  });
}
