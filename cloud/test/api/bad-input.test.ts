import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createLogger,
  EmbeddedLog,
  Registry,
  SqliteTelemetryDb,
  type TelemetryDb,
} from '@fleetline/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestAccess } from '../../../test-support/access.js';
import { type Api, buildApi, routesOf } from '../../src/api/server.js';
import { LiveFeed } from '../../src/live/live-feed.js';

/**
 * Bad input to the HTTP API answers 4xx with a JSON body naming what is wrong, never 500,
 * and changes nothing: malformed JSON, wrong types, huge bodies, bad path parameters, times a
 * Date or the stores cannot hold (leap seconds, before 1970), text with lone UTF-16
 * surrogates. A 500, when something does break inside, says nothing of the inside. Every
 * request is an organisation admin's, on vehicles of the organisation: the refusals are the
 * input's, not the caller's.
 */

const dir = mkdtempSync(join(tmpdir(), 'fleetline-bad-input-'));
const logger = createLogger('bad-input-test', 'silent');
const telemetryDb = new SqliteTelemetryDb({ path: join(dir, 'store.sqlite'), samplesTtlDays: 0 });
const log = new EmbeddedLog({ path: join(dir, 'log.sqlite'), defaultPartitions: 1 });
const live = new LiveFeed({ log, logger, metrics: new Registry() });
const access = await openTestAccess();
await access.bind('veh-1', 'veh-text', 'veh-bytes');
const { records, headers } = access;
const published: unknown[] = [];
let api: Api;

