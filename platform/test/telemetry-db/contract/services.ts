import { describe, expect, it } from 'vitest';
import { uniqueName } from '../../../../test-support/infra.js';
import { DAY_MS } from '../../../src/telemetry-db/days.js';
import { type Adapter, day0, openedPerTest } from './support.js';

/** The contract of the ServiceTable part (service plans and records), registered for one adapter. */
export function serviceTableContract(adapter: Adapter): void {
  describe('service plans and records', () => {
    const openTelemetryDb = openedPerTest(adapter);

    it('should replace a vehicle’s service plan', async () => {
      const telemetryDb = await openTelemetryDb();
      const dev = uniqueName('veh');
      expect(await telemetryDb.getServicePlan(dev)).toBeUndefined();
      const plan = {
        deviceId: dev,
        intervalKm: 15_000,
        intervalDays: 365,
        aheadKm: 750.5,
        aheadDays: 14,
        updatedMs: day0,
        updatedBy: 'li.wei',
      };
      await telemetryDb.setServicePlan(plan);
      expect(await telemetryDb.getServicePlan(dev)).toEqual(plan);
      const replaced = {
        ...plan,
        intervalKm: 10_000,
        intervalDays: 180,
        aheadKm: 0,
        aheadDays: 7,
        updatedMs: day0 + 5000,
        updatedBy: 'zhang.min',
      };
      await telemetryDb.setServicePlan(replaced);
      await telemetryDb.close();
      const again = await openTelemetryDb();
      expect(await again.getServicePlan(dev)).toEqual(replaced);
      expect(await again.getServicePlan(uniqueName('veh'))).toBeUndefined();
    });

    it('should record a service once by id and list a vehicle’s services newest first', async () => {
      const telemetryDb = await openTelemetryDb();
      const dev = uniqueName('veh');
      const other = uniqueName('veh');
      const service = (serviceId: string, timeMs: number, odometerKm: number) => ({
        deviceId: dev,
        serviceId,
        timeMs,
        odometerKm,
        by: 'garage 7',
        note: `oil and filters (${serviceId})`,
      });
      const first = service('s-b', day0 - 200 * DAY_MS, 9_876.5);
      const second = service('s-a', day0, 19_950);
      const third = service('s-c', day0 + 30 * DAY_MS, 20_100);
      await telemetryDb.recordService(second);
      await telemetryDb.recordService(first);
      await telemetryDb.recordService(third);
      await telemetryDb.recordService(second); // a replay
      // The same id again — a retry with another time and odometer: changes nothing.
      await telemetryDb.recordService({
        ...second,
        timeMs: day0 + 60_000,
        odometerKm: 1,
        note: 'x',
      });
      await telemetryDb.recordService({ ...first, deviceId: other });
      expect(await telemetryDb.listServices(dev, 10)).toEqual([third, second, first]);
      expect(await telemetryDb.listServices(dev, 2)).toEqual([third, second]);
      expect(await telemetryDb.listServices(other, 10)).toEqual([{ ...first, deviceId: other }]);
      expect(await telemetryDb.listServices(uniqueName('veh'), 10)).toEqual([]);
    });
  });
}
