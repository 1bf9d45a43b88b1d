import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VehicleRecord } from '@fleetline/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../../test-support/postgres.js';
import { AdminCliHarness, cliBackends, twoOrganisations } from './cli-harness.js';

/**
 * `fleetline vehicles …`, one at a time and from spreadsheets, against real records: SQLite in
 * the data folder, and PostgreSQL by DATABASE_URL (the import's transaction is each one's own).
 */

const backends = await cliBackends('admin_vehicles');

let cli: AdminCliHarness;
let database: TestDatabase | undefined;

let orgId = '';
let otherOrgId = '';
const file = (name: string, text: string): string => {
  const path = join(cli.dir, name);
  writeFileSync(path, text);
  return path;
};
const vehicles = (org = orgId) =>
  cli.withDb((db) => db.listVehicles({ orgIds: [org], storeIds: [], groupIds: [] }));

for (const backend of backends) {
  describe.skipIf(backend.skip)(`on ${backend.name}`, () => {
    beforeAll(async () => {
      database = await backend.database();
      cli = new AdminCliHarness(database?.url);
      ({ orgId, otherOrgId } = await twoOrganisations(
        cli,
        { name: 'Demo Dealer', kind: 'dealer_group' },
        'north',
      ));
    });
    afterAll(async () => {
      cli.remove();
      await database?.drop();
    });

    describe('fleetline vehicles add and list', () => {
      it('should add a vehicle with its owner, and list it', async () => {
        const v = await cli.json<VehicleRecord>(
          'vehicles',
          'add',
          '--org',
          orgId,
          '--vin',
          '1m8gdm9axkp042788',
          '--store',
          'north',
          '--plate',
          '粤b d0001',
          '--make',
          'Toyota',
          '--model',
          'Camry',
          '--year',
          '2019',
          '--device',
          'dev-0001',
          '--owner-name',
          '张三',
          '--owner-mobile',
          '13800138000',
        );
        expect(v).toMatchObject({
          vin: '1M8GDM9AXKP042788',
          plate: '粤B D0001',
          year: 2019,
          deviceId: 'dev-0001',
        });
        const list = await cli.run('vehicles', 'list', '--org', orgId);
        expect(list.out).toContain('张三 +8613800138000');
        expect(list.out).toMatch(
          /1M8GDM9AXKP042788 +粤B D0001 +Toyota +Camry +2019 +dev-0001 +north/,
        );
      });

      it.each([
        [
          ['--vin', '1M8GDM9A1KP042788', '--store', 'north'],
          '--vin: VIN "1M8GDM9A1KP042788": check digit (character 9) is "1"',
        ],
        [
          ['--vin', 'JHMCM56557C404453', '--store', 'north', '--year', '1950'],
          '--year: year "1950" is not a model year',
        ],
        [
          ['--vin', 'JHMCM56557C404453', '--store', 'north', '--device', 'a/b'],
          '--device: device id "a/b" is not valid',
        ],
        [
          ['--vin', 'JHMCM56557C404453', '--store', 'north', '--owner-mobile', '13800138000'],
          '--owner-name: the owner’s mobile is given but not their name',
        ],
      ])('should refuse %j as bad usage (exit 2)', async (extra, message) => {
        const r = await cli.run('vehicles', 'add', '--org', orgId, ...extra);
        expect(r).toMatchObject({ code: 2, err: expect.stringContaining(message) });
      });

      it.each([
        [
          ['--vin', '1M8GDM9AXKP042788', '--store', 'north'],
          '--vin: VIN 1M8GDM9AXKP042788 is registered already, as vehicle',
        ],
        [
          ['--vin', 'JHMCM56557C404453', '--store', 'north', '--device', 'dev-0001'],
          '--device: device "dev-0001" is installed in the vehicle 1M8GDM9AXKP042788',
        ],
        [['--vin', 'JHMCM56557C404453', '--store', 'east'], '--store: no store "east"'],
        [
          [
            '--vin',
            'JHMCM56557C404453',
            '--store',
            'north',
            '--owner-name',
            '李四',
            '--owner-mobile',
            '+8613800138000',
          ],
          '--owner-name: owner mobile +8613800138000 belongs to the customer "张三"',
        ],
      ])(
        'should refuse %j as the records refuse it (exit 1), writing nothing',
        async (extra, message) => {
          const r = await cli.run('vehicles', 'add', '--org', orgId, ...extra);
          expect(r).toMatchObject({ code: 1, err: expect.stringContaining(message) });
          expect(await vehicles()).toHaveLength(1);
        },
      );

      it('should refuse in one organisation a VIN of another', async () => {
        const r = await cli.run(
          'vehicles',
          'add',
          '--org',
          otherOrgId,
          '--vin',
          '1M8GDM9AXKP042788',
          '--store',
          'north',
        );
        expect(r).toMatchObject({
          code: 1,
          err: expect.stringContaining('registered to another organisation'),
        });
      });
    });

    const header = '车架号/VIN,车牌号,品牌,车型,年份,设备号,门店,车主姓名,车主手机,车主类型,备注\n';
    const good =
      `\ufeff${header}` +
      'JHMCM56557C404453,粤B D0002,Honda,Accord,2007,dev-0002,north,李四,13900000001,个人,\n' +
      'JH4KA7561PC008269,粤B D0003,Acura,Legend,1993,,south,李四,+86 139 0000 0001,个人,老客户\n' +
      '\n' +
      '2T1BURHE0JC074379,粤B D0004,Toyota,Corolla,2018,dev-0004,south,顺风租赁,,公司,"备注, 带逗号"\n' +
      // The vehicle added above, with the same values: already there.
      '1M8GDM9AXKP042788,粤B D0001,Toyota,Camry,2019,dev-0001,north,张三,13800138000,个人,\n';

    describe('fleetline vehicles import', () => {
      it('should check a dry run and write nothing', async () => {
        const r = await cli.run(
          'vehicles',
          'import',
          file('dry.csv', good),
          '--org',
          orgId,
          '--dry-run',
        );
        expect(r.code).toBe(0);
        expect(r.out).toContain(
          'dry.csv: 4 rows — 3 new, 1 already there with the same values, 0 with problems',
        );
        expect(r.out).toContain('columns not read: 备注');
        expect(await vehicles()).toHaveLength(1);
      });

      it('should import the new rows, one owner for one mobile, and change nothing the second time', async () => {
        const path = file('fleet.csv', good);
        const first = await cli.json('vehicles', 'import', path, '--org', orgId);
        expect(first).toMatchObject({ rows: 4, new: 3, unchanged: 1, problems: [] });
        const after = await vehicles();
        expect(after.map((v) => v.vin).sort()).toEqual([
          '1M8GDM9AXKP042788',
          '2T1BURHE0JC074379',
          'JH4KA7561PC008269',
          'JHMCM56557C404453',
        ]);
        const customers = await cli.withDb((db) => db.listCustomers(orgId));
        expect(customers.filter((c) => c.name === '李四')).toHaveLength(1);
        expect(customers.find((c) => c.name === '顺风租赁')).toMatchObject({ kind: 'company' });

        const again = await cli.run('vehicles', 'import', path, '--org', orgId);
        expect(again.code).toBe(0);
        expect(again.out).toContain(
          '4 rows — 0 new, 4 already there with the same values, 0 with problems\n',
        );
        expect(again.out).toContain('nothing to change');
        expect(await vehicles()).toEqual(after);
        const imports = await cli.withDb((db) =>
          db.listAudit({
            orgId,
            fromMs: 0,
            toMs: Date.now() + 1000,
            action: 'vehicle.import',
            limit: 10,
          }),
        );
        expect(imports).toHaveLength(1);
        expect(imports[0]).toMatchObject({
          actor: 'cli',
          detail: { file: 'fleet.csv', created: 3 },
        });
      });

      it('should report every problem by spreadsheet row and column, and write nothing', async () => {
        const hostile =
          'vin,plate,store,device_id,owner_name,owner_mobile,year\n' +
          'LSVAU218XN2183294,ok,north,dev-0100,,,\n' + // row 2: fine alone
          '1M8GDM9A1KP042788,x,north,,,,\n' + // row 3: check digit
          '"LGXC74C41N0100002\u001b[31m",x,north,,,,\n' + // row 4: a terminal escape
          'LSVAU218XN2183294,x,north,,,,\n' + // row 5: the VIN of row 2 again
          'LVGBF4EK5KD100001,x,east,,,,\n' + // row 6: no such store
          'LHGCV1638LD100002,x,north,dev-0002,,,\n' + // row 7: the device of another vehicle
          `LSGUL83L9PD100005,x,north,,"Bobby\u202e');DROP TABLE vehicles;--",,\n` + // row 8: an override
          'LGXC74C40ND100004,x,north,,李雷,13800138000,\n' + // row 9: 张三's mobile, another name
          `${'A'.repeat(5000)},x,north,,,,2999\n`; // row 10: long VIN, future year
        const r = await cli.run('vehicles', 'import', file('bad.csv', hostile), '--org', orgId);
        expect(r.code).toBe(1);
        expect(r.err).toMatch(/problem\(s\) in \d+ row\(s\): nothing imported/);
        const json = await cli.run(
          'vehicles',
          'import',
          join(cli.dir, 'bad.csv'),
          '--org',
          orgId,
          '--json',
        );
        expect(json.code).toBe(1);
        const problems = (JSON.parse(json.out) as { problems: { row: number; column: string }[] })
          .problems;
        expect(problems.map((p) => [p.row, p.column])).toEqual([
          [3, 'vin'],
          [4, 'vin'],
          [5, 'vin'],
          [6, 'store'],
          [7, 'device_id'],
          [8, 'owner_name'],
          [9, 'owner_name'],
          [10, 'vin'],
          [10, 'year'],
        ]);
        expect(r.out.includes('\u001b') || r.out.includes('\u202e')).toBe(false);
        expect(r.out).toContain('\\u001B[31M'); // upper-cased as VINs are
        expect(await vehicles()).toHaveLength(4);
      });

      it.each([
        ['gbk.csv', Buffer.from([...Buffer.from('vin,store\n'), 0xd5, 0xc5, 0x0a]), 'CSV UTF-8'],
        ['empty.csv', Buffer.alloc(0), 'the file is empty'],
        ['noquote.csv', Buffer.from('vin,store\n"JHMCM56557C404453,north\n'), 'not valid CSV'],
      ])('should refuse %s on its row, exit 1', async (name, bytes, reason) => {
        writeFileSync(join(cli.dir, name), bytes);
        const r = await cli.run('vehicles', 'import', join(cli.dir, name), '--org', orgId);
        expect(r).toMatchObject({ code: 1, out: expect.stringContaining(reason) });
      });

      it('should say when the file cannot be read (exit 2)', async () => {
        const r = await cli.run('vehicles', 'import', join(cli.dir, 'missing.csv'), '--org', orgId);
        expect(r).toMatchObject({ code: 2, err: expect.stringContaining('ENOENT') });
      });
    });
  });
}
