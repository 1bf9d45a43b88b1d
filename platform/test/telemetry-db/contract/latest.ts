import { describe, expect, it } from 'vitest';
import { uniqueName } from '../../../../test-support/infra.js';
import type { SampleRow } from '../../../src/telemetry-db/port/index.js';
import { type Adapter, day0, openedPerTest } from './support.js';

/** The contract of the LatestValueTable part (latest values), registered for one adapter. */
export function latestValueTableContract(adapter: Adapter): void {
  describe('latest values', () => {
    const openTelemetryDb = openedPerTest(adapter);

    it('should keep each signal’s newest value whatever order the writes come in', async () => {
      const telemetryDb = await openTelemetryDb();
      const dev = uniqueName('veh');
      const other = uniqueName('veh');
      expect(await telemetryDb.latestValues(dev)).toEqual([]);
      const row = (signalId: number, timeMs: number, value: number): SampleRow => ({
        deviceId: dev,
        signalId,
        timeMs,
        value,
      });
      // A batch holding several samples of one signal, out of order.
      await telemetryDb.writeLatest([
        row(5, day0 + 3000, 30),
        row(5, day0 + 9000, 90),
        row(1, day0, 1),
      ]);
      // A late (replayed) batch with older samples: changes nothing.
      await telemetryDb.writeLatest([row(5, day0 + 4000, 40), row(1, day0 - 1000, -1)]);
      // A newer one moves them on.
      await telemetryDb.writeLatest([row(1, day0 + 500, 2), row(3, day0 + 100, 7.5)]);
      await telemetryDb.writeLatest([{ ...row(1, day0 + 9_999_000, 55), deviceId: other }]);
      expect(await telemetryDb.latestValues(dev)).toEqual([
        row(1, day0 + 500, 2),
        row(3, day0 + 100, 7.5),
        row(5, day0 + 9000, 90),
      ]);
      await telemetryDb.close();
      const again = await openTelemetryDb();
      expect((await again.latestValues(dev)).map((r) => r.value)).toEqual([2, 7.5, 90]);
      expect(await again.latestValues(other)).toEqual([
        { deviceId: other, signalId: 1, timeMs: day0 + 9_999_000, value: 55 },
      ]);
    });
  });
}
