import cassandraDriver from 'cassandra-driver';
import { afterAll, describe, expect, it } from 'vitest';
import { cassandra, cassandraContactPoints, uniqueName } from '../../../test-support/infra.js';
import { freePort } from '../../../test-support/process.js';
import { loadConfig } from '../../src/config.js';
import { StoreRejectedError, StoreUnavailableError } from '../../src/errors.js';
import { CassandraTelemetryDb } from '../../src/telemetry-db/cassandra/cassandra-telemetry-db.js';
import { DAY_MS } from '../../src/telemetry-db/days.js';
import { openTelemetryDb } from '../../src/telemetry-db/index.js';

/** What only the Cassandra adapter has: its schema's history, and its failures. */

const infra = await cassandra();
const keyspaces: string[] = [];
const admin = infra.available
  ? new cassandraDriver.Client({
      contactPoints: cassandraContactPoints,
      localDataCenter: 'datacenter1',
      encoding: { map: Map },
    })
  : undefined;
afterAll(async () => {
  if (!admin) return;
  for (const ks of keyspaces) await admin.execute(`DROP KEYSPACE IF EXISTS ${ks}`);
  await admin.shutdown();
});

const open = (keyspace: string) =>
  CassandraTelemetryDb.open({
    contactPoints: cassandraContactPoints,
    localDataCenter: 'datacenter1',
    keyspace,
    replicationFactor: 1,
    samplesTtlDays: 30,
  });

const day0 = Date.UTC(2026, 10, 20);

