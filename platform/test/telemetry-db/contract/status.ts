import { describe, expect, it } from 'vitest';
import { uniqueName } from '../../../../test-support/infra.js';
import { type Adapter, day0, openedPerTest } from './support.js';

/** The contract of the DeviceStatusTable part (device status), registered for one adapter. */
export function deviceStatusTableContract(adapter: Adapter): void {
  describe('device status', () => {
    const openTelemetryDb = openedPerTest(adapter);

    it('should keep the newest device status, never replaced by an older report', async () => {
      const telemetryDb = await openTelemetryDb();
      const dev = uniqueName('dev');
      expect(await telemetryDb.getStatus(dev)).toBeUndefined();
      const online = {
        deviceId: dev,
        state: 'online',
        timeMs: day0 + 2000,
        agentVersion: '0.2.0',
      } as const;
      await telemetryDb.recordStatus(online);
      expect(await telemetryDb.getStatus(dev)).toEqual(online);
      // An older report (a retained last will read late): ignored.
      await telemetryDb.recordStatus({ ...online, state: 'offline', timeMs: day0 + 1000 });
      expect(await telemetryDb.getStatus(dev)).toEqual(online);
      const offline = { ...online, state: 'offline', timeMs: day0 + 3000 } as const;
      await telemetryDb.recordStatus(offline);
      await telemetryDb.close();
      const again = await openTelemetryDb();
      expect(await again.getStatus(dev)).toEqual(offline);
    });
  });
}
