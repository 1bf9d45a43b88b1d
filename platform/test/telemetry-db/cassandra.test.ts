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
  it('should list alerts recorded before the alert list existed (schema version 6), with their states', async () => {
    const ks = uniqueName('alerts_v6').toLowerCase();
    keyspaces.push(ks);
    // A keyspace as the earlier version left it: alerts by id and the ids by day, and no list.
    const telemetryDb = await open(ks);
    await telemetryDb.close();
    const c = admin!;
    await c.execute(`DROP TABLE ${ks}.alert_list_by_day`);
    await c.execute(`DROP TABLE ${ks}.alert_days`);
    await c.execute(`DELETE FROM ${ks}.schema_migrations WHERE version IN (7, 8)`);
    const old = (n: number, raisedMs: number, extra = '', values: unknown[] = []) =>
      c.execute(
        `INSERT INTO ${ks}.alerts (alert_id, device_id, type, severity, condition_key, raised, evidence, clears_when${extra}) VALUES (?, ?, ?, ?, ?, ?, ?, ?${', ?'.repeat(values.length)})`,
        [
          `a${n}`,
          'veh-1',
          'overheat',
          'warning',
          `k${n}`,
          new Date(raisedMs),
          '{"c":111}',
          'cool',
          ...values,
        ],
        { prepare: true },
      );
    await old(1, day0 + 1000);
    await old(2, day0 + 2000, ', acknowledged, acknowledged_by', [new Date(day0 + 2500), 'li.wei']);
    await old(3, day0 + DAY_MS + 3000, ', cleared, resolved, resolved_by', [
      new Date(day0 + DAY_MS + 4000),
      new Date(day0 + DAY_MS + 4000),
      'cleared by data',
    ]);
    for (const [n, t] of [
      [1, day0 + 1000],
      [2, day0 + 2000],
      [3, day0 + DAY_MS + 3000],
    ] as const) {
      await c.execute(
        `INSERT INTO ${ks}.alerts_by_day (day, raised, alert_id) VALUES (?, ?, ?)`,
        [Math.floor(t / DAY_MS), new Date(t), `a${n}`],
        { prepare: true },
      );
    }

    const upgraded = await open(ks);
    try {
      const list = (q: { state?: 'open' | 'acknowledged' | 'resolved' } = {}) =>
        upgraded.listAlerts({ fromMs: day0, toMs: day0 + 2 * DAY_MS, limit: 10, ...q });
      const all = await list();
      expect(all.map((a) => [a.alertId, a.state])).toEqual([
        ['a3', 'resolved'],
        ['a2', 'acknowledged'],
        ['a1', 'open'],
      ]);
      expect(all[1]).toEqual({
        alertId: 'a2',
        deviceId: 'veh-1',
        type: 'overheat',
        severity: 'warning',
        conditionKey: 'k2',
        raisedMs: day0 + 2000,
        evidence: { c: 111 },
        clearsWhen: 'cool',
        state: 'acknowledged',
        acknowledgedMs: day0 + 2500,
        acknowledgedBy: 'li.wei',
      });
      expect((await list({ state: 'open' })).map((a) => a.alertId)).toEqual(['a1']);
      // Changes after the upgrade reach the list.
      await upgraded.resolveAlert('a1', 'zhang.min', day0 + 9000);
      expect((await list({ state: 'resolved' })).map((a) => a.alertId)).toEqual(['a3', 'a1']);
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
  it('should read a range from 1970 to 2100 in a few queries: only the days that can hold rows', async () => {
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
      for (const [i, raisedMs] of times.entries()) {
        await telemetryDb.recordAlertRaised({
          alertId: `a${i}`,
          deviceId: 'veh',
          type: 'overheat',
          severity: 'warning',
          conditionKey: 'overheat',
          raisedMs,
          evidence: {},
          clearsWhen: 'cool',
        });
      }
      const all = { fromMs: Date.UTC(1970, 0, 1), toMs: Date.UTC(2100, 0, 1) };
      const reads = async <T>(table: string, read: () => Promise<T>) => {
        requests.clear();
        const result = await read();
        return { result, queries: requests.get(table) ?? 0 };
      };

      // Samples and events are kept 30 days after their time: the one of 40 days ago is not,
      // and no day before the horizon nor after tomorrow (the clock allowance) is read.
      const samples = await reads('samples_by_signal_day', () =>
        telemetryDb.querySamples({ deviceId: 'veh', signalId: 7, ...all, limit: 100 }),
      );
      expect(samples.result.map((s) => s.value)).toEqual([1, 2]);
      expect(samples.queries).toBeGreaterThan(0);
      expect(samples.queries).toBeLessThanOrEqual(33);
      const events = await reads('events_by_device_day', () =>
        telemetryDb.listEvents({ deviceId: 'veh', ...all, limit: 100 }),
      );
      expect(events.result.map((e) => e.seq)).toEqual([2, 1]);
      expect(events.queries).toBeGreaterThan(0);
      expect(events.queries).toBeLessThanOrEqual(33);
      // Alerts are kept for good: the days that hold alerts are known, and only those read.
      const alerts = await reads('alert_list_by_day', () =>
        telemetryDb.listAlerts({ ...all, limit: 100 }),
      );
      expect(alerts.result.map((a) => a.alertId)).toEqual(['a2', 'a1', 'a0']);
      expect(alerts.queries).toBeGreaterThan(0);
      expect(alerts.queries).toBeLessThanOrEqual(6);
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
