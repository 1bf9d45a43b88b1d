import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// The built adapter: its reads run in worker threads, which load the built worker module.
import { SqliteTelemetryDb } from '@fleetline/platform';
import cassandraDriver from 'cassandra-driver';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cassandra, cassandraContactPoints, uniqueName } from '../../../test-support/infra.js';
import { CassandraTelemetryDb } from '../../src/telemetry-db/cassandra/cassandra-telemetry-db.js';
import { DAY_MS } from '../../src/telemetry-db/days.js';
import type { HeldCommand, SampleRow, TelemetryDb } from '../../src/telemetry-db/port/index.js';

/** The one contract every TelemetryDb adapter passes. */
interface Adapter {
  name: string;
  /** Opens the adapter; opening again after close() reaches the same data. */
  open(): Promise<TelemetryDb>;
  skip?: string | undefined;
}

const dir = mkdtempSync(join(tmpdir(), 'fleetline-telemetry-db-'));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (cassandraInfra.available) {
    const client = new cassandraDriver.Client({
      contactPoints: cassandraContactPoints,
      localDataCenter: 'datacenter1',
    });
    await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
    await client.shutdown();
  }
});

const cassandraInfra = await cassandra();
const keyspace = uniqueName('contract').toLowerCase();
const adapters: Adapter[] = [
  {
    name: 'sqlite',
    open: async () => new SqliteTelemetryDb({ path: join(dir, 'store.sqlite'), samplesTtlDays: 0 }),
  },
  {
    name: 'cassandra',
    open: () =>
      CassandraTelemetryDb.open({
        contactPoints: cassandraContactPoints,
        localDataCenter: 'datacenter1',
        keyspace,
        replicationFactor: 1,
        // Kept for good, as on SQLite above: samples live SAMPLES_TTL_DAYS from their own
        // time, and the dates below would pass out of a TTL as the calendar moves on.
        samplesTtlDays: 0,
      }),
    skip: cassandraInfra.reason,
  },
];

const day0 = Date.UTC(2026, 10, 20);

