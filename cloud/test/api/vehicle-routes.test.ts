import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, Registry, type SampleRow, SqliteTelemetryDb } from '@fleetline/platform';
import { signalId } from '@fleetline/proto';
import { afterAll, describe, expect, it } from 'vitest';
import { openTestAccess } from '../../../test-support/access.js';
import { buildApi } from '../../src/api/server.js';

/**
 * One vehicle through the API: latest state, samples (raw and downsampled), events. Asked by
 * an organisation admin; every device read is bound to a vehicle of the organisation.
 */

const t0 = Date.UTC(2026, 10, 25, 8, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();
const dir = mkdtempSync(join(tmpdir(), 'fleetline-vehicle-api-'));
const telemetryDb = new SqliteTelemetryDb({ path: join(dir, 'store.sqlite'), samplesTtlDays: 0 });
const access = await openTestAccess();
await access.bind(
  'veh-listed',
  'veh-1',
  'veh-status',
  'veh-seen',
  'veh-key',
  'veh-quiet',
  'veh-s',
  'veh-dense',
  'veh-e',
);
const api = buildApi({
  telemetryDb,
  records: access.records,
  logger: createLogger('vehicle-api-test', 'silent'),
  metrics: new Registry(),
});
afterAll(async () => {
  await api.close();
  await access.close();
  await telemetryDb.close();
  rmSync(dir, { recursive: true, force: true });
});

const speed = signalId('Vehicle.Speed');
const odometer = signalId('Vehicle.TraveledDistance');
const get = async (url: string) => {
  const res = await api.inject({ method: 'GET', url, headers: access.headers });
  return { status: res.statusCode, body: res.json() as unknown };
};

/** What the business records say of the vehicle the device is bound to, as the API names it. */
async function recordOf(deviceId: string) {
  const v = await access.records.getVehicleByDevice(deviceId);
  if (!v) throw new Error(`${deviceId} is not bound`);
  return {
    vehicleId: v.id,
    deviceId,
    vin: v.vin,
    homeStoreId: access.storeId,
    sharedStoreIds: [],
    disabled: false,
  };
}

describe('GET /api/vehicles', () => {
  it('should list each vehicle by its device id, with when it was last heard from', async () => {
    await telemetryDb.markSeen([{ deviceId: 'veh-listed', lastSeenMs: t0 + 42 }]);
    const { status, body } = await get('/api/vehicles');
    expect(status).toBe(200);
    expect(body).toContainEqual({ ...(await recordOf('veh-listed')), lastSeen: iso(t0 + 42) });
    // A vehicle whose device was never heard from is listed without a lastSeen.
    expect(body).toContainEqual(await recordOf('veh-quiet'));
  });
});

describe('GET /api/vehicles/:deviceId', () => {
  it('should answer the latest value of each signal with its name and unit, and the connection', async () => {
    const row = (signal: number, timeMs: number, value: number): SampleRow => ({
      deviceId: 'veh-1',
      signalId: signal,
      timeMs,
      value,
    });
    await telemetryDb.markSeen([{ deviceId: 'veh-1', lastSeenMs: t0 + 9_000 }]);
    await telemetryDb.writeLatest([
      row(odometer, t0 + 5_000, 12_345.6),
      row(speed, t0 + 8_000, 52.5),
      row(9999, t0 + 8_000, 1), // not in this catalogue: left out
    ]);
    await telemetryDb.writeLatest([row(speed, t0 + 1_000, 10)]); // older: changes nothing
    await telemetryDb.recordStatus({
      deviceId: 'veh-1',
      state: 'online',
      timeMs: t0,
      agentVersion: '0.3.1',
    });
    expect(await get('/api/vehicles/veh-1')).toEqual({
      status: 200,
      body: {
        ...(await recordOf('veh-1')),
        lastSeen: iso(t0 + 9_000),
        connection: { state: 'online', since: iso(t0), agentVersion: '0.3.1' },
        signals: [
          { name: 'Vehicle.Speed', unit: 'km/h', t: iso(t0 + 8_000), v: 52.5 },
          { name: 'Vehicle.TraveledDistance', unit: 'km', t: iso(t0 + 5_000), v: 12_345.6 },
        ],
      },
    });
  });

  it('should answer a vehicle known only by its status, and one seen without a status', async () => {
    await telemetryDb.recordStatus({
      deviceId: 'veh-status',
      state: 'offline',
      timeMs: t0 + 77,
      agentVersion: '0.1.0',
    });
    expect((await get('/api/vehicles/veh-status')).body).toEqual({
      ...(await recordOf('veh-status')),
      lastSeen: iso(t0 + 77),
      connection: { state: 'offline', since: iso(t0 + 77), agentVersion: '0.1.0' },
      signals: [],
    });
    await telemetryDb.markSeen([{ deviceId: 'veh-seen', lastSeenMs: t0 }]);
    expect((await get('/api/vehicles/veh-seen')).body).toEqual({
      ...(await recordOf('veh-seen')),
      lastSeen: iso(t0),
      signals: [],
    });
  });

  it('should read the vehicle by its id, never by listing every vehicle', async () => {
    // On Cassandra a list of every vehicle is a scan of the whole table, per request.
    const noLists = new Proxy(telemetryDb, {
      get(target, name, receiver) {
        if (name === 'listVehicles') {
          return () => Promise.reject(new Error('listVehicles called for one vehicle'));
        }
        const value = Reflect.get(target, name, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const scoped = buildApi({
      telemetryDb: noLists,
      records: access.records,
      logger: createLogger('vehicle-api-test', 'silent'),
      metrics: new Registry(),
    });
    try {
      await telemetryDb.markSeen([{ deviceId: 'veh-key', lastSeenMs: t0 + 5 }]);
      const res = await scoped.inject({
        method: 'GET',
        url: '/api/vehicles/veh-key',
        headers: access.headers,
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        ...(await recordOf('veh-key')),
        lastSeen: iso(t0 + 5),
        signals: [],
      });
    } finally {
      await scoped.close();
    }
  });

  it('should answer a bound vehicle never heard from, 404 for a device bound to none, and 400 for a bad id', async () => {
    expect(await get('/api/vehicles/veh-quiet')).toEqual({
      status: 200,
      body: { ...(await recordOf('veh-quiet')), signals: [] },
    });
    const none = await get('/api/vehicles/veh-none');
    expect(none.status).toBe(404);
    expect(none.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    expect((none.body as { message: string }).message).toMatch(/veh-none/);
    const bad = await get('/api/vehicles/bad%20id');
    expect(bad.status).toBe(400);
    expect((bad.body as { message: string }).message).toMatch(/params\/deviceId/);
  });
});

describe('GET /api/vehicles/:deviceId/samples', () => {
  // One hour of speed at 1 Hz: the value is the second of the hour.
  const hour = Array.from(
    { length: 3600 },
    (_, i): SampleRow => ({ deviceId: 'veh-s', signalId: speed, timeMs: t0 + i * 1000, value: i }),
  );
  const range = `from=${iso(t0)}&to=${iso(t0 + 3600_000)}`;

  it('should answer raw samples without maxPoints, up to limit', async () => {
    await telemetryDb.writeSamples(hour);
    const { status, body } = await get(
      `/api/vehicles/veh-s/samples?signal=Vehicle.Speed&${range}&limit=5`,
    );
    expect(status).toBe(200);
    expect(body).toEqual(hour.slice(0, 5).map((s) => ({ t: iso(s.timeMs), v: s.value })));
  });

  it('should answer at most maxPoints buckets of equal width with mean, min, max and count', async () => {
    const { status, body } = await get(
      `/api/vehicles/veh-s/samples?signal=Vehicle.Speed&${range}&maxPoints=60`,
    );
    expect(status).toBe(200);
    const buckets = body as { t: string; v: number; min: number; max: number; n: number }[];
    expect(buckets).toHaveLength(60);
    expect(buckets[0]).toEqual({ t: iso(t0), v: 29.5, min: 0, max: 59, n: 60 });
    expect(buckets[59]).toEqual({
      t: iso(t0 + 59 * 60_000),
      v: 3569.5,
      min: 3540,
      max: 3599,
      n: 60,
    });
    // 7 points over an hour: buckets of ceil(3600 s / 7) ms.
    const seven = (
      await get(`/api/vehicles/veh-s/samples?signal=Vehicle.Speed&${range}&maxPoints=7`)
    ).body as { t: string; n: number }[];
    expect(seven).toHaveLength(7);
    expect(seven.map((b) => b.t)).toEqual(
      Array.from({ length: 7 }, (_, i) => iso(t0 + i * Math.ceil(3600_000 / 7))),
    );
    expect(seven.reduce((n, b) => n + b.n, 0)).toBe(3600);
  });

  it('should answer the raw samples when the range holds no more than maxPoints', async () => {
    const { body } = await get(
      `/api/vehicles/veh-s/samples?signal=Vehicle.Speed&from=${iso(t0)}&to=${iso(t0 + 10_000)}&maxPoints=10`,
    );
    expect(body).toEqual(hour.slice(0, 10).map((s) => ({ t: iso(s.timeMs), v: s.value })));
  });

  it('should read a range of many pages of samples into the buckets', async () => {
    // 25,000 samples at 10 Hz: more than two pages of the telemetry database.
    const rows = Array.from(
      { length: 25_000 },
      (_, i): SampleRow => ({
        deviceId: 'veh-dense',
        signalId: speed,
        timeMs: t0 + i * 100,
        value: i % 2 === 0 ? 10 : 20,
      }),
    );
    await telemetryDb.writeSamples(rows);
    const { body } = await get(
      `/api/vehicles/veh-dense/samples?signal=Vehicle.Speed&from=${iso(t0)}&to=${iso(t0 + 2_500_000)}&maxPoints=50`,
    );
    const buckets = body as { v: number; min: number; max: number; n: number }[];
    expect(buckets).toHaveLength(50);
    expect(buckets.every((b) => b.n === 500 && b.v === 15 && b.min === 10 && b.max === 20)).toBe(
      true,
    );
  });

  it('should refuse bad input, naming it', async () => {
    const bad = async (query: string, message: RegExp) => {
      const { status, body } = await get(`/api/vehicles/veh-s/samples?${query}`);
      expect(status, query).toBe(400);
      expect((body as { message: string }).message, query).toMatch(message);
    };
    await bad(`signal=Vehicle.Speed&${range}&maxPoints=0`, /maxPoints/);
    await bad(`signal=Vehicle.Speed&${range}&maxPoints=10001`, /maxPoints/);
    await bad(`signal=Vehicle.Speed&${range}&maxPoints=10&limit=5`, /limit and maxPoints/);
    await bad(`signal=Vehicle.Nope&${range}`, /unknown signal/);
    await bad(`signal=Vehicle.Speed&from=${iso(t0 + 1)}&to=${iso(t0)}&maxPoints=5`, /before/);
  });
});

describe('GET /api/vehicles/:deviceId/events', () => {
  const day = 86_400_000;
  const event = (seq: number, timeMs: number, kind: string, detail: unknown) => ({
    deviceId: 'veh-e',
    seq,
    timeMs,
    kind,
    detail: JSON.stringify(detail),
  });

  it('should list events newest first with their detail, filtered by kind and time, up to limit', async () => {
    const collision = { severity: 'severe', peakG: 25.9, deltaVKmh: 46, direction: 'front' };
    await telemetryDb.writeEvents([
      event(1, t0 - day, 'troubleCodes', { codes: ['P0171'] }),
      event(2, t0, 'collision', collision),
      event(3, t0 + 1000, 'troubleCodes', { codes: [] }),
      event(4, t0 + day, 'triggerCapture', { name: 'collision', relatedSeq: 2 }),
    ]);
    await telemetryDb.writeEvents(
      [event(9, t0, 'collision', collision)].map((e) => ({ ...e, deviceId: 'x' })),
    );
    const list = async (query: string) =>
      (
        await get(
          `/api/vehicles/veh-e/events?from=${iso(t0 - 2 * day)}&to=${iso(t0 + 2 * day)}${query}`,
        )
      ).body as { seq: number; time: string; kind: string; detail: unknown }[];
    expect((await list('')).map((e) => e.seq)).toEqual([4, 3, 2, 1]);
    expect(await list('&kind=collision')).toEqual([
      { seq: 2, time: iso(t0), kind: 'collision', detail: collision },
    ]);
    expect((await list('&kind=troubleCodes&limit=1')).map((e) => e.detail)).toEqual([
      { codes: [] },
    ]);
    expect((await list('&limit=2')).map((e) => e.seq)).toEqual([4, 3]);
    const day0 = (await get(`/api/vehicles/veh-e/events?from=${iso(t0)}&to=${iso(t0 + 1000)}`))
      .body as { seq: number }[];
    expect(day0.map((e) => e.seq)).toEqual([2]);
  });

  it('should refuse an unknown kind and an empty range', async () => {
    expect((await get('/api/vehicles/veh-e/events?kind=nope')).status).toBe(400);
    const { status, body } = await get(`/api/vehicles/veh-e/events?from=${iso(t0)}&to=${iso(t0)}`);
    expect(status).toBe(400);
    expect((body as { message: string }).message).toMatch(/from .* must be before to/);
    expect((await get('/api/vehicles/veh-e/events?limit=1001')).status).toBe(400);
  });
});
