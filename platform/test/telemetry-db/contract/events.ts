import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../../../../test-support/infra.js';
import { DAY_MS } from '../../../src/telemetry-db/days.js';
import type { TelemetryDb } from '../../../src/telemetry-db/port/index.js';
import { type Adapter, bigDay, day0, openedPerTest, PAGE_PLUS } from './support.js';

/** The contract of the EventTable part (events), registered for one adapter. */
export function eventTableContract(adapter: Adapter): void {
  describe('events', () => {
    const openTelemetryDb = openedPerTest(adapter);

    const event = (deviceId: string, seq: number, timeMs: number, kind = 'troubleCodes') => ({
      deviceId,
      seq,
      timeMs,
      kind,
      detail: JSON.stringify({ seq, codes: ['P0301'], text: 'ünïcödé' }),
    });

    it('should keep one row when events are written again', async () => {
      const telemetryDb = await openTelemetryDb();
      const dev = uniqueName('veh');
      const rows = [event(dev, 1, day0 + 10), event(dev, 2, day0 + 20, 'collision')];
      await telemetryDb.writeEvents(rows);
      await telemetryDb.writeEvents(rows); // a replay
      await telemetryDb.writeEvents([rows[0]!]);
      const got = await telemetryDb.listEvents({
        deviceId: dev,
        fromMs: day0,
        toMs: day0 + DAY_MS,
        limit: 100,
      });
      expect(got).toEqual([rows[1], rows[0]]);
      expect(JSON.parse(got[1]!.detail)).toEqual({ seq: 1, codes: ['P0301'], text: 'ünïcödé' });
    });

    it('should list events in [from, to) newest first across days, by kind, up to the limit', async () => {
      const telemetryDb = await openTelemetryDb();
      const dev = uniqueName('veh');
      const other = uniqueName('veh');
      const rows = [
        event(dev, 1, day0 - DAY_MS + 5), // the day before
        event(dev, 2, day0 - 1, 'collision'), // the last ms of that day
        event(dev, 3, day0, 'collision'), // the first ms of the next
        event(dev, 4, day0 + 50),
        event(dev, 5, day0 + 50), // same time: seq decides
        event(dev, 6, day0 + DAY_MS + 7, 'triggerCapture'),
        event(dev, 7, day0 + 2 * DAY_MS), // at `to`: excluded
      ];
      // Written out of order, and an event of another vehicle in the range.
      await telemetryDb.writeEvents([...rows].reverse());
      await telemetryDb.writeEvents([event(other, 1, day0 + 60)]);
      const seqs = async (q: Partial<Parameters<TelemetryDb['listEvents']>[0]>) =>
        (
          await telemetryDb.listEvents({
            deviceId: dev,
            fromMs: day0 - DAY_MS,
            toMs: day0 + 2 * DAY_MS,
            limit: 100,
            ...q,
          })
        ).map((e) => e.seq);
      expect(await seqs({})).toEqual([6, 5, 4, 3, 2, 1]);
      expect(await seqs({ limit: 3 })).toEqual([6, 5, 4]);
      expect(await seqs({ kind: 'collision' })).toEqual([3, 2]);
      expect(await seqs({ kind: 'troubleCodes', limit: 2 })).toEqual([5, 4]);
      expect(await seqs({ kind: 'collision', limit: 1 })).toEqual([3]);
      expect(await seqs({ fromMs: day0, toMs: day0 + DAY_MS })).toEqual([5, 4, 3]);
      expect(await seqs({ fromMs: day0 - 1, toMs: day0 + 1 })).toEqual([3, 2]);
      expect(await seqs({ kind: 'none' })).toEqual([]);
    });
  });

  describe('events, more than one page', () => {
    let telemetryDb: TelemetryDb;
    beforeAll(async () => {
      telemetryDb = await adapter.open();
    });
    afterAll(async () => {
      await telemetryDb?.close();
    });

    it('should list every event of a day holding more than a page, newest first', async () => {
      const device = uniqueName('veh');
      const rows = Array.from({ length: PAGE_PLUS }, (_, i) => ({
        deviceId: device,
        seq: i + 1,
        timeMs: bigDay + i * 10_000,
        kind: i % 4 === 0 ? 'collision' : 'troubleCodes',
        detail: '{}',
      }));
      await telemetryDb.writeEvents(rows);
      const q = { deviceId: device, fromMs: bigDay, toMs: bigDay + DAY_MS };
      const all = await telemetryDb.listEvents({ ...q, limit: 100_000 });
      expect(all.map((e) => e.seq)).toEqual(rows.map((r) => r.seq).reverse());
      const collisions = await telemetryDb.listEvents({ ...q, kind: 'collision', limit: 100_000 });
      expect(collisions).toHaveLength(Math.ceil(PAGE_PLUS / 4));
    }, 120_000);
  });
}
