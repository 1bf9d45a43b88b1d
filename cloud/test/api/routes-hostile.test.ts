import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, EmbeddedLog, Registry, SqliteTelemetryDb } from '@fleetline/platform';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestAccess } from '../../../test-support/access.js';
import { type Api, buildApi, type RouteInfo, routesOf } from '../../src/api/server.js';
import { LiveFeed } from '../../src/live/live-feed.js';

/**
 * Every route of the HTTP API under generated input (the hostile-input suite's HTTP part;
 * bad-input.test.ts holds the targeted cases): path ids, query parameters and JSON bodies
 * drawn from any text, numbers at their extremes, times near the edges of the range, and
 * JSON of any shape. Whatever comes, the answer is never a 5xx, a refusal is a JSON error
 * body with a message, and the API goes on answering a plain request after each case. Every
 * request is an organisation admin's, so the cases reach past sign-in.
 */

const dir = mkdtempSync(join(tmpdir(), 'fleetline-routes-hostile-'));
const logger = createLogger('routes-hostile-test', 'silent');
const telemetryDb = new SqliteTelemetryDb({ path: join(dir, 'store.sqlite'), samplesTtlDays: 0 });
const log = new EmbeddedLog({ path: join(dir, 'log.sqlite'), defaultPartitions: 1 });
const live = new LiveFeed({ log, logger, metrics: new Registry() });
const access = await openTestAccess();
// A vehicle of the caller's, so that cases naming it reach the handlers past the access check.
await access.bind('veh-1');
const { headers } = access;
let api: Api;

beforeAll(async () => {
  api = buildApi({
    telemetryDb,
    records: access.records,
    logger,
    metrics: new Registry(),
    live,
    publishServiceUpdate: async () => {},
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

/** Text of every kind a query or path can carry, raw or percent-encoded. */
const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '%', '%00', '%ED%A0%80', '%FF', '..%2F..', '-1', '0x10', '1e309'),
  fc.integer().map(String),
  fc.double().map(String),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('1969-12-31T23:59:59Z', '2100-01-01T00:00:00Z', '2016-12-31T23:59:60Z'),
);
const encoded = (s: string) => (/%[0-9A-Fa-f]{2}/.test(s) ? s : encodeURIComponent(s));

/** The names a route declares (its body's fields, its query's parameters), or `fallback`. */
const namesOr = (names: readonly string[] | undefined, fallback: string) =>
  names?.length ? names : [fallback];

/** JSON bodies: any JSON, or an object of the route's own fields with values of any type. */
const bodyFor = (route: RouteInfo) =>
  fc.oneof(
    fc.json({ maxDepth: 3 }),
    fc
      .dictionary(
        fc.constantFrom(...namesOr(route.body, 'by')),
        fc.oneof(
          fc.jsonValue({ maxDepth: 2 }),
          text,
          fc.double(),
          fc.constantFrom(Number.MAX_SAFE_INTEGER, -0, 1e308, -1e308),
        ),
      )
      .map((o) => JSON.stringify(o)),
  );

const caseFor = (route: RouteInfo) =>
  fc.record({
    id: fc.oneof(text, fc.constant('veh-1')),
    query: fc.dictionary(fc.constantFrom(...namesOr(route.querystring, 'x')), text, {
      maxKeys: 4,
    }),
    body: route.body ? fc.option(bodyFor(route), { nil: undefined }) : fc.constant(undefined),
  });

describe('every route under generated input', () => {
  // A valid GET /api/live is a stream that never ends, which inject() would wait for;
  // its refusals are walked in bad-input.test.ts.
  const routes = () => routesOf(api).filter((r) => r.url !== '/api/live');

  it('should never answer 5xx, refuse with a JSON message, and keep serving', async () => {
    expect(routes().length).toBeGreaterThanOrEqual(13);
    const statuses = new Map<number, number>();
    for (const route of routes()) {
      await fc.assert(
        fc.asyncProperty(caseFor(route), async (c) => {
          // The path parameter, whichever it is (`:deviceId`, an alert's `:id`).
          const path = route.url.replace(/:\w+/, encoded(c.id) || '%20');
          const query = Object.entries(c.query)
            .map(([k, v]) => `${k}=${encoded(v)}`)
            .join('&');
          const url = query ? `${path}?${query}` : path;
          const res = await api.inject({
            method: route.method as 'GET',
            url,
            ...(c.body === undefined
              ? { headers }
              : { payload: c.body, headers: { ...headers, 'content-type': 'application/json' } }),
          });
          const what = `${route.method} ${url} ${c.body ?? ''}`.slice(0, 300);
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          expect(res.statusCode, `${what} → ${res.body.slice(0, 200)}`).toBeLessThan(500);
          if (res.statusCode >= 400) {
            const body = res.json() as { statusCode?: number; message?: string };
            expect(body.statusCode, what).toBe(res.statusCode);
            expect(body.message, what).toBeTruthy();
          }
          // Also: still signed in, so the next case's refusals are its input's.
          const alive = await api.inject({ method: 'GET', url: '/api/signals', headers });
          expect(alive.statusCode, `after ${what}`).toBe(200);
        }),
        { numRuns: 60 },
      );
    }
    // The cases reach past the schemas into the handlers, not only refusals at the door.
    const answered = [...statuses].filter(([code]) => code !== 400).reduce((n, [, k]) => n + k, 0);
    expect(statuses.get(400), JSON.stringify([...statuses])).toBeGreaterThan(100);
    expect(answered, JSON.stringify([...statuses])).toBeGreaterThan(50);
  }, 120_000);
});
