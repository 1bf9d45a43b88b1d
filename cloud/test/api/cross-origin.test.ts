import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, Registry, SqliteTelemetryDb } from '@fleetline/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestAccess, type TestAccess } from '../../../test-support/access.js';
import { type Api, buildApi } from '../../src/api/server.js';

/**
 * CORS only for configured origins, and never with credentials: an allowed origin's page may
 * call with an API token (and read why it was refused); any other origin gets no CORS header;
 * with nothing configured no answer carries one.
 */

const ALLOWED = 'https://crm.example.com';
const dir = mkdtempSync(join(tmpdir(), 'fleetline-cors-'));
const telemetryDb = new SqliteTelemetryDb({ path: join(dir, 'store.sqlite'), samplesTtlDays: 0 });
let access: TestAccess;
let open: Api;
let closed: Api;

const build = (corsOrigins: string[]) =>
  buildApi({
    telemetryDb,
    records: access.records,
    logger: createLogger('cors-test', 'silent'),
    metrics: new Registry(),
    access: { corsOrigins },
  });

const preflight = (api: Api, origin: string, requestHeaders = 'authorization') =>
  api.inject({
    method: 'OPTIONS',
    url: '/api/vehicles',
    headers: {
      origin,
      'access-control-request-method': 'GET',
      'access-control-request-headers': requestHeaders,
    },
  });

beforeAll(async () => {
  access = await openTestAccess();
  open = build([ALLOWED]);
  closed = build([]);
  await open.ready();
  await closed.ready();
});
afterAll(async () => {
  await open.close();
  await closed.close();
  await access.close();
  await telemetryDb.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('CORS for configured origins', () => {
  it('should answer an allowed origin’s preflight, without credentials', async () => {
    const res = await preflight(open, ALLOWED);
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(String(res.headers['access-control-allow-headers'])).toContain('authorization');
    expect(String(res.headers['access-control-allow-methods'])).toContain('DELETE');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('should let an allowed origin read a token call’s answer, and a refusal’s', async () => {
    const ok = await open.inject({
      method: 'GET',
      url: '/api/vehicles',
      headers: { origin: ALLOWED, ...access.headers },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe(ALLOWED);
    const refused = await open.inject({
      method: 'GET',
      url: '/api/vehicles',
      headers: { origin: ALLOWED },
    });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['access-control-allow-origin']).toBe(ALLOWED);
  });

  it('should give another origin no CORS header, preflight or not', async () => {
    for (const origin of ['https://evil.example', 'https://crm.example.com.evil.example']) {
      const pre = await preflight(open, origin);
      expect(pre.headers['access-control-allow-origin']).toBeUndefined();
      const res = await open.inject({
        method: 'GET',
        url: '/api/vehicles',
        headers: { origin, ...access.headers },
      });
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    }
  });

  it('should give no CORS header at all when no origin is configured', async () => {
    const pre = await preflight(closed, ALLOWED);
    expect(pre.statusCode).toBe(404);
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    const res = await closed.inject({
      method: 'GET',
      url: '/api/vehicles',
      headers: { origin: ALLOWED, ...access.headers },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});