describe.skipIf(infra.reason)('CassandraTelemetryDb', () => {
  it('should keep the alert tables of a keyspace that had them, and make none in a new one', async () => {
    const ks = uniqueName('retired').toLowerCase();
    keyspaces.push(ks);
    const c = admin!;
    const tables = async () =>
      (
        await c.execute('SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?', [ks])
      ).rows.map((r) => r.get('table_name') as string);
    const versions = async () =>
      (await c.execute(`SELECT version FROM ${ks}.schema_migrations`)).rows
        .map((r) => r.get('version') as number)
        .sort((a, b) => a - b);
    const fresh = await open(ks);
    await fresh.close();
    // The alert book moved to the business records: its versions (4, 7, 8) are recorded, and
    // do nothing.
    expect(await versions()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const made = await tables();
    expect(made).toContain('device_status');
    for (const table of ['alerts', 'alerts_by_day', 'alert_list_by_day', 'alert_days'])
      expect(made).not.toContain(table);
    // A keyspace an earlier version made (at schema version 6) with an alert recorded: opening
    // it applies 7 and 8, which leave the alert where it is.
    await c.execute(`CREATE TABLE ${ks}.alerts (alert_id text PRIMARY KEY, device_id text)`);
    await c.execute(`INSERT INTO ${ks}.alerts (alert_id, device_id) VALUES ('a1', 'veh-1')`);
    await c.execute(`DELETE FROM ${ks}.schema_migrations WHERE version IN (7, 8)`);
    const upgraded = await open(ks);
    await upgraded.close();
    expect(await versions()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const kept = await c.execute(`SELECT device_id FROM ${ks}.alerts WHERE alert_id = 'a1'`);
    expect(kept.first()?.get('device_id')).toBe('veh-1');
  }, 120_000);

  it('should carry the samples of a keyspace from before the minute table over, with the TTL each had left', async () => {
    const ks = uniqueName('minutes').toLowerCase();
    keyspaces.push(ks);
    const c = admin!;
    await (await open(ks)).close();
    // The keyspace as schema version 8 left it: a row per sample in samples_by_signal_day.
    await c.execute(`DROP TABLE ${ks}.sample_minutes_by_device_hour`);
    await c.execute(`DELETE FROM ${ks}.schema_migrations WHERE version = 9`);
    const now = Date.now();
    const old = [
      { signalId: 1, timeMs: now - 90_000, value: 1.5, ttl: 3600 },
      { signalId: 1, timeMs: now - 89_000, value: 2.5, ttl: 3599 },
      { signalId: 1, timeMs: now - 10_000, value: 3.5, ttl: 0 },
      { signalId: 2, timeMs: now - 5_000, value: -4, ttl: 7200 },
    ];
    for (const r of old)
      await c.execute(
        `INSERT INTO ${ks}.samples_by_signal_day (device_id, signal_id, day, t, value) VALUES (?, ?, ?, ?, ?) USING TTL ?`,
        ['veh-old', r.signalId, Math.floor(r.timeMs / DAY_MS), new Date(r.timeMs), r.value, r.ttl],
        { prepare: true },
      );
    const upgraded = await open(ks);
    try {
      const read = (signalId: number) =>
        upgraded.querySamples({
          deviceId: 'veh-old',
          signalId,
          fromMs: now - 3_600_000,
          toMs: now + 1,
          limit: 10,
        });
      expect(await read(1)).toEqual(
        old.filter((r) => r.signalId === 1).map((r) => ({ timeMs: r.timeMs, value: r.value })),
      );
      expect(await read(2)).toEqual([{ timeMs: now - 5_000, value: -4 }]);
      // Each sample keeps the TTL it had left (a minute's statement takes its least of them):
      // none gains time, none loses more than the test took, the one kept for good stays so.
      const minutes = await c.execute(
        `SELECT samples, TTL(samples) AS ttl FROM ${ks}.sample_minutes_by_device_hour WHERE device_id = 'veh-old' ALLOW FILTERING`,
        [],
        { prepare: true },
      );
      const elapsed = Math.ceil((Date.now() - now) / 1000) + 1;
      let seen = 0;
      for (const row of minutes.rows) {
        const values = [...(row.get('samples') as Map<Date, number>).values()];
        const ttls = row.get('ttl') as (number | null)[];
        values.forEach((value, i) => {
          const had = old.find((r) => r.value === value)!.ttl;
          seen++;
          if (had === 0) expect(ttls[i]).toBeNull();
          else {
            expect(ttls[i]).toBeLessThanOrEqual(had);
            expect(ttls[i]).toBeGreaterThanOrEqual(had - 1 - elapsed);
          }
        });
      }
      expect(seen).toBe(old.length);
    } finally {
      await upgraded.close();
    }
  }, 120_000);

  it('should refuse a write to a missing table for good (STORE_REJECTED, not retryable)', async () => {
    const ks = uniqueName('missing').toLowerCase();
    keyspaces.push(ks);
    const telemetryDb = await open(ks);
    try {
      await admin!.execute(`DROP TABLE ${ks}.device_status`);
      const err = await telemetryDb
        .recordStatus({ deviceId: 'veh-1', state: 'online', timeMs: day0, agentVersion: '1' })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreRejectedError);
      expect(err).toMatchObject({ code: 'STORE_REJECTED', retryable: false });
      expect((err as Error).message).toMatch(
        /^Cassandra could not record a device status: invalid: .*device_status/,
      );
    } finally {
      await telemetryDb.close();
    }
  });
});

describe.skipIf(infra.reason)('CassandraTelemetryDb, wide time ranges', () => {
  it('should read a range from 1970 to 2100 only over the partitions that can hold rows', async () => {
    const ks = uniqueName('ranges').toLowerCase();
    keyspaces.push(ks);
    /** Requests to each table, counted by the driver's request tracker. */
    const requests = new Map<string, number>();
    const count = (query: string | { query: string }[]) => {
      for (const q of typeof query === 'string' ? [query] : query.map((x) => x.query)) {
        const table = /FROM \w+\.(\w+)/.exec(q)?.[1];
        if (table) requests.set(table, (requests.get(table) ?? 0) + 1);
      }
    };
    const telemetryDb = await CassandraTelemetryDb.open({
      contactPoints: cassandraContactPoints,
      localDataCenter: 'datacenter1',
      keyspace: ks,
      replicationFactor: 1,
      samplesTtlDays: 30,
      maxAheadMs: DAY_MS,
      // The driver takes only its own trackers; its logger, told to log nothing, counts here.
      requestTracker: new (class extends cassandraDriver.tracker.RequestLogger {
        override onSuccess(_host: unknown, query: string | { query: string }[]) {
          count(query);
        }
        override onError(_host: unknown, query: string | { query: string }[]) {
          count(query);
        }
      })({ logNormalRequests: false, logErroredRequests: false }),
    });
    try {
      const now = Date.now();
      const times = [now - 40 * DAY_MS, now - 2 * DAY_MS, now - 1000];
      await telemetryDb.writeSamples(
        times.map((timeMs, i) => ({ deviceId: 'veh', signalId: 7, timeMs, value: i })),
      );
      await telemetryDb.writeEvents(
        times.map((timeMs, i) => ({
          deviceId: 'veh',
          seq: i,
          timeMs,
          kind: 'troubleCodes',
          detail: '{"codes":[]}',
        })),
      );
      const all = { fromMs: Date.UTC(1970, 0, 1), toMs: Date.UTC(2100, 0, 1) };
      const reads = async <T>(table: string, read: () => Promise<T>) => {
        requests.clear();
        const result = await read();
        return { result, queries: requests.get(table) ?? 0 };
      };

      // Samples and events are kept 30 days after their time: the one of 40 days ago is not,
      // and no day before the horizon nor after tomorrow (the clock allowance) is read —
      // samples hour by hour, events day by day.
      const samples = await reads('sample_minutes_by_device_hour', () =>
        telemetryDb.querySamples({ deviceId: 'veh', signalId: 7, ...all, limit: 100 }),
      );
      expect(samples.result.map((s) => s.value)).toEqual([1, 2]);
      expect(samples.queries).toBeGreaterThan(0);
      expect(samples.queries).toBeLessThanOrEqual(33 * 24);
      const events = await reads('events_by_device_day', () =>
        telemetryDb.listEvents({ deviceId: 'veh', ...all, limit: 100 }),
      );
      expect(events.result.map((e) => e.seq)).toEqual([2, 1]);
      expect(events.queries).toBeGreaterThan(0);
      expect(events.queries).toBeLessThanOrEqual(33);
    } finally {
      await telemetryDb.close();
    }
  }, 120_000);
});

describe.skipIf(infra.reason)('CassandraTelemetryDb over TLS', () => {
  it('should refuse TLS to a node that does not speak it, for good, saying so', async () => {
    // The shared node has no TLS: what a client configured for TLS meets there.
    const err = await openTelemetryDb(
      loadConfig({
        env: {
          CASSANDRA_CONTACT_POINTS: cassandraContactPoints.join(','),
          CASSANDRA_TLS: 'true',
          CASSANDRA_KEYSPACE: 'unused',
        },
      }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreRejectedError);
    expect(err).toMatchObject({ code: 'STORE_REJECTED', retryable: false });
    expect((err as Error).message).toMatch(
      /TLS: the Cassandra node does not speak TLS on that port \(ERR_SSL_WRONG_VERSION_NUMBER.*\); use its TLS port, or turn TLS off with CASSANDRA_TLS/,
    );
  });
});

describe('CassandraTelemetryDb, unreachable', () => {
  it('should fail to open with a retryable STORE_UNAVAILABLE naming the address', async () => {
    const port = await freePort();
    const err = await CassandraTelemetryDb.open({
      contactPoints: [`127.0.0.1:${port}`],
      localDataCenter: 'datacenter1',
      keyspace: 'unused',
      replicationFactor: 1,
      samplesTtlDays: 1,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect(err).toMatchObject({ code: 'STORE_UNAVAILABLE', retryable: true });
    expect((err as Error).message).toMatch(
      new RegExp(`^cannot open Cassandra store at 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`),
    );
  });
});
