import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createLogger,
  EmbeddedLog,
  PostgresRecordsDb,
  type RecordsDb,
  Registry,
  SqliteRecordsDb,
  SqliteTelemetryDb,
} from '@fleetline/platform';
import { signalId } from '@fleetline/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestAccess, type TestAccess } from '../../../test-support/access.js';
import { createTestDatabase, postgres, type TestDatabase } from '../../../test-support/postgres.js';
import { hashPassword } from '../../src/access/passwords.js';
import { type Api, buildApi, type RouteInfo, routesOf } from '../../src/api/server.js';
import { LiveFeed } from '../../src/live/live-feed.js';

/**
 * Every route the API registers, walked: each refuses an anonymous caller; each answers a
 * caller of another organisation, and a caller of another store of the same organisation,
 * with a refusal or with nothing of the first store's (none of its ids appear in the answer);
 * and each answers its rightful caller. A new route fails here until it says who may call it
 * and has an example request below. On SQLite and on PostgreSQL.
 */

const DEVICE = 'walk-a1';
const PASSWORD = 'walk-password-1';
const t0 = Date.now() - 3_600_000;

/**
 * A request each route accepts from its rightful caller, by `METHOD url`. A stream never
 * ends, so for it the walk checks only that it refuses the anonymous; what a stream delivers
 * to whom is cloud/test/live/live-scope.test.ts's.
 */
const examples: Record<string, { query?: string; body?: unknown; stream?: true }> = {
  'GET /api/live': { stream: true },
  'GET /api/session': {},
  'DELETE /api/session': {},
  'POST /api/account/password': {
    body: { currentPassword: PASSWORD, newPassword: `${PASSWORD}-new` },
  },
  'GET /api/users': {},
  'POST /api/users/:userId/reset-password': {},
  'POST /api/tokens': { body: { name: 'walk', role: 'viewer' } },
  'GET /api/tokens': {},
  'DELETE /api/tokens/:tokenId': {},
  'GET /api/audit': {},
  'GET /api/signals': {},
  'GET /api/vehicles': {},
  'GET /api/vehicles/:deviceId': {},
  'GET /api/vehicles/:deviceId/samples': {
    query: `signal=Vehicle.Speed&from=${new Date(t0 - 60_000).toISOString()}`,
  },
  'GET /api/vehicles/:deviceId/events': { query: `from=${new Date(t0 - 60_000).toISOString()}` },
  'GET /api/alerts': {},
  'GET /api/alerts/:id': {},
  'POST /api/alerts/:id/ack': {},
  'POST /api/alerts/:id/resolve': {},
  'GET /api/vehicles/:deviceId/service-plan': {},
  'PUT /api/vehicles/:deviceId/service-plan': { body: { intervalKm: 10_000, intervalDays: 365 } },
  'POST /api/vehicles/:deviceId/services': { body: { odometerKm: 12_000 } },
  'GET /api/vehicles/:deviceId/services': {},
};

interface Fixture {
  api: Api;
  access: TestAccess;
  /** Ids of the first store's data: none may reach another store's or organisation's caller. */
  secrets: string[];
  params: Record<string, string>;
  otherOrg: { authorization: string };
  otherStore: { authorization: string };
  /** A fresh session of the first organisation's admin: cookie and CSRF header. */
  ownerSession(): Promise<Record<string, string>>;
  /** Puts back what the rightful caller's request changed that later requests need. */
  restore(r: RouteInfo): Promise<void>;
  close(): Promise<void>;
}

