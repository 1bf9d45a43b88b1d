import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { verifyPassword } from '@fleetline/cloud/passwords';
import { roleNames } from '@fleetline/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminCliHarness } from './cli-harness.js';

/** `fleetline orgs|stores|users …` against a real SQLite records database. */

const cli = new AdminCliHarness();
afterAll(() => cli.remove());

let orgId = '';
let northId = '';
let groupId = '';

beforeAll(async () => {
  orgId = (await cli.json('orgs', 'add', '--name', '华南汽车集团', '--kind', 'dealer_group'))
    .id as string;
  northId = (
    await cli.json('stores', 'add', '--org', orgId, '--name', '广州北店', '--code', 'north')
  ).id as string;
  await cli.json('stores', 'add', '--org', orgId, '--name', '广州南店', '--code', 'south');
  groupId = await cli.withDb(
    async (db) => (await db.createGroup({ orgId, name: 'Lease fleet' })).id,
  );
});

describe('fleetline orgs and stores', () => {
  it('should list what was added, as a table and as JSON', async () => {
    const table = await cli.run('orgs', 'list');
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/^ID +NAME +KIND +DISABLED +CREATED\n/);
    expect(table.out).toContain('华南汽车集团');
    const stores = await cli.json<{ code: string }[]>('stores', 'list', '--org', orgId);
    expect(stores.map((s) => s.code).sort()).toEqual(['north', 'south']);
  });

  it.each([
    [
      ['orgs', 'add', '--name', 'X', '--kind', 'dealer'],
      '--kind: "dealer" is not a kind: use one of dealer_group, leasing_company, fleet_operator',
    ],
    [['orgs', 'add', '--name', 'X'], '--kind: missing'],
    [
      ['orgs', 'add', '--name', 'a\u001b[2Jb', '--kind', 'dealer_group'],
      '--name: organisation name "a\\u001B[2Jb" contains the control character U+001B',
    ],
    [
      ['stores', 'add', '--org', 'x', '--name', 'S', '--code', 'a b'],
      '--code: store code "a b" is not valid',
    ],
    [['orgs', 'frobnicate'], '"frobnicate": not a command'],
  ])('should refuse the usage %j with exit 2, naming the option', async (argv, message) => {
    const r = await cli.run(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  it('should refuse a store code the organisation has, and an unknown organisation, with exit 1', async () => {
    const taken = await cli.run(
      'stores',
      'add',
      '--org',
      orgId,
      '--name',
      'Again',
      '--code',
      'north',
    );
    expect(taken.code).toBe(1);
    expect(taken.err).toMatch(/^fleetline: --code: /);
    const unknown = await cli.run('stores', 'list', '--org', 'no-such-org');
    expect(unknown).toMatchObject({
      code: 1,
      err: expect.stringContaining('no organisation "no-such-org"'),
    });
  });

  it('should disable and enable an organisation, and refuse changes to it while disabled', async () => {
    const other = (
      await cli.json('orgs', 'add', '--name', 'Short-lived', '--kind', 'fleet_operator')
    ).id as string;
    expect((await cli.json('orgs', 'disable', other)).disabled).toBe(true);
    const refused = await cli.run('stores', 'add', '--org', other, '--name', 'S', '--code', 's');
    expect(refused).toMatchObject({
      code: 1,
      err: expect.stringContaining(`orgs enable ${other}`),
    });
    expect((await cli.json('orgs', 'enable', other)).disabled).toBe(false);
  });
});

describe('fleetline users', () => {
  let adviserId = '';
  let password = '';

  it('should add a person with a one-time password that must be changed, and their role', async () => {
    const r = await cli.json(
      'users',
      'add',
      '--org',
      orgId,
      '--name',
      '李伟',
      '--username',
      'li.wei',
      '--role',
      'service_advisor',
      '--store',
      'north',
    );
    adviserId = r.id as string;
    password = r.password as string;
    expect(password).toMatch(/^[A-Za-z2-9]{16}$/);
    await cli.withDb(async (db) => {
      const found = await db.findUserByLogin('li.wei');
      expect(found?.user).toMatchObject({
        id: adviserId,
        orgId,
        mustChangePassword: true,
        disabled: false,
      });
      expect(await verifyPassword(found?.passwordHash ?? '', password)).toBe(true);
      expect(await db.grantsOf(adviserId)).toEqual([
        { role: 'service_advisor', orgId, storeId: northId },
      ]);
    });
  });

  it('should take a Chinese mobile as the login, stored as E.164', async () => {
    const r = await cli.json(
      'users',
      'add',
      '--org',
      orgId,
      '--name',
      '王芳',
      '--mobile',
      '139 1234 5678',
      '--role',
      'viewer',
    );
    expect(r.mobile).toBe('+8613912345678');
  });

  it.each([
    [
      ['--username', 'x.y', '--role', 'fleet_manager', '--store', 'north'],
      '--role: fleet_manager cannot be granted per store: grant it organisation-wide (no --store or --group) or --group',
    ],
    [['--username', 'x.y', '--role', 'boss'], '--role: "boss" is not a role'],
    [['--role', 'viewer'], '--username or --mobile'],
    [
      ['--mobile', '12345', '--role', 'viewer'],
      '--mobile: mobile number "12345" has no country code',
    ],
    [
      ['--username', '13800138000', '--role', 'viewer'],
      '--username: username "13800138000" is not valid',
    ],
    [
      ['--username', 'a.b', '--role', 'viewer', '--store', 'north', '--group', 'x'],
      '--store and --group: give only one',
    ],
  ])('should refuse users add %j with exit 2 and add nobody', async (extra, message) => {
    const r = await cli.run('users', 'add', '--org', orgId, '--name', 'N', ...extra);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(await cli.withDb((db) => db.findUserByLogin('x.y'))).toBeUndefined();
  });

  it('should refuse a taken login and an unknown store with exit 1, adding nobody', async () => {
    const taken = await cli.run(
      'users',
      'add',
      '--org',
      orgId,
      '--name',
      'N',
      '--username',
      'li.wei',
      '--role',
      'viewer',
    );
    expect(taken).toMatchObject({
      code: 1,
      err: expect.stringMatching(/^fleetline: --username: /),
    });
    const store = await cli.run(
      'users',
      'add',
      '--org',
      orgId,
      '--name',
      'N',
      '--username',
      'n.n',
      '--role',
      'viewer',
      '--store',
      'east',
    );
    expect(store).toMatchObject({
      code: 1,
      err: expect.stringContaining('no store "east": the organisation\'s stores are north, south'),
    });
    expect(await cli.withDb((db) => db.findUserByLogin('n.n'))).toBeUndefined();
  });

  it('should grant and revoke, and refuse to revoke what is not held', async () => {
    await cli.json('users', 'grant', adviserId, '--role', 'service_advisor', '--store', 'south');
    await cli.json(
      'users',
      'grant',
      adviserId,
      '--role',
      'fleet_manager',
      '--group',
      'Lease fleet',
    );
    const list = await cli.run('users', 'list', '--org', orgId);
    for (const label of [
      'service_advisor @north',
      'service_advisor @south',
      'fleet_manager @group:Lease fleet',
    ]) {
      expect(list.out).toContain(label);
    }
    await cli.json('users', 'revoke', adviserId, '--role', 'service_advisor', '--store', 'south');
    const again = await cli.run(
      'users',
      'revoke',
      adviserId,
      '--role',
      'service_advisor',
      '--store',
      'south',
    );
    expect(again).toMatchObject({
      code: 1,
      err: expect.stringContaining('does not hold service_advisor @south'),
    });
    expect(await cli.withDb((db) => db.grantsOf(adviserId))).toEqual(
      expect.arrayContaining([
        { role: 'service_advisor', orgId, storeId: northId },
        { role: 'fleet_manager', orgId, groupId },
      ]),
    );
  });

  it('should reset a password: a new one-time one, the old refused, sessions ended', async () => {
    await cli.withDb((db) =>
      db.createSession({
        idHash: 'h1',
        userId: adviserId,
        csrfToken: 'c',
        createdMs: 1,
        lastSeenMs: 1,
        address: '10.0.0.1',
      }),
    );
    const r = await cli.json('users', 'reset-password', adviserId);
    expect(r.sessionsEnded).toBe(1);
    await cli.withDb(async (db) => {
      const found = await db.findUserByLogin('li.wei');
      expect(await verifyPassword(found?.passwordHash ?? '', r.password as string)).toBe(true);
      expect(await verifyPassword(found?.passwordHash ?? '', password)).toBe(false);
      expect(found?.user.mustChangePassword).toBe(true);
      expect(await db.getSession('h1')).toBeUndefined();
    });
  });

  it('should disable a person and end their sessions at once', async () => {
    await cli.withDb((db) =>
      db.createSession({
        idHash: 'h2',
        userId: adviserId,
        csrfToken: 'c',
        createdMs: 1,
        lastSeenMs: 1,
        address: '10.0.0.1',
      }),
    );
    const r = await cli.run('users', 'disable', adviserId);
    expect(r).toMatchObject({ code: 0, out: 'user li.wei disabled; 1 session(s) ended\n' });
    await cli.withDb(async (db) => {
      expect((await db.getUser(adviserId))?.disabled).toBe(true);
      expect(await db.getSession('h2')).toBeUndefined();
    });
  });

  it('should print every role with what it may do', async () => {
    const r = await cli.run('users', 'roles');
    for (const role of roleNames) expect(r.out).toContain(`${role}  (granted`);
    expect(r.out).toContain('may: vehicle.read, alert.read, service.read'); // the insurance clerk
  });

  it('should write an audit entry by `cli` for every change', async () => {
    const entries = await cli.withDb((db) =>
      db.listAudit({ orgId, fromMs: 0, toMs: Date.now() + 1000, limit: 100 }),
    );
    expect(entries.every((e) => e.actor === 'cli')).toBe(true);
    expect(new Set(entries.map((e) => e.action))).toEqual(
      new Set([
        'org.create',
        'store.create',
        'user.create',
        'role.grant',
        'role.revoke',
        'user.password_reset',
        'user.disable',
      ]),
    );
    expect(entries.find((e) => e.action === 'user.disable')).toMatchObject({
      target: `user:${adviserId}`,
      detail: { sessionsEnded: 1 },
    });
  });
});

describe('the fleetline command', () => {
  const bin = fileURLToPath(new URL('../../bin/fleetline.js', import.meta.url));
  const fleetline = (...argv: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [bin, ...argv],
        { env: { ...process.env, FLEETLINE_DATA_DIR: cli.dir } },
        (err, stdout, stderr) =>
          resolve({ code: typeof err?.code === 'number' ? err.code : 0, stdout, stderr }),
      );
    });

  it('should dispatch the administration groups and work on the same data folder', async () => {
    const r = await fleetline('orgs', 'list', '--json');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { id: string }[]).map((o) => o.id)).toContain(orgId);
    const usage = await fleetline('users');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('fleetline users reset-password ID [--json]');
    expect((await fleetline('--help')).stdout).toContain(
      'fleetline orgs|stores|users|vehicles|tokens|groups <command>',
    );
    const tokens = await fleetline('tokens', 'list', '--org', orgId, '--json');
    expect(tokens).toMatchObject({ code: 0, stdout: '[]\n' });
    expect((await fleetline('groups')).stderr).toContain(
      'fleetline groups add-vehicle GROUP VEHICLE',
    );
  });
});
