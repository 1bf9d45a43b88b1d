import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../../../../test-support/infra.js';
import type { AlertQuery, RecordsDb } from '../../../src/records-db/port/index.js';
import { type Adapter, day0, openedPerTest } from './support.js';

const DAY_MS = 86_400_000;
/** More alerts than a page of any driver's or of the API's, in one day. */
const MANY = 5_050;
/** In the past, away from the other cases' days. */
const bigDay = Date.UTC(2026, 2, 3);

/** Runs op over the items, `limit` at a time. */
async function each<T>(items: readonly T[], limit: number, op: (item: T) => Promise<unknown>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await op(items[next++] as T);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

/** The contract of the AlertTable part (the alert book), less the scope (alert-scope.ts). */
export function alertTableContract(adapter: Adapter): void {
  describe('alerts', () => {
    const openRecordsDb = openedPerTest(adapter);

    const raisedAlert = (deviceId: string, n: number, raisedMs: number) => ({
      alertId: `${deviceId}-a${n}`,
      deviceId,
      type: n % 2 === 0 ? 'overheat' : 'collision',
      severity: 'critical',
      conditionKey: `k${n}`,
      raisedMs,
      evidence: { peakG: 27.5, source: 'edge' },
      clearsWhen: 'people resolve it',
    });

    it('should record an alert, idempotently, and take it through acknowledged and resolved, with who and when', async () => {
      const recordsDb = await openRecordsDb();
      const dev = uniqueName('dev');
      const a = raisedAlert(dev, 1, day0 + 1000);
      await recordsDb.recordAlertRaised(a);
      expect(await recordsDb.getAlert(a.alertId)).toEqual({ ...a, state: 'open' });
      expect(await recordsDb.acknowledgeAlert(a.alertId, 'li.wei', day0 + 2000)).toEqual({
        ...a,
        state: 'acknowledged',
        acknowledgedMs: day0 + 2000,
        acknowledgedBy: 'li.wei',
      });
      // The same alert recorded again (a replay) leaves its acknowledgement alone.
      await recordsDb.recordAlertRaised(a);
      expect((await recordsDb.getAlert(a.alertId))?.state).toBe('acknowledged');
      await recordsDb.resolveAlert(a.alertId, 'zhang.min', day0 + 3000);
      // Later acknowledgements and resolutions do not rewrite history.
      await recordsDb.acknowledgeAlert(a.alertId, 'someone.else', day0 + 4000);
      await recordsDb.resolveAlert(a.alertId, 'someone.else', day0 + 5000);
      await recordsDb.close();
      const again = await openRecordsDb();
      expect(await again.getAlert(a.alertId)).toEqual({
        ...a,
        state: 'resolved',
        acknowledgedMs: day0 + 2000,
        acknowledgedBy: 'li.wei',
        resolvedMs: day0 + 3000,
        resolvedBy: 'zhang.min',
      });
      expect(await again.getAlert('no-such-alert')).toBeUndefined();
      expect(await again.acknowledgeAlert('no-such-alert', 'x', day0)).toBeUndefined();
    });

    it('should resolve an alert whose condition cleared, unless people resolved it first', async () => {
      const recordsDb = await openRecordsDb();
      const dev = uniqueName('dev');
      const a = raisedAlert(dev, 2, day0);
      const b = raisedAlert(dev, 4, day0 + 10);
      await recordsDb.recordAlertRaised(a);
      await recordsDb.recordAlertRaised(b);
      await recordsDb.recordAlertCleared(a.alertId, day0 + 60_000);
      await recordsDb.recordAlertCleared(a.alertId, day0 + 90_000); // again: the first stands
      expect(await recordsDb.getAlert(a.alertId)).toMatchObject({
        state: 'resolved',
        clearedMs: day0 + 60_000,
        resolvedMs: day0 + 60_000,
        resolvedBy: 'cleared by data',
      });
      await recordsDb.resolveAlert(b.alertId, 'li.wei', day0 + 20_000);
      await recordsDb.recordAlertCleared(b.alertId, day0 + 60_000);
      expect(await recordsDb.getAlert(b.alertId)).toMatchObject({
        state: 'resolved',
        clearedMs: day0 + 60_000,
        resolvedBy: 'li.wei',
      });
      await recordsDb.recordAlertCleared('no-such-alert', day0); // ignored
    });

    it('should list alerts newest first across days, filtered, up to the limit', async () => {
      const recordsDb = await openRecordsDb();
      const dev = uniqueName('dev');
      const other = uniqueName('dev');
      const times = [
        day0 - DAY_MS + 5,
        day0 + 10,
        day0 + 20,
        day0 + DAY_MS + 30,
        day0 + 2 * DAY_MS,
      ];
      for (const [i, t] of times.entries())
        await recordsDb.recordAlertRaised(raisedAlert(dev, i, t));
      await recordsDb.recordAlertRaised(raisedAlert(other, 9, day0 + 15));
      await recordsDb.acknowledgeAlert(`${dev}-a1`, 'li.wei', day0 + 100);
      const ids = async (q: Partial<AlertQuery>) =>
        (
          await recordsDb.listAlerts({
            fromMs: day0 - DAY_MS,
            toMs: day0 + 2 * DAY_MS,
            limit: 100,
            ...q,
          })
        ).map((a) => a.alertId);
      expect(await ids({ deviceId: dev })).toEqual([
        `${dev}-a3`,
        `${dev}-a2`,
        `${dev}-a1`,
        `${dev}-a0`,
      ]);
      expect(await ids({ deviceId: dev, limit: 2 })).toEqual([`${dev}-a3`, `${dev}-a2`]);
      expect(await ids({ deviceId: dev, type: 'overheat' })).toEqual([`${dev}-a2`, `${dev}-a0`]);
      expect(await ids({ deviceId: dev, state: 'acknowledged' })).toEqual([`${dev}-a1`]);
      expect(await ids({ fromMs: day0, toMs: day0 + DAY_MS })).toEqual(
        expect.arrayContaining([`${dev}-a2`, `${other}-a9`, `${dev}-a1`]),
      );
      expect(
        (await ids({ fromMs: day0, toMs: day0 + DAY_MS })).filter(
          (id) => id.startsWith(dev) || id.startsWith(other),
        ),
      ).toEqual([`${dev}-a2`, `${other}-a9`, `${dev}-a1`]);
    });

    it('should list an alert by the state it reached, also after its raise is recorded again', async () => {
      const recordsDb = await openRecordsDb();
      const dev = uniqueName('dev');
      const [a, b, c] = [1, 2, 3].map((n) => raisedAlert(dev, n, day0 + 3 * DAY_MS + n));
      for (const x of [a!, b!, c!]) await recordsDb.recordAlertRaised(x);
      await recordsDb.acknowledgeAlert(a!.alertId, 'li.wei', day0 + 3 * DAY_MS + 100);
      await recordsDb.resolveAlert(b!.alertId, 'li.wei', day0 + 3 * DAY_MS + 100);
      await recordsDb.recordAlertCleared(c!.alertId, day0 + 3 * DAY_MS + 200);
      // Replays of the raises (the alert recorder after a restart): nothing moves back.
      for (const x of [a!, b!, c!]) await recordsDb.recordAlertRaised(x);
      const ids = async (state: 'open' | 'acknowledged' | 'resolved') =>
        (
          await recordsDb.listAlerts({
            fromMs: day0 + 3 * DAY_MS,
            toMs: day0 + 4 * DAY_MS,
            deviceId: dev,
            state,
            limit: 10,
          })
        ).map((x) => x.alertId);
      expect(await ids('open')).toEqual([]);
      expect(await ids('acknowledged')).toEqual([a!.alertId]);
      expect(await ids('resolved')).toEqual([c!.alertId, b!.alertId]);
    });

    it('should keep an alert’s words and evidence verbatim, and its numbers exact', async () => {
      const recordsDb = await openRecordsDb();
      const words = `O'Brien "quoted" \\ ; DROP TABLE alerts; -- ? $1 🚗 车队 \n\t`;
      const a = {
        alertId: uniqueName('hostile'),
        deviceId: uniqueName('dev'),
        type: 'dtc',
        severity: 'warning',
        conditionKey: `dtc:${words}`,
        raisedMs: day0 + 7,
        evidence: { code: words, peakG: 2.5e-7, odometerKm: 123_456_789.125, negative: -40 },
        clearsWhen: words,
      };
      await recordsDb.recordAlertRaised(a);
      expect(await recordsDb.getAlert(a.alertId)).toEqual({ ...a, state: 'open' });
      expect(await recordsDb.resolveAlert(a.alertId, words, day0 + 8)).toEqual({
        ...a,
        state: 'resolved',
        resolvedMs: day0 + 8,
        resolvedBy: words,
      });
    });
  });

  describe('alerts, many in a day', () => {
    let recordsDb: RecordsDb;
    beforeAll(async () => {
      recordsDb = await adapter.open();
    });
    afterAll(async () => {
      await recordsDb?.close();
    });

    it('should list every alert of a day holding thousands, newest first, filtered in the query', async () => {
      const prefix = uniqueName('pg');
      const devices = [`${prefix}-d0`, `${prefix}-d1`, `${prefix}-d2`];
      const alerts = Array.from({ length: MANY }, (_, i) => ({
        alertId: `${prefix}-a${String(i).padStart(5, '0')}`,
        deviceId: devices[i % 3] as string,
        type: i % 2 === 0 ? 'overheat' : 'dtc',
        severity: 'warning',
        conditionKey: `k${i}`,
        raisedMs: bigDay + i * 10_000,
        evidence: { n: i },
        clearsWhen: 'people resolve it',
      }));
      await each(alerts, 32, (a) => recordsDb.recordAlertRaised(a));
      // Every 25th acknowledged, every 35th resolved (some of them both).
      await each(
        alerts.filter((_, i) => i % 25 === 0),
        32,
        (a) => recordsDb.acknowledgeAlert(a.alertId, 'li.wei', a.raisedMs + 1),
      );
      await each(
        alerts.filter((_, i) => i % 35 === 0),
        32,
        (a) => recordsDb.resolveAlert(a.alertId, 'zhang.min', a.raisedMs + 2),
      );
      const stateOf = (i: number) =>
        i % 35 === 0 ? 'resolved' : i % 25 === 0 ? 'acknowledged' : 'open';
      const newestFirst = alerts.map((a, i) => ({ a, i })).reverse();
      const list = async (q: Partial<AlertQuery>) =>
        (
          await recordsDb.listAlerts({
            fromMs: bigDay,
            toMs: bigDay + DAY_MS,
            limit: 100_000,
            ...q,
          })
        ).filter((a) => a.alertId.startsWith(prefix));
      const all = await list({});
      expect(all.map((a) => a.alertId)).toEqual(newestFirst.map(({ a }) => a.alertId));
      expect(all[0]).toEqual({ ...alerts[MANY - 1], state: stateOf(MANY - 1) });
      expect(all.map((a) => a.state)).toEqual(newestFirst.map(({ i }) => stateOf(i)));
      const want = (keep: (i: number) => boolean) =>
        newestFirst.filter(({ i }) => keep(i)).map(({ a }) => a.alertId);
      expect((await list({ deviceId: devices[1] })).map((a) => a.alertId)).toEqual(
        want((i) => i % 3 === 1),
      );
      expect((await list({ deviceId: devices[2], type: 'dtc' })).map((a) => a.alertId)).toEqual(
        want((i) => i % 3 === 2 && i % 2 === 1),
      );
      expect((await list({ state: 'acknowledged' })).map((a) => a.alertId)).toEqual(
        want((i) => stateOf(i) === 'acknowledged'),
      );
      expect(
        (await list({ deviceId: devices[0], state: 'open', type: 'overheat' })).map(
          (a) => a.alertId,
        ),
      ).toEqual(want((i) => i % 3 === 0 && i % 2 === 0 && stateOf(i) === 'open'));
      expect((await list({ deviceId: devices[0], limit: 6 })).map((a) => a.alertId)).toEqual(
        want((i) => i % 3 === 0).slice(0, 6),
      );
    }, 180_000);
  });
}