async function fixture(records: RecordsDb): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'fleetline-access-walk-'));
  const logger = createLogger('access-walk-test', 'silent');
  const telemetryDb = new SqliteTelemetryDb({ path: join(dir, 'store.sqlite'), samplesTtlDays: 0 });
  const log = new EmbeddedLog({ path: join(dir, 'log.sqlite'), defaultPartitions: 1 });
  const live = new LiveFeed({ log, logger, metrics: new Registry() });
  const access = await openTestAccess(records);
  const { orgId, storeId } = access;
  const otherStoreA = await records.createStore({ orgId, name: 'Second store', code: 'second' });
  const owner = await records.createUser({
    orgId,
    name: 'Owner admin',
    username: `owner-${orgId.slice(0, 8)}`,
    passwordHash: await hashPassword(PASSWORD),
    mustChangePassword: false,
  });
  await records.grantRole(owner.id, { role: 'org_admin', orgId });
  const spareUser = await records.createUser({
    orgId,
    name: 'Spare advisor',
    mobile: `+86139${String(Date.now()).slice(-8)}`,
    passwordHash: 'not-a-hash',
    mustChangePassword: false,
  });
  await access.bind(DEVICE);
  const vehicle = await records.getVehicleByDevice(DEVICE);
  await telemetryDb.markSeen([{ deviceId: DEVICE, lastSeenMs: t0 }]);
  await telemetryDb.writeSamples([
    { deviceId: DEVICE, signalId: signalId('Vehicle.Speed'), timeMs: t0, value: 42 },
  ]);
  await telemetryDb.setServicePlan({
    deviceId: DEVICE,
    intervalKm: 10_000,
    intervalDays: 365,
    aheadKm: 500,
    aheadDays: 14,
    updatedMs: t0,
    updatedBy: 'walk',
  });
  const alertId = `walk-alert-${orgId.slice(0, 8)}`;
  await records.recordAlertRaised({
    alertId,
    deviceId: DEVICE,
    type: 'collision',
    severity: 'critical',
    conditionKey: 'crash',
    raisedMs: t0,
    evidence: {},
    clearsWhen: 'resolved by a person',
  });
  const tokenA = await records.createToken({
    name: 'spare',
    orgId,
    role: 'viewer',
    createdMs: t0,
    createdBy: `user:${owner.id}`,
    expiresMs: Date.now() + 86_400_000,
    hash: `spare-${orgId}`,
  });
  const api = buildApi({
    telemetryDb,
    records,
    logger,
    metrics: new Registry(),
    live,
    publishServiceUpdate: async () => {},
    access: {
      signInLimits: {
        loginBurst: 1000,
        loginEverySeconds: 1,
        addressBurst: 1000,
        addressEverySeconds: 1,
      },
    },
  });
  await api.ready();
  // A second organisation seeded alike: its admin is the other-organisation caller.
  const otherOrg = await openTestAccess(records);
  return {
    api,
    access,
    secrets: [
      DEVICE,
      alertId,
      vehicle?.id ?? '?',
      vehicle?.vin ?? '?',
      storeId,
      tokenA.id,
      spareUser.id,
      owner.id,
    ],
    params: { deviceId: DEVICE, id: alertId, tokenId: tokenA.id, userId: spareUser.id },
    otherOrg: otherOrg.headers,
    otherStore: await access.token('service_advisor', otherStoreA.id),
    async ownerSession() {
      const res = await api.inject({
        method: 'POST',
        url: '/api/session',
        payload: { login: owner.username, password: PASSWORD },
      });
      expect(res.statusCode).toBe(200);
      const cookie = String(res.headers['set-cookie']).split(';')[0] as string;
      return { cookie, 'x-csrf-token': (res.json() as { csrfToken: string }).csrfToken };
    },
    async restore(r) {
      // The password change: the walk signs in with the first password for every route.
      if (key(r) === 'POST /api/account/password') {
        await records.setPassword(owner.id, await hashPassword(PASSWORD), false);
      }
    },
    async close() {
      await api.close();
      await live.close();
      await log.close();
      await telemetryDb.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const key = (r: RouteInfo) => `${r.method} ${r.url}`;

/** The routes whose answers the walk reads: all but the public ones and streams. */
const walked = (f: Fixture) =>
  routesOf(f.api).filter((r) => r.access !== 'public' && !examples[key(r)]?.stream);

const keyOf = (params: Record<string, string>, value: string) =>
  Object.keys(params).find((k) => params[k] === value) ?? '';

function request(f: Fixture, r: RouteInfo, headers: Record<string, string>) {
  const example = examples[key(r)] ?? {};
  const url = r.url.replace(/:(\w+)/g, (_, name: string) =>
    encodeURIComponent(f.params[name] ?? name),
  );
  return f.api.inject({
    method: r.method as 'GET',
    url: example.query ? `${url}?${example.query}` : url,
    headers,
    ...(example.body === undefined ? {} : { payload: example.body as object }),
  });
}

function walk(name: string, open: () => Promise<RecordsDb>, skip?: () => string | undefined) {
  describe(`every route, on ${name}`, () => {
    let f: Fixture;
    beforeAll(async () => {
      if (skip?.()) return;
      f = await fixture(await open());
    });
    afterAll(async () => {
      await f?.close();
    });

    it('should have an example request for every route, and say who may call each', (ctx) => {
      if (skip?.()) return ctx.skip(skip());
      const routes = routesOf(f.api);
      expect(routes.length).toBeGreaterThan(15);
      for (const r of routes) {
        expect(r.access, key(r)).toBeDefined();
        if (r.access !== 'public')
          expect(examples[key(r)], `no example for ${key(r)}`).toBeDefined();
      }
    });

    it('should refuse an anonymous caller on every route but the public ones', async (ctx) => {
      if (skip?.()) return ctx.skip(skip());
      for (const r of routesOf(f.api).filter((r) => r.access !== 'public')) {
        const res = await request(f, r, {});
        expect(res.statusCode, key(r)).toBe(401);
        for (const s of f.secrets) expect(res.body, key(r)).not.toContain(s);
      }
    });

    it("should give callers of another organisation or store nothing of the first store's", async (ctx) => {
      if (skip?.()) return ctx.skip(skip());
      for (const r of walked(f).filter((r) => r.access !== 'signed-in')) {
        for (const [who, headers] of [
          ['another organisation', f.otherOrg],
          ['another store', f.otherStore],
        ] as const) {
          const res = await request(f, r, headers);
          const what = `${key(r)} by ${who}: ${res.statusCode} ${res.body.slice(0, 200)}`;
          expect(res.statusCode, what).toBeLessThan(500);
          // A 404 may name the id the caller itself sent; nothing else of the store's.
          const sent = Object.values(f.params).filter((v) =>
            r.url.includes(`:${keyOf(f.params, v)}`),
          );
          for (const s of f.secrets.filter((x) => !sent.includes(x))) {
            expect(res.body, what).not.toContain(s);
          }
          // A write to something of the first store's (named in the URL) is refused.
          if (r.method !== 'GET' && r.url.includes(':')) {
            expect(res.statusCode, what).toBeGreaterThanOrEqual(400);
          }
        }
      }
    });

    it('should answer the rightful caller on every route (the refusals above are not bad requests)', async (ctx) => {
      if (skip?.()) return ctx.skip(skip());
      for (const r of walked(f)) {
        const res = await request(f, r, await f.ownerSession());
        expect(res.statusCode, `${key(r)}: ${res.body.slice(0, 300)}`).toBeLessThan(300);
        await f.restore(r);
      }
    });
  });
}

walk('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fleetline-access-walk-records-'));
  return new SqliteRecordsDb({ path: join(dir, 'records.sqlite') });
});

let pgAvailable: { available: boolean; reason?: string } = {
  available: false,
  reason: 'not checked',
};
let database: TestDatabase | undefined;
beforeAll(async () => {
  pgAvailable = await postgres();
});
afterAll(async () => {
  await database?.drop();
});
walk(
  'PostgreSQL',
  async () => {
    database = await createTestDatabase('access_walk');
    return PostgresRecordsDb.open({
      url: database.url,
      poolSize: 4,
      statementTimeoutMs: 10_000,
      connectTimeoutMs: 5_000,
    });
  },
  () => (pgAvailable.available ? undefined : pgAvailable.reason),
);
