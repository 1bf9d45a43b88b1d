import { describe, expect, it } from 'vitest';
import { uniqueName } from '../../../../test-support/infra.js';
import { type Adapter, day0, openedPerTest } from './support.js';

/** The contract of the SnapshotTable part (actor snapshots), registered for one adapter. */
export function snapshotTableContract(adapter: Adapter): void {
  describe('actor snapshots', () => {
    const openTelemetryDb = openedPerTest(adapter);

    it('should keep an actor’s latest snapshot, never replaced by an older save', async () => {
      const telemetryDb = await openTelemetryDb();
      const id = uniqueName('actor');
      expect(await telemetryDb.loadSnapshot(id)).toBeUndefined();
      const data = JSON.stringify({ open: { 'overheat/overheat': 'a1' }, text: 'ünïcödé ✓' });
      await telemetryDb.saveSnapshot({ actorId: id, data, savedMs: day0 + 2000 });
      expect(await telemetryDb.loadSnapshot(id)).toEqual({
        actorId: id,
        data,
        savedMs: day0 + 2000,
      });
      // An old owner finishing late: ignored.
      await telemetryDb.saveSnapshot({ actorId: id, data: '{"stale":true}', savedMs: day0 + 1000 });
      expect((await telemetryDb.loadSnapshot(id))?.data).toBe(data);
      await telemetryDb.saveSnapshot({ actorId: id, data: '{"newer":true}', savedMs: day0 + 3000 });
      await telemetryDb.close();
      const again = await openTelemetryDb();
      expect(await again.loadSnapshot(id)).toEqual({
        actorId: id,
        data: '{"newer":true}',
        savedMs: day0 + 3000,
      });
    });
  });
}
