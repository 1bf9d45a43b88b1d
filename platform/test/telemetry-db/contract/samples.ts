import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../../../../test-support/infra.js';
import { DAY_MS } from '../../../src/telemetry-db/days.js';
import type { SampleRow, TelemetryDb } from '../../../src/telemetry-db/port/index.js';
import { type Adapter, bigDay, day0, openedPerTest } from './support.js';

/** The contract of the SampleTable part (samples), registered for one adapter. */
export function sampleTableContract(adapter: Adapter): void {
  describe('samples', () => {
    const openTelemetryDb = openedPerTest(adapter);

    const series = (deviceId: string, signalId: number, n: number, stepMs: number, start = day0) =>
      Array.from(
        { length: n },
        (_, i): SampleRow => ({
          deviceId,
          signalId,
          timeMs: start + i * stepMs,
          value: i * 0.25 - 3,
        }),
      );

    it('should return the samples of one signal in [from, to), ordered by time', async () => {
      const telemetryDb = await openTelemetryDb();
      const device = uniqueName('veh');
      const rows = series(device, 1, 100, 1000);
      await telemetryDb.writeSamples([...rows].reverse());
      await telemetryDb.writeSamples(series(device, 2, 10, 1000));
      const got = await telemetryDb.querySamples({
        deviceId: device,
        signalId: 1,
        fromMs: day0 + 10_000,
        toMs: day0 + 20_000,
        limit: 1000,
      });
      expect(got).toEqual(rows.slice(10, 20).map((r) => ({ timeMs: r.timeMs, value: r.value })));
    });

    it('should keep one row when the same samples are written again (idempotent writes)', async () => {
      const telemetryDb = await openTelemetryDb();
      const device = uniqueName('veh');
      const rows = series(device, 1, 50, 100);
      await telemetryDb.writeSamples(rows);
      await telemetryDb.writeSamples(rows);
      await telemetryDb.writeSamples(rows.slice(0, 10).map((r) => ({ ...r, value: 99 })));
      const got = await telemetryDb.querySamples({
        deviceId: device,
        signalId: 1,
        fromMs: day0,
        toMs: day0 + DAY_MS,
        limit: 1000,
      });
      expect(got).toHaveLength(50);
      expect(got.slice(0, 10).every((s) => s.value === 99)).toBe(true);
      expect(got[10]?.value).toBe(rows[10]?.value);
    });

    it('should keep the later of two samples of one time in one write, whatever their order', async () => {
      const telemetryDb = await openTelemetryDb();
      const device = uniqueName('veh');
      const at = (k: number, value: number): SampleRow => ({
        deviceId: device,
        signalId: 5,
        timeMs: day0 + k * 1000,
        value,
      });
      await telemetryDb.writeSamples([at(2, 20), at(1, 10), at(3, 30), at(1, 11), at(2, 21)]);
      const got = await telemetryDb.querySamples({
        deviceId: device,
        signalId: 5,
        fromMs: day0,
        toMs: day0 + DAY_MS,
        limit: 10,
      });
      expect(got).toEqual([
        { timeMs: day0 + 1000, value: 11 },
        { timeMs: day0 + 2000, value: 21 },
        { timeMs: day0 + 3000, value: 30 },
      ]);
    });

    it('should read across day boundaries in order and honour the limit', async () => {
      const telemetryDb = await openTelemetryDb();
      const device = uniqueName('veh');
      // 4 samples a day for 3 days, starting mid-day
      const rows = series(device, 7, 12, DAY_MS / 4, day0 + DAY_MS / 8);
      await telemetryDb.writeSamples(rows);
      const all = await telemetryDb.querySamples({
        deviceId: device,
        signalId: 7,
        fromMs: day0,
        toMs: day0 + 4 * DAY_MS,
        limit: 100,
      });
      expect(all.map((s) => s.timeMs)).toEqual(rows.map((r) => r.timeMs));
      const limited = await telemetryDb.querySamples({
        deviceId: device,
        signalId: 7,
        fromMs: day0,
        toMs: day0 + 4 * DAY_MS,
        limit: 6,
      });
      expect(limited.map((s) => s.timeMs)).toEqual(rows.slice(0, 6).map((r) => r.timeMs));
    });

    it('should read a fast signal between any two instants, written in pieces out of order', async () => {
      const telemetryDb = await openTelemetryDb();
      const device = uniqueName('veh');
      // 20 Hz for three minutes, from a little before a minute begins: 3,600 samples, more
      // than one write's batch, each minute written in two pieces, the later piece first.
      const start = day0 + 3 * 60_000 - 1_250;
      const rows = series(device, 4, 3_600, 50, start);
      const odd = rows.filter((_, i) => i % 2 === 1);
      const even = rows.filter((_, i) => i % 2 === 0);
      await telemetryDb.writeSamples(odd);
      await telemetryDb.writeSamples(even);
      const read = (fromMs: number, toMs: number, limit: number) =>
        telemetryDb.querySamples({ deviceId: device, signalId: 4, fromMs, toMs, limit });
      const expected = (from: number, to: number) =>
        rows
          .filter((r) => r.timeMs >= from && r.timeMs < to)
          .map((r) => ({ timeMs: r.timeMs, value: r.value }));
      expect(await read(start, start + 180_000, 10_000)).toEqual(expected(start, start + 180_000));
      // Mid-minute to mid-minute, bounds falling on samples and between them.
      const from = start + 30_025;
      const to = start + 95_050;
      expect(await read(from, to, 10_000)).toEqual(expected(from, to));
      // A limit that ends inside a minute.
      expect(await read(from, to, 777)).toEqual(expected(from, to).slice(0, 777));
    });

    it('should keep written data across a reopen', async () => {
      const telemetryDb = await openTelemetryDb();
      const device = uniqueName('veh');
      await telemetryDb.writeSamples(series(device, 3, 5, 1000));
      await telemetryDb.markSeen([{ deviceId: device, lastSeenMs: day0 }]);
      await telemetryDb.close();
      const again = await openTelemetryDb();
      const got = await again.querySamples({
        deviceId: device,
        signalId: 3,
        fromMs: day0,
        toMs: day0 + DAY_MS,
        limit: 10,
      });
      expect(got).toHaveLength(5);
      expect((await again.listVehicles()).some((v) => v.deviceId === device)).toBe(true);
    });
  });

  describe('samples, more than one page', () => {
    let telemetryDb: TelemetryDb;
    beforeAll(async () => {
      telemetryDb = await adapter.open();
    });
    afterAll(async () => {
      await telemetryDb?.close();
    });

    it('should return every sample of a day partition holding 12,000 rows, in order, up to the limit', async () => {
      const device = uniqueName('veh');
      const rows = Array.from(
        { length: 12_000 },
        (_, i): SampleRow => ({
          deviceId: device,
          signalId: 1,
          timeMs: bigDay + i * 5000,
          value: i,
        }),
      );
      await telemetryDb.writeSamples(rows);
      const q = { deviceId: device, signalId: 1, fromMs: bigDay, toMs: bigDay + DAY_MS };
      const all = await telemetryDb.querySamples({ ...q, limit: 100_000 });
      expect(all).toHaveLength(12_000);
      expect(all.every((s, i) => s.timeMs === bigDay + i * 5000 && s.value === i)).toBe(true);
      const some = await telemetryDb.querySamples({ ...q, limit: 7_777 });
      expect(some).toHaveLength(7_777);
      expect(some[7_776]).toEqual({ timeMs: bigDay + 7_776 * 5000, value: 7_776 });
      const tail = await telemetryDb.querySamples({
        ...q,
        fromMs: bigDay + 6_000 * 5000,
        limit: 100_000,
      });
      expect(tail).toHaveLength(6_000);
    }, 120_000);
  });
}
