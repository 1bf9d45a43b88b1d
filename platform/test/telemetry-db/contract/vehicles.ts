import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../../../../test-support/infra.js';
import type { TelemetryDb } from '../../../src/telemetry-db/port/index.js';
import { type Adapter, bigDay, day0, openedPerTest, PAGE_PLUS } from './support.js';

/** The contract of the VehicleTable part (vehicles), registered for one adapter. */
export function vehicleTableContract(adapter: Adapter): void {
  describe('vehicles', () => {
    const openTelemetryDb = openedPerTest(adapter);

    it('should only move lastSeen forward and list every vehicle', async () => {
      const telemetryDb = await openTelemetryDb();
      const a = uniqueName('veh-a');
      const b = uniqueName('veh-b');
      await telemetryDb.markSeen([{ deviceId: a, lastSeenMs: day0 + 2000 }]);
      await telemetryDb.markSeen([
        { deviceId: a, lastSeenMs: day0 + 1000 },
        { deviceId: b, lastSeenMs: day0 + 500 },
      ]);
      await telemetryDb.markSeen([{ deviceId: b, lastSeenMs: day0 + 3000 }]);
      const list = await telemetryDb.listVehicles();
      expect(list.find((v) => v.deviceId === a)?.lastSeenMs).toBe(day0 + 2000);
      expect(list.find((v) => v.deviceId === b)?.lastSeenMs).toBe(day0 + 3000);
    });

    it('should read one vehicle’s lastSeen by its id', async () => {
      const telemetryDb = await openTelemetryDb();
      const a = uniqueName('veh-a');
      await telemetryDb.markSeen([{ deviceId: a, lastSeenMs: day0 + 2000 }]);
      await telemetryDb.markSeen([{ deviceId: a, lastSeenMs: day0 + 1000 }]);
      expect(await telemetryDb.getVehicle(a)).toEqual({ deviceId: a, lastSeenMs: day0 + 2000 });
      expect(await telemetryDb.getVehicle(uniqueName('veh-none'))).toBeUndefined();
    });
  });

  describe('vehicles, more than one page', () => {
    let telemetryDb: TelemetryDb;
    beforeAll(async () => {
      telemetryDb = await adapter.open();
    });
    afterAll(async () => {
      await telemetryDb?.close();
    });

    it('should list every vehicle when there are more than a page of them', async () => {
      const prefix = uniqueName('fleet');
      const seen = Array.from({ length: PAGE_PLUS }, (_, i) => ({
        deviceId: `${prefix}-${i}`,
        lastSeenMs: bigDay + i,
      }));
      await telemetryDb.markSeen(seen);
      const listed = (await telemetryDb.listVehicles()).filter((v) =>
        v.deviceId.startsWith(prefix),
      );
      expect(listed).toHaveLength(PAGE_PLUS);
      expect(new Map(listed.map((v) => [v.deviceId, v.lastSeenMs]))).toEqual(
        new Map(seen.map((v) => [v.deviceId, v.lastSeenMs])),
      );
    }, 120_000);
  });
}