beforeAll(async () => {
  api = buildApi({
    telemetryDb,
    records,
    logger,
    metrics: new Registry(),
    live,
    publishServiceUpdate: async (u) => {
      published.push(u);
    },
  });
  await api.ready();
});
afterAll(async () => {
  await api.close();
  await live.close();
  await log.close();
  await access.close();
  await telemetryDb.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  body: { statusCode?: number; error?: string; message?: string; code?: string };
}

async function send(
  method: string,
  url: string,
  payload?: string | Buffer,
  contentType = 'application/json',
): Promise<Answer> {
  const res = await api.inject({
    method: method as 'GET',
    url,
    headers: payload === undefined ? headers : { ...headers, 'content-type': contentType },
    ...(payload === undefined ? {} : { payload }),
  });
  let body: Answer['body'] = {};
  try {
    body = res.json();
  } catch {
    body = { message: `not JSON: ${res.body.slice(0, 80)}` };
  }
  return { status: res.statusCode, body };
}

/**
 * The answer is a 4xx with a JSON error body whose message names `field` when given — and not
 * a 401: every request here is signed in, so a 401 would be the caller refused, not the input.
 */
function expectRefused(a: Answer, what: string, field?: RegExp) {
  expect(a.status, `${what}: ${JSON.stringify(a.body)}`).not.toBe(401);
  expect(a.status, `${what}: ${JSON.stringify(a.body)}`).toBeGreaterThanOrEqual(400);
  expect(a.status, `${what}: ${JSON.stringify(a.body)}`).toBeLessThan(500);
  expect(a.body.statusCode, what).toBe(a.status);
  expect(a.body.message, what).toBeTruthy();
  if (field) expect(a.body.message, what).toMatch(field);
}

describe('times', () => {
  it('should refuse a leap second, an impossible date and a time out of range, naming the field', async () => {
    const bad = [
      '2016-12-31T23:59:60Z',
      '2026-02-30T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '1969-12-31T23:59:59Z',
      '2100-01-01T00:00:00.001Z',
      '0070-01-01T00:00:00Z',
      '2026-01-01T24:00:00Z',
      '2026-01-01T00:00:00+24:00',
      '2026-01-01',
    ];
    for (const t of bad) {
      const q = encodeURIComponent(t);
      for (const url of [
        `/api/vehicles/veh-1/samples?signal=Vehicle.Speed&from=${q}`,
        `/api/vehicles/veh-1/events?to=${q}`,
        `/api/alerts?from=${q}`,
      ]) {
        const a = await send('GET', url);
        expectRefused(a, url, /querystring\/(from|to) must be an RFC 3339 time/);
        expect(a.status, url).toBe(400);
      }
    }
  });

  it('should accept RFC 3339 times with offsets and fractions, and the ends of the range', async () => {
    for (const [from, to] of [
      ['2026-12-05T08:00:00+08:00', '2026-12-05T08:00:00.123456Z'],
      ['1970-01-01T00:00:00Z', '1970-01-02T00:00:00Z'],
      ['2099-12-31T00:00:00Z', '2100-01-01T00:00:00Z'],
      ['2024-02-29t00:00:00z', '2024-03-01T00:00:00-00:30'],
    ] as const) {
      const url = `/api/alerts?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
      expect((await send('GET', url)).status, url).toBe(200);
    }
  });
});

describe('time ranges', () => {
  const routes = [
    '/api/vehicles/veh-1/samples?signal=Vehicle.Speed&',
    '/api/vehicles/veh-1/samples?signal=Vehicle.Speed&maxPoints=100&',
    '/api/vehicles/veh-1/events?',
    '/api/alerts?',
  ];
  const at = (t: string) => encodeURIComponent(t);

  it('should refuse a range wider than a year on every route that reads one, naming from and to', async () => {
    // A range of days is a read of that many day partitions on Cassandra, one after another.
    for (const route of routes) {
      for (const [from, to] of [
        ['1970-01-01T00:00:00Z', '2100-01-01T00:00:00Z'],
        ['2025-01-01T00:00:00Z', '2026-01-02T00:00:00.001Z'],
      ] as const) {
        const url = `${route}from=${at(from)}&to=${at(to)}`;
        const a = await send('GET', url);
        expectRefused(a, url, /^from \(.*\) is more than 366 days before to \(/);
        expect(a.status, url).toBe(400);
        expect(a.body.message, url).toMatch(/HTTP_MAX_RANGE_DAYS/);
      }
      // Only `from` given: `to` is now, and named as such.
      const since = `${route}from=${at('1970-01-01T00:00:00Z')}`;
      const a = await send('GET', since);
      expectRefused(
        a,
        since,
        /^from \(1970-01-01T00:00:00.000Z\) is more than 366 days before to \(now, /,
      );
      // A year and a day (2024 is a leap year) is within.
      const year = `${route}from=${at('2024-01-01T00:00:00Z')}&to=${at('2025-01-01T00:00:00Z')}`;
      expect((await send('GET', year)).status, year).toBe(200);
    }
  });

  it('should take the widest range from its limits', async () => {
    const narrow = buildApi({
      telemetryDb,
      records,
      logger,
      metrics: new Registry(),
      limits: { maxRangeDays: 2 },
    });
    try {
      for (const route of routes) {
        const wide = `${route}from=${at('2026-01-01T00:00:00Z')}&to=${at('2026-01-03T00:00:01Z')}`;
        const res = await narrow.inject({ method: 'GET', url: wide, headers });
        expect(res.statusCode, wide).toBe(400);
        expect(res.json().message, wide).toMatch(/more than 2 days before to/);
        const ok = `${route}from=${at('2026-01-01T00:00:00Z')}&to=${at('2026-01-03T00:00:00Z')}`;
        expect((await narrow.inject({ method: 'GET', url: ok, headers })).statusCode, ok).toBe(200);
      }
    } finally {
      await narrow.close();
    }
  });
});

describe('text', () => {
  it('should refuse lone UTF-16 surrogates in a JSON body, naming the field, storing nothing', async () => {
    for (const [body, field] of [
      ['{"odometerKm":1,"serviceId":"x","note":"oil \\ud800 change"}', /body\/note/],
      ['{"odometerKm":1,"serviceId":"\\udfff"}', /body\/serviceId/],
      ['{"odometerKm":1,"note":"x","\\ud83d":"k"}', /body .*key/],
    ] as const) {
      const a = await send('POST', '/api/vehicles/veh-text/services', body);
      expectRefused(a, body, field);
      expect(a.status).toBe(400);
      expect(a.body.message).toMatch(/lone UTF-16 surrogate/);
    }
    // A well-formed pair (an emoji, escaped) is text like any other.
    const ok = await send(
      'POST',
      '/api/vehicles/veh-text/services',
      '{"odometerKm":1,"note":"\\ud83d\\ude97"}',
    );
    expect(ok.status).toBe(201);
    expect((await telemetryDb.listServices('veh-text', 10)).map((s) => s.note)).toEqual(['🚗']);
  });

  it('should refuse a body that is not UTF-8 instead of replacing what it cannot read', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"odometerKm":1,"note":"'),
      Buffer.from([0xed, 0xa0, 0x80]), // a surrogate encoded as if it were a character
      Buffer.from('"}'),
    ]);
    const a = await send('POST', '/api/vehicles/veh-bytes/services', bytes);
    expectRefused(a, 'invalid UTF-8', /body is not valid UTF-8/);
    expect(await telemetryDb.listServices('veh-bytes', 10)).toEqual([]);
  });

  it('should refuse query parameters that are not valid percent-encoded UTF-8, naming them', async () => {
    for (const [url, field] of [
      ['/api/alerts?deviceId=%ED%A0%80', /querystring\/deviceId/],
      ['/api/vehicles/veh-1/samples?signal=%C0%AF', /querystring\/signal/],
      ['/api/alerts?%ED%B0%80=1', /querystring/],
    ] as const) {
      const a = await send('GET', url);
      expectRefused(a, url, field);
      expect(a.status).toBe(400);
    }
  });
});

describe('numbers', () => {
  it('should take only plain decimal integers in queries (1e309 was Infinity, past every maximum)', async () => {
    for (const v of ['1e309', '1e2', '0x10', '%205', '1.0']) {
      for (const url of [`/api/alerts?limit=${v}`, `/api/vehicles/veh-1/events?limit=${v}`]) {
        const a = await send('GET', url);
        expectRefused(a, url, /querystring\/limit must be a plain decimal integer/);
      }
    }
    expect((await send('GET', '/api/alerts?limit=10')).status).toBe(200);
  });
});

describe('a 500', () => {
  it('should say nothing of what failed inside', async () => {
    const failing = new Proxy(telemetryDb, {
      get(target, prop, receiver) {
        if (prop === 'listVehicles') {
          return async () => {
            throw Object.assign(new Error('NOT NULL constraint failed: service_records.t_ms'), {
              code: 'SQLITE_CONSTRAINT_NOTNULL',
            });
          };
        }
        return Reflect.get(target, prop, receiver);
      },
    }) as TelemetryDb;
    const broken = buildApi({
      telemetryDb: failing,
      records,
      logger,
      metrics: new Registry(),
    });
    try {
      const res = await broken.inject({ method: 'GET', url: '/api/vehicles', headers });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({
        statusCode: 500,
        error: 'Internal Server Error',
        message: 'internal error',
      });
      expect(res.body).not.toMatch(/SQLITE|constraint|t_ms/i);
    } finally {
      await broken.close();
    }
  });
});

/**
 * Every route the API serves, walked with hostile input. New routes are walked as they come:
 * the list is the API's own.
 */
describe('every route with bad input', () => {
  const badIds = ['-bad', 'a%20b', 'x'.repeat(300), '%00', '..%2F..', '%ED%A0%80', '%'];
  const junkValues = ['x', '-1', '1e309', 'NaN', '%ED%A0%80', '2016-12-31T23:59:60Z', '', '[]'];
  const bodies: [string, string | Buffer, string?][] = [
    ['malformed JSON', '{"by": '],
    ['JSON null', 'null'],
    ['a JSON array', '[]'],
    ['a JSON string', '"by"'],
    ['prototype poisoning', '{"__proto__": {"admin": true}, "by": "x"}'],
    ['constructor poisoning', '{"constructor": {"prototype": {"x": 1}}, "by": "x"}'],
    ['deep nesting', `${'['.repeat(50_000)}${']'.repeat(50_000)}`],
    ['a huge body', Buffer.alloc(2 * 1024 * 1024, 0x61)],
    ['a huge JSON string', JSON.stringify({ by: 'x'.repeat(1_100_000) })],
    ['text/plain', 'by=x', 'text/plain'],
    ['form encoding', 'by=x', 'application/x-www-form-urlencoded'],
  ];
  const wrongTypes: unknown[] = [null, true, -1, 1e308, 'x', [], {}, 'x'.repeat(10_000)];

  it('should answer 4xx with a clear JSON message, never 500, and store nothing', async () => {
    const publishedBefore = published.length;
    const routes = routesOf(api);
    // The walk must see the routes; a list gone empty would pass vacuously.
    expect(routes.length).toBeGreaterThanOrEqual(14);
    const methods = new Set(routes.map((r) => r.method));
    expect(methods).toEqual(new Set(['GET', 'PUT', 'POST', 'DELETE']));
    let tried = 0;
    for (const route of routes) {
      // The path parameter, whichever it is (`:deviceId`, an alert's `:id`).
      const path = (id: string) => route.url.replace(/:\w+/, id);
      const hasId = /:\w+/.test(route.url);
      // Bad path parameters.
      if (hasId) {
        for (const id of badIds) {
          const a = await send(route.method, path(id), route.body ? '{}' : undefined);
          expectRefused(a, `${route.method} ${path(id)}`);
          tried++;
        }
      }
      // Unknown and bad query parameters.
      const base = path('veh-1');
      const signal = route.querystring?.includes('signal') ? '&signal=Vehicle.Speed' : '';
      const unknown = `${base}?nonsense=1${signal}`;
      const a = await send(route.method, unknown, route.body ? '{}' : undefined);
      if (route.querystring) expectRefused(a, `${route.method} ${unknown}`, /additional/);
      // A valid live query opens a stream that never ends: only values it must refuse.
      const values =
        route.url === '/api/live' ? junkValues.filter((v) => !/^[A-Za-z0-9]/.test(v)) : junkValues;
      for (const name of route.querystring ?? []) {
        for (const v of values) {
          const url = `${base}?${name}=${v}${name === 'signal' ? '' : signal}`;
          const r = await send(route.method, url);
          tried++;
          // Some junk is a fine value for a free-text parameter (a vehicle id "x"); never a 500.
          expect(r.status, `${route.method} ${url}: ${JSON.stringify(r.body)}`).toBeLessThan(500);
          if (r.status >= 400) expectRefused(r, url);
        }
      }
      if (!route.body) continue;
      // Bodies that are not what the route takes.
      for (const [what, payload, type] of bodies) {
        const r = await send(route.method, base, payload, type);
        expectRefused(r, `${route.method} ${base} with ${what}`);
        tried++;
      }
      for (const field of route.body) {
        for (const v of wrongTypes) {
          const r = await send(route.method, base, JSON.stringify({ [field]: v }));
          expectRefused(
            r,
            `${route.method} ${base} with ${field}: ${JSON.stringify(v)?.slice(0, 20)}`,
          );
          tried++;
        }
      }
    }
    expect(tried).toBeGreaterThan(200);
    // The caller was still signed in at the end: the refusals were the input's.
    expect((await send('GET', '/api/vehicles')).status).toBe(200);
    expect(published).toHaveLength(publishedBefore);
    expect(await telemetryDb.listServices('veh-1', 10)).toEqual([]);
    expect(await telemetryDb.getServicePlan('veh-1')).toBeUndefined();
  }, 120_000);
});
