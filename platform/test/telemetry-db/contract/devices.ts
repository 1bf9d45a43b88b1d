import { describe, expect, it } from 'vitest';
import { uniqueName } from '../../../../test-support/infra.js';
import { type Adapter, day0, openedPerTest } from './support.js';

/** The contract of the DeviceRegistry part (device registry), registered for one adapter. */
export function deviceRegistryContract(adapter: Adapter): void {
  describe('device registry', () => {
    const openTelemetryDb = openedPerTest(adapter);

    it('should register a device once, list it, and keep its record on a second add', async () => {
      const telemetryDb = await openTelemetryDb();
      const id = uniqueName('dev');
      const first = { deviceId: id, secretHash: 'scrypt$a', createdMs: day0 };
      expect(await telemetryDb.addDevice(first)).toBe(true);
      expect(
        await telemetryDb.addDevice({ ...first, secretHash: 'scrypt$b', createdMs: day0 + 1 }),
      ).toBe(false);
      expect(await telemetryDb.getDevice(id)).toEqual(first);
      expect(await telemetryDb.getDevice(`${id}-none`)).toBeUndefined();
      const listed = await telemetryDb.listDevices();
      expect(listed.find((d) => d.deviceId === id)).toEqual(first);
      const ids = listed.map((d) => d.deviceId);
      expect(ids).toEqual([...ids].sort());
    });

    it('should revoke a device for good, keeping the first revocation time', async () => {
      const telemetryDb = await openTelemetryDb();
      const id = uniqueName('dev');
      expect(await telemetryDb.revokeDevice(id, day0)).toBe(false);
      await telemetryDb.addDevice({ deviceId: id, secretHash: 'scrypt$x', createdMs: day0 });
      expect(await telemetryDb.revokeDevice(id, day0 + 10)).toBe(true);
      expect(await telemetryDb.revokeDevice(id, day0 + 20)).toBe(true);
      expect((await telemetryDb.getDevice(id))?.revokedMs).toBe(day0 + 10);
      await telemetryDb.close();
      const again = await openTelemetryDb();
      expect((await again.getDevice(id))?.revokedMs).toBe(day0 + 10);
    });
  });
}