for (const adapter of adapters) {
  describe.skipIf(adapter.skip)(`TelemetryDb contract: ${adapter.name}`, () => {
    const open: TelemetryDb[] = [];
    const openTelemetryDb = async () => {
      const s = await adapter.open();
      open.push(s);
      return s;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((s) => s.close()));
    });

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
      const telemetryDb = await openTelemetryDb();
      const dev = uniqueName('dev');
      const a = raisedAlert(dev, 1, day0 + 1000);
      await telemetryDb.recordAlertRaised(a);
      expect(await telemetryDb.getAlert(a.alertId)).toEqual({ ...a, state: 'open' });
      expect(await telemetryDb.acknowledgeAlert(a.alertId, 'li.wei', day0 + 2000)).toEqual({
        ...a,
        state: 'acknowledged',
        acknowledgedMs: day0 + 2000,
        acknowledgedBy: 'li.wei',
      });
      // The same alert recorded again (a replay) leaves its acknowledgement alone.
      await telemetryDb.recordAlertRaised(a);
      expect((await telemetryDb.getAlert(a.alertId))?.state).toBe('acknowledged');
      await telemetryDb.resolveAlert(a.alertId, 'zhang.min', day0 + 3000);
      // Later acknowledgements and resolutions do not rewrite history.
      await telemetryDb.acknowledgeAlert(a.alertId, 'someone.else', day0 + 4000);
      await telemetryDb.resolveAlert(a.alertId, 'someone.else', day0 + 5000);
      await telemetryDb.close();
      const again = await openTelemetryDb();
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
      const telemetryDb = await openTelemetryDb();
      const dev = uniqueName('dev');
      const a = raisedAlert(dev, 2, day0);
      const b = raisedAlert(dev, 4, day0 + 10);
      await telemetryDb.recordAlertRaised(a);
      await telemetryDb.recordAlertRaised(b);
      await telemetryDb.recordAlertCleared(a.alertId, day0 + 60_000);
      await telemetryDb.recordAlertCleared(a.alertId, day0 + 90_000); // again: the first stands
      expect(await telemetryDb.getAlert(a.alertId)).toMatchObject({
        state: 'resolved',
        clearedMs: day0 + 60_000,
        resolvedMs: day0 + 60_000,
        resolvedBy: 'cleared by data',
      });
      await telemetryDb.resolveAlert(b.alertId, 'li.wei', day0 + 20_000);
      await telemetryDb.recordAlertCleared(b.alertId, day0 + 60_000);
      expect(await telemetryDb.getAlert(b.alertId)).toMatchObject({
        state: 'resolved',
        clearedMs: day0 + 60_000,
        resolvedBy: 'li.wei',
      });
      await telemetryDb.recordAlertCleared('no-such-alert', day0); // ignored
    });

    it('should list alerts newest first across days, filtered, up to the limit', async () => {
      const telemetryDb = await openTelemetryDb();
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
        await telemetryDb.recordAlertRaised(raisedAlert(dev, i, t));
      await telemetryDb.recordAlertRaised(raisedAlert(other, 9, day0 + 15));
      await telemetryDb.acknowledgeAlert(`${dev}-a1`, 'li.wei', day0 + 100);
      const ids = async (q: Partial<Parameters<TelemetryDb['listAlerts']>[0]>) =>
        (
          await telemetryDb.listAlerts({
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
      const telemetryDb = await openTelemetryDb();
      const dev = uniqueName('dev');
      const [a, b, c] = [1, 2, 3].map((n) => raisedAlert(dev, n, day0 + 3 * DAY_MS + n));
      for (const x of [a!, b!, c!]) await telemetryDb.recordAlertRaised(x);
      await telemetryDb.acknowledgeAlert(a!.alertId, 'li.wei', day0 + 3 * DAY_MS + 100);
      await telemetryDb.resolveAlert(b!.alertId, 'li.wei', day0 + 3 * DAY_MS + 100);
      await telemetryDb.recordAlertCleared(c!.alertId, day0 + 3 * DAY_MS + 200);
      // Replays of the raises (the alert recorder after a restart): nothing moves back.
      for (const x of [a!, b!, c!]) await telemetryDb.recordAlertRaised(x);
      const ids = async (state: 'open' | 'acknowledged' | 'resolved') =>
        (
          await telemetryDb.listAlerts({
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

    const t0 = Date.now();
    const held = (deviceId: string, n: number, over: Partial<HeldCommand> = {}): HeldCommand => ({
      deviceId,
      commandId: `cmd-${n}`,
      payload: Uint8Array.from([n, 0xff, 0x00, n]),
      expiresMs: t0 + 600_000,
      loggedMs: t0 - 1000 + n,
      logOffset: n,
      ...over,
    });

    it('should hand out a device’s held commands in log order, payload intact, across a reopen', async () => {
      const telemetryDb = await openTelemetryDb();
      const id = uniqueName('dev');
      const other = uniqueName('dev');
      // Held out of order, and one for another device.
      for (const n of [3, 1, 2]) await telemetryDb.holdCommand(held(id, n));
      await telemetryDb.holdCommand(held(other, 9));
      // Same log time: the offset decides.
      await telemetryDb.holdCommand(held(id, 4, { loggedMs: t0 - 1000 + 3, logOffset: 7 }));
      const pending = await telemetryDb.pendingCommands(id, Date.now());
      expect(pending.map((c) => c.commandId)).toEqual(['cmd-1', 'cmd-2', 'cmd-3', 'cmd-4']);
      expect(pending[0]).toEqual(held(id, 1));
      expect([...(pending[2]?.payload ?? [])]).toEqual([3, 0xff, 0x00, 3]);
      await telemetryDb.close();
      const again = await openTelemetryDb();
      expect((await again.pendingCommands(id, Date.now())).map((c) => c.commandId)).toEqual([
        'cmd-1',
        'cmd-2',
        'cmd-3',
        'cmd-4',
      ]);
      expect((await again.pendingCommands(other, Date.now())).map((c) => c.commandId)).toEqual([
        'cmd-9',
      ]);
    });

    it('should never hand out an acknowledged command again, even when it is held again', async () => {
      const telemetryDb = await openTelemetryDb();
      const id = uniqueName('dev');
      await telemetryDb.holdCommand(held(id, 1));
      await telemetryDb.holdCommand(held(id, 2));
      await telemetryDb.acknowledgeCommand(id, 'cmd-1', Date.now());
      await telemetryDb.acknowledgeCommand(id, 'cmd-1', Date.now()); // a second PUBACK
      // A gateway reading the log late holds it again: it stays acknowledged.
      await telemetryDb.holdCommand(held(id, 1));
      expect((await telemetryDb.pendingCommands(id, Date.now())).map((c) => c.commandId)).toEqual([
        'cmd-2',
      ]);
      // Acknowledged before any gateway held it: holding it afterwards does not revive it.
      await telemetryDb.acknowledgeCommand(id, 'cmd-3', Date.now());
      await telemetryDb.holdCommand(held(id, 3));
      expect((await telemetryDb.pendingCommands(id, Date.now())).map((c) => c.commandId)).toEqual([
        'cmd-2',
      ]);
    });

    it('should not hand out an expired command', async () => {
      const telemetryDb = await openTelemetryDb();
      const id = uniqueName('dev');
      const now = Date.now();
      await telemetryDb.holdCommand(held(id, 1, { expiresMs: now + 5_000 }));
      await telemetryDb.holdCommand(held(id, 2, { expiresMs: now + 60_000 }));
      expect((await telemetryDb.pendingCommands(id, now)).map((c) => c.commandId)).toEqual([
        'cmd-1',
        'cmd-2',
      ]);
      expect((await telemetryDb.pendingCommands(id, now + 10_000)).map((c) => c.commandId)).toEqual(
        ['cmd-2'],
      );
      expect(await telemetryDb.pendingCommands(uniqueName('nobody'), now)).toEqual([]);
    });
  });
}

/**
 * Reads of more rows than one page: Cassandra's driver answers 5,000 rows a page by default,
 * and a read that stops at the first page loses the rest. Each case puts more than a page into
 * one partition (one day of one signal, one day of alerts, …) on both adapters.
 */
const PAGE_PLUS = 5_050;
/**
 * In the past: a telemetry database holds no row further ahead of now than the devices' clocks may
 * be.
 */
const bigDay = Date.UTC(2026, 2, 3);

/** Runs op over the items, `limit` at a time. */
async function each<T>(items: readonly T[], limit: number, op: (item: T) => Promise<unknown>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await op(items[next++] as T);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

for (const adapter of adapters) {
  describe.skipIf(adapter.skip)(`TelemetryDb contract, more than one page: ${adapter.name}`, () => {
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

    it('should list every alert of a day holding more than a page, newest first, filtered in the query', async () => {
      const prefix = uniqueName('pg');
      const devices = [`${prefix}-d0`, `${prefix}-d1`, `${prefix}-d2`];
      const alerts = Array.from({ length: PAGE_PLUS }, (_, i) => ({
        alertId: `${prefix}-a${String(i).padStart(5, '0')}`,
        deviceId: devices[i % 3] as string,
        type: i % 2 === 0 ? 'overheat' : 'dtc',
        severity: 'warning',
        conditionKey: `k${i}`,
        raisedMs: bigDay + i * 10_000,
        evidence: { n: i },
        clearsWhen: 'people resolve it',
      }));
      await each(alerts, 32, (a) => telemetryDb.recordAlertRaised(a));
      // Every 25th acknowledged, every 35th resolved (some of them both).
      await each(
        alerts.filter((_, i) => i % 25 === 0),
        32,
        (a) => telemetryDb.acknowledgeAlert(a.alertId, 'li.wei', a.raisedMs + 1),
      );
      await each(
        alerts.filter((_, i) => i % 35 === 0),
        32,
        (a) => telemetryDb.resolveAlert(a.alertId, 'zhang.min', a.raisedMs + 2),
      );
      const stateOf = (i: number) =>
        i % 35 === 0 ? 'resolved' : i % 25 === 0 ? 'acknowledged' : 'open';
      const newestFirst = alerts.map((a, i) => ({ a, i })).reverse();
      const list = async (q: Partial<Parameters<TelemetryDb['listAlerts']>[0]>) =>
        (
          await telemetryDb.listAlerts({
            fromMs: bigDay,
            toMs: bigDay + DAY_MS,
            limit: 100_000,
            ...q,
          })
        ).filter((a) => a.alertId.startsWith(prefix));
      const all = await list({});
      expect(all.map((a) => a.alertId)).toEqual(newestFirst.map(({ a }) => a.alertId));
      expect(all[0]).toEqual({ ...alerts[PAGE_PLUS - 1], state: stateOf(PAGE_PLUS - 1) });
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

    it('should hand out every held command of a device holding more than a page', async () => {
      const device = uniqueName('dev');
      const now = Date.now();
      const commands = Array.from(
        { length: PAGE_PLUS },
        (_, n): HeldCommand => ({
          deviceId: device,
          commandId: `cmd-${n}`,
          payload: Uint8Array.from([n & 0xff]),
          expiresMs: now + 600_000,
          loggedMs: now - 10_000 + n,
          logOffset: n,
        }),
      );
      await each(commands, 32, (c) => telemetryDb.holdCommand(c));
      const pending = await telemetryDb.pendingCommands(device, now);
      expect(pending.map((c) => c.commandId)).toEqual(commands.map((c) => c.commandId));
    }, 120_000);

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
