import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, Registry, SqliteTelemetryDb } from '@fleetline/platform';
import { decodeServiceUpdate, encodeServiceUpdate, type ServiceUpdate } from '@fleetline/proto';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestAccess } from '../../../test-support/access.js';
import { buildApi } from '../../src/api/server.js';

/**
 * Service plans and service records through the API, each change passed on as a ServiceUpdate.
 * Who set a plan or recorded a service is the caller (here API tokens, named `token <name>`).
 */

const t0 = Date.UTC(2026, 10, 25, 8, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();
const dir = mkdtempSync(join(tmpdir(), 'fleetline-service-api-'));
const telemetryDb = new SqliteTelemetryDb({ path: join(dir, 'store.sqlite'), samplesTtlDays: 0 });
const access = await openTestAccess();
await access.bind(
  'veh-p',
  'veh-bad',
  'veh-s',
  'veh-l',
  'veh-none',
  'veh-q',
  'veh-1969',
  'veh-leap',
  'veh-r',
);
const advisor = await access.token('service_advisor', access.storeId);
const ADMIN = 'token test org_admin';
const ADVISOR = 'token test service_advisor';
const published: ServiceUpdate[] = [];
let failPublishing = false;
const api = buildApi({
  telemetryDb,
  records: access.records,
  logger: createLogger('service-api-test', 'silent'),
  metrics: new Registry(),
  publishServiceUpdate: async (update) => {
    if (failPublishing) throw new Error('log unreachable');
    // What goes on the wire must pass the codec.
    published.push(decodeServiceUpdate(encodeServiceUpdate(update)));
  },
});
/** The same API without a publisher. */
const quiet = buildApi({
  telemetryDb,
  records: access.records,
  logger: createLogger('service-api-test', 'silent'),
  metrics: new Registry(),
});
afterAll(async () => {
  await api.close();
  await quiet.close();
  await access.close();
  await telemetryDb.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  published.length = 0;
  failPublishing = false;
});

const call = async (
  method: 'GET' | 'PUT' | 'POST',
  url: string,
  payload?: object,
  app = api,
  headers = access.headers,
) => {
  const res = await app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  return { status: res.statusCode, body: res.json() as Record<string, unknown> };
};

describe('service plan', () => {
  it('should answer 404 until a plan is set, then the plan, replaced by the next', async () => {
    const none = await call('GET', '/api/vehicles/veh-p/service-plan');
    expect(none.status).toBe(404);
    expect(none.body.message).toMatch(/no service plan .*veh-p/);
    const before = Date.now();
    const put = await call('PUT', '/api/vehicles/veh-p/service-plan', {
      intervalKm: 15_000,
      intervalDays: 365,
      aheadKm: 1000,
      aheadDays: 30,
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      deviceId: 'veh-p',
      intervalKm: 15_000,
      intervalDays: 365,
      aheadKm: 1000,
      aheadDays: 30,
      updatedBy: ADMIN,
    });
    const updatedMs = Date.parse(put.body.updatedAt as string);
    expect(updatedMs).toBeGreaterThanOrEqual(before);
    expect(published).toEqual([
      {
        deviceId: 'veh-p',
        timeMs: updatedMs,
        change: {
          kind: 'plan',
          plan: { intervalKm: 15_000, intervalDays: 365, aheadKm: 1000, aheadDays: 30 },
        },
      },
    ]);
    expect(await call('GET', '/api/vehicles/veh-p/service-plan')).toEqual({
      status: 200,
      body: put.body,
    });
    // Replaced by another caller; "ahead" defaults to 500 km / 14 days, or a tenth of a
    // shorter interval.
    const replaced = await call(
      'PUT',
      '/api/vehicles/veh-p/service-plan',
      { intervalKm: 3000, intervalDays: 90 },
      api,
      advisor,
    );
    expect(replaced.body).toMatchObject({ intervalKm: 3000, aheadKm: 300, aheadDays: 9 });
    expect((await call('GET', '/api/vehicles/veh-p/service-plan')).body).toMatchObject({
      intervalKm: 3000,
      intervalDays: 90,
      aheadKm: 300,
      aheadDays: 9,
      updatedBy: ADVISOR,
    });
    expect(published.map((u) => u.change)).toContainEqual({
      kind: 'plan',
      plan: { intervalKm: 3000, intervalDays: 90, aheadKm: 300, aheadDays: 9 },
    });
  });

  it('should refuse a bad plan with 400 naming the field, and store nothing', async () => {
    const plan = { intervalKm: 10_000, intervalDays: 365 };
    const cases: [object, RegExp][] = [
      [{ ...plan, intervalKm: 0 }, /intervalKm/],
      [{ ...plan, intervalDays: -1 }, /intervalDays/],
      [{ ...plan, intervalKm: 'many' }, /intervalKm/],
      [{ ...plan, aheadKm: 10_000 }, /aheadKm \(10000\) must be less than body\/intervalKm/],
      [{ ...plan, aheadDays: 400 }, /aheadDays/],
      [{ ...plan, aheadKm: -5 }, /aheadKm/],
      // Who sets it is the caller: a body cannot name someone else.
      [{ ...plan, by: 'li.wei' }, /additional properties/],
      [{ ...plan, updatedBy: '' }, /additional properties/],
      [{ ...plan, colour: 'red' }, /additional properties/],
    ];
    for (const [body, message] of cases) {
      const res = await call('PUT', '/api/vehicles/veh-bad/service-plan', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(res.body.message, JSON.stringify(body)).toMatch(message);
    }
    expect((await call('GET', '/api/vehicles/veh-bad/service-plan')).status).toBe(404);
    expect(published).toEqual([]);
  });
});

describe('services', () => {
  it('should record a service once by its id, answering the first record again', async () => {
    const first = await call('POST', '/api/vehicles/veh-s/services', {
      serviceId: 'svc-1',
      time: iso(t0),
      odometerKm: 19_950.5,
      note: 'oil, filters',
    });
    const record = {
      serviceId: 'svc-1',
      deviceId: 'veh-s',
      time: iso(t0),
      odometerKm: 19_950.5,
      by: ADMIN,
      note: 'oil, filters',
    };
    expect(first).toEqual({ status: 201, body: record });
    // A retry, by another caller: another time (a client defaulting to now), odometer and
    // caller change nothing.
    const again = await call(
      'POST',
      '/api/vehicles/veh-s/services',
      { serviceId: 'svc-1', odometerKm: 1 },
      api,
      advisor,
    );
    expect(again).toEqual({ status: 200, body: record });
    expect((await call('GET', '/api/vehicles/veh-s/services')).body).toEqual([record]);
    const update: ServiceUpdate = {
      deviceId: 'veh-s',
      timeMs: t0,
      change: { kind: 'serviced', serviced: { serviceId: 'svc-1', odometerKm: 19_950.5 } },
    };
    expect(published).toEqual([update, update]);
  });

  it('should give a service without an id a fresh one and the time now, and list newest first', async () => {
    const before = Date.now();
    const a = await call('POST', '/api/vehicles/veh-l/services', { odometerKm: 500 });
    expect(a.status).toBe(201);
    expect(a.body.serviceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(a.body.time as string)).toBeGreaterThanOrEqual(before);
    expect(a.body.note).toBe('');
    const b = await call('POST', '/api/vehicles/veh-l/services', {
      odometerKm: 100,
      time: iso(before - 2 * 86_400_000),
    });
    const c = await call('POST', '/api/vehicles/veh-l/services', {
      odometerKm: 300,
      time: iso(before - 86_400_000),
    });
    expect(b.body.serviceId).not.toBe(a.body.serviceId);
    const list = await call('GET', '/api/vehicles/veh-l/services');
    expect(list.body).toEqual([a.body, c.body, b.body]);
    expect((await call('GET', '/api/vehicles/veh-l/services?limit=1')).body).toEqual([a.body]);
    expect((await call('GET', '/api/vehicles/veh-none/services')).body).toEqual([]);
    expect(published.map((u) => u.change.kind)).toEqual(['serviced', 'serviced', 'serviced']);
  });

  it('should refuse a bad service with 400 naming the field', async () => {
    const cases: [object, RegExp][] = [
      [{ note: 'x' }, /odometerKm/],
      [{ odometerKm: -1 }, /odometerKm/],
      // Who did it is the caller: a body cannot name someone else.
      [{ odometerKm: 1, by: 'x' }, /additional properties/],
      [{ odometerKm: 1, time: 'yesterday' }, /time/],
      [{ odometerKm: 1, serviceId: '' }, /serviceId/],
    ];
    for (const [body, message] of cases) {
      const res = await call('POST', '/api/vehicles/veh-bad/services', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.message, JSON.stringify(body)).toMatch(message);
    }
    expect((await call('GET', '/api/vehicles/veh-bad/services?limit=0')).status).toBe(400);
    expect((await call('GET', '/api/vehicles/a%20b/services')).status).toBe(400);
    expect(published).toEqual([]);
  });

  it('should store and answer without a publisher, and answer 503 when publishing fails', async () => {
    const quietPost = await call(
      'POST',
      '/api/vehicles/veh-q/services',
      { serviceId: 'q-1', odometerKm: 10 },
      quiet,
    );
    expect(quietPost.status).toBe(201);
    const quietPut = await call(
      'PUT',
      '/api/vehicles/veh-q/service-plan',
      { intervalKm: 5000, intervalDays: 180 },
      quiet,
    );
    expect(quietPut.status).toBe(200);
    expect(published).toEqual([]);

    failPublishing = true;
    const failed = await call('POST', '/api/vehicles/veh-q/services', {
      serviceId: 'q-2',
      odometerKm: 20,
    });
    expect(failed.status).toBe(503);
    expect(failed.body.message).toMatch(/stored, but .*log unreachable.*repeat/);
    // Stored all the same; repeating the request passes it on.
    failPublishing = false;
    const retried = await call('POST', '/api/vehicles/veh-q/services', {
      serviceId: 'q-2',
      odometerKm: 20,
    });
    expect(retried.status).toBe(200);
    expect(published.map((u) => u.change)).toEqual([
      { kind: 'serviced', serviced: { serviceId: 'q-2', odometerKm: 20 } },
    ]);
  });
});

describe('services and the wire time range', () => {
  it('should refuse a service before 1970 with 400 naming the time, storing nothing', async () => {
    // It used to be stored, then refused by the wire (negative time) on the way to the
    // processor: a 503 "repeat the request" for good, and without a serviceId each repeat
    // stored it again under a new id.
    for (let attempt = 0; attempt < 3; attempt++) {
      const res = await call('POST', '/api/vehicles/veh-1969/services', {
        time: '1969-07-20T20:17:40Z',
        odometerKm: 12,
      });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/body\/time/);
      expect(res.body.message).toMatch(/1970-01-01T00:00:00Z/);
    }
    expect((await call('GET', '/api/vehicles/veh-1969/services')).body).toEqual([]);
    expect(published).toEqual([]);
  });

  it('should refuse a leap second and a date that does not exist, naming the time', async () => {
    for (const time of ['2016-12-31T23:59:60Z', '2026-02-30T08:00:00Z', '2100-01-01T00:00:00Z']) {
      const res = await call('POST', '/api/vehicles/veh-leap/services', {
        time,
        odometerKm: 12,
      });
      expect(res.status, time).toBe(400);
      expect(res.body.message, time).toMatch(/body\/time/);
    }
    expect((await call('GET', '/api/vehicles/veh-leap/services')).body).toEqual([]);
  });

  it('should name the id a service was stored under when it cannot be passed on, so a repeat is idempotent', async () => {
    failPublishing = true;
    const failed = await call('POST', '/api/vehicles/veh-r/services', { odometerKm: 20 });
    expect(failed.status).toBe(503);
    const serviceId = failed.body.serviceId as string;
    expect(serviceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(failed.body.message).toContain(`repeat the request with "serviceId": "${serviceId}"`);
    failPublishing = false;
    const retried = await call('POST', '/api/vehicles/veh-r/services', {
      serviceId,
      odometerKm: 20,
    });
    expect(retried.status).toBe(200);
    expect((await call('GET', '/api/vehicles/veh-r/services')).body).toEqual([retried.body]);
  });
});
