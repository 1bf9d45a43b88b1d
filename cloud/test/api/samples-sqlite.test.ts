import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, Registry, type SampleRow, SqliteTelemetryDb } from '@fleetline/platform';
import { signalId } from '@fleetline/proto';
import { afterAll, describe, expect, it } from 'vitest';
import { openTestAccess } from '../../../test-support/access.js';
import { downsample } from '../../src/api/downsample.js';
import { buildApi } from '../../src/api/server.js';

/**
 * The samples route on a telemetry database that summarises buckets itself (SQLite, in SQL on a
 * reader thread): the same answer as summarising every sample here, and a clear 503 when the
 * database has too many expensive reads waiting.
 */

const t0 = Date.UTC(2026, 10, 25, 8, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();
const dir = mkdtempSync(join(tmpdir(), 'fleetline-samples-sqlite-'));
const access = await openTestAccess();
await access.bind('veh');
const { headers } = access;
const telemetryDbs: SqliteTelemetryDb[] = [];
const apis: ReturnType<typeof buildApi>[] = [];
afterAll(async () => {
  await Promise.all(apis.map((a) => a.close()));
  await Promise.all(telemetryDbs.map((s) => s.close()));
  await access.close();
  rmSync(dir, { recursive: true, force: true });
});
const system = (name: string, o: { readWorkers?: number; readQueue?: number } = {}) => {
  const telemetryDb = new SqliteTelemetryDb({
    path: join(dir, `${name}.sqlite`),
    samplesTtlDays: 0,
    ...o,
  });
  // What the operations port serves as /metrics.
  const metrics = new Registry();
  const api = buildApi({
    telemetryDb,
    records: access.records,
    logger: createLogger('samples-sqlite-test', 'silent'),
    metrics,
  });
  telemetryDbs.push(telemetryDb);
  apis.push(api);
  return { telemetryDb, api, metrics };
};
const speed = signalId('Vehicle.Speed');

describe('GET /api/vehicles/:deviceId/samples?maxPoints= on the SQLite telemetry database', () => {
  it('should answer the buckets that summarising every sample gives', async () => {
    const { telemetryDb, api } = system('same');
    // Irregular times (jittered, with gaps) and values of every sign and scale.
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const rows: SampleRow[] = [];
    for (let t = t0; t < t0 + 6 * 3600_000; t += 1 + Math.floor(random() * 4000)) {
      if (Math.floor((t - t0) / 600_000) % 7 === 3) continue; // 10-minute gaps
      rows.push({
        deviceId: 'veh',
        signalId: speed,
        timeMs: t,
        value: (random() - 0.3) * 10 ** (random() * 6),
      });
    }
    await telemetryDb.writeSamples(rows);
    for (const [fromMs, toMs, maxPoints] of [
      [t0, t0 + 6 * 3600_000, 1000],
      [t0 + 1, t0 + 6 * 3600_000 - 1, 7],
      [t0 - 3600_000, t0 + 3600_000, 10_000], // fewer samples than that: the samples
      [t0, t0 + 6 * 3600_000, 2000],
      [t0 + 12_345, t0 + 3 * 3600_000 + 17, 333],
    ] as const) {
      const res = await api.inject({
        method: 'GET',
        url: `/api/vehicles/veh/samples?signal=Vehicle.Speed&from=${iso(fromMs)}&to=${iso(toMs)}&maxPoints=${maxPoints}`,
        headers,
      });
      expect(res.statusCode).toBe(200);
      const got = res.json() as { t: string; v: number; min: number; max: number; n: number }[];
      const inRange = rows.filter((r) => r.timeMs >= fromMs && r.timeMs < toMs);
      if (inRange.length <= maxPoints) {
        expect(got).toEqual(inRange.map((r) => ({ t: iso(r.timeMs), v: r.value })));
        continue;
      }
      const want = downsample(inRange, { fromMs, toMs, maxPoints });
      expect(want.length).toBeGreaterThan(1);
      expect(got.map(({ v, ...rest }) => rest)).toEqual(
        want.map(({ v, t, ...rest }) => ({ t: iso(t), ...rest })),
      );
      // The mean, summed in another order, agrees to the last few bits.
      got.forEach((b, i) => {
        const v = want[i]?.v ?? Number.NaN;
        expect(Math.abs(b.v - v), `bucket ${i}`).toBeLessThanOrEqual(1e-12 * Math.abs(v) + 1e-12);
      });
    }
  });

  it('should answer 503 with Retry-After when too many expensive reads are waiting', async () => {
    const { telemetryDb, api, metrics } = system('busy', { readWorkers: 1, readQueue: 1 });
    await telemetryDb.writeSamples(
      Array.from({ length: 5000 }, (_, i) => ({
        deviceId: 'veh',
        signalId: speed,
        timeMs: t0 + i * 1000,
        value: i,
      })),
    );
    const url = `/api/vehicles/veh/samples?signal=Vehicle.Speed&from=${iso(t0)}&to=${iso(t0 + 5000_000)}&maxPoints=100`;
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => api.inject({ method: 'GET', url, headers })),
    );
    const refused = answers.filter((a) => a.statusCode === 503);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(r.headers['retry-after']).toBe('1');
      expect(r.json()).toMatchObject({
        statusCode: 503,
        error: 'Service Unavailable',
        code: 'STORE_BUSY',
        message: expect.stringMatching(/too many reads at once/),
      });
    }
    for (const a of answers.filter((x) => x.statusCode !== 503)) {
      expect(a.statusCode).toBe(200);
      expect((a.json() as unknown[]).length).toBe(100);
    }
    // Once the reads are done, the same request is answered.
    expect((await api.inject({ method: 'GET', url, headers })).statusCode).toBe(200);
    // Each refusal is counted, by route (served on the operations port, not the API's).
    expect((await api.inject({ method: 'GET', url: '/metrics', headers })).statusCode).toBe(404);
    expect(await metrics.metrics()).toContain(
      `fleetline_api_store_busy_total{route="/api/vehicles/:deviceId/samples"} ${refused.length}`,
    );
  });
});
