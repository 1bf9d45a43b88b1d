import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createLogger,
  EmbeddedLog,
  type LogProducer,
  type ProduceRecord,
  Registry,
  SqliteTelemetryDb,
} from '@fleetline/platform';
import { encodeTelemetryBatch, kafkaTopics, signalId } from '@fleetline/proto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTestAccess, testVin } from '../../../test-support/access.js';
import { eventually } from '../../../test-support/infra.js';
import { issueApiToken } from '../../src/access/api-tokens.js';
import { type Api, buildApi, listenApi } from '../../src/api/server.js';
import type { LiveMessage } from '../../src/live/events.js';
import { LiveFeed } from '../../src/live/live-feed.js';
import { openStream, type StreamClient } from '../support/sse-client.js';
import { alert, alertIds, t0 } from './live-records.js';

/**
 * GET /api/live answers only what its caller may see, whatever the query asks for: callers
 * of two stores of one organisation, that organisation's admin and another organisation's
 * admin each follow the stream while alerts and telemetry of every vehicle go through the
 * log, and each stream carries its own vehicles' and nothing of the others'. A stream whose
 * token is revoked ends with a final `error` event at its next check.
 *
 * The log has one partition per topic, so records arrive in the order they were sent: once a
 * stream has the last record sent of its own vehicles, every record sent before it — the
 * other vehicles' included — has been offered to its subscription.
 */

const RECHECK_MS = 100;
const dir = mkdtempSync(join(tmpdir(), 'fleetline-live-scope-'));
const logger = createLogger('live-scope-test', 'silent');
const log = new EmbeddedLog({ path: join(dir, 'log.sqlite'), defaultPartitions: 1 });
const telemetryDb = new SqliteTelemetryDb({ path: join(dir, 'store.sqlite'), samplesTtlDays: 0 });

// Organisation 1: a-1 in its first store, b-1 in a second; organisation 2: o-1.
const access = await openTestAccess();
const { records, orgId } = access;
const storeB = await records.createStore({ orgId, name: 'Store B', code: 'store-b' });
await access.bind('a-1');
await records.createVehicle({ orgId, vin: testVin(), deviceId: 'b-1', homeStoreId: storeB.id });
const otherOrg = await openTestAccess(records);
await otherOrg.bind('o-1');
const vehicles = ['a-1', 'b-1', 'o-1'];

const callers = {
  storeA: await access.token('service_advisor', access.storeId),
  storeB: await access.token('service_advisor', storeB.id),
  admin: access.headers,
  otherOrg: otherOrg.headers,
};

let feed: LiveFeed;
let api: Api;
let base: string;
let producer: LogProducer;
const clients: StreamClient[] = [];

beforeAll(async () => {
  await log.ensureTopics(
    [kafkaTopics.alerts, kafkaTopics.telemetry].map((name) => ({ name, partitions: 1 })),
  );
  producer = await log.createProducer();
  feed = new LiveFeed({ log, logger, metrics: new Registry(), stateIntervalMs: 100 });
  await feed.start();
  api = buildApi({
    telemetryDb,
    records,
    logger,
    metrics: new Registry(),
    live: feed,
    liveRecheckMs: RECHECK_MS,
  });
  base = `http://127.0.0.1:${await listenApi(api, '127.0.0.1', 0)}`;
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await eventually(() => feed.subscriberCount === 0, 'every client unsubscribed', 5_000);
});

afterAll(async () => {
  await api?.close();
  await feed?.close();
  await producer?.close();
  await log.close();
  await access.close(); // the records both organisations share
  await telemetryDb.close();
  rmSync(dir, { recursive: true, force: true });
});

const open = async (path: string, headers: { authorization: string }) => {
  const c = await openStream(`${base}${path}`, headers);
  clients.push(c);
  expect(c.status, path).toBe(200);
  return c;
};

let seq = 0;
const telemetry = (deviceId: string, speed: number): ProduceRecord => ({
  topic: kafkaTopics.telemetry,
  key: deviceId,
  value: encodeTelemetryBatch({
    deviceId,
    seq: ++seq,
    samples: [{ signalId: signalId('Vehicle.Speed'), value: speed, timeMs: t0 + seq }],
  }),
});

const deviceOf = (m: LiveMessage) =>
  m.event === 'alert' || m.event === 'state' ? m.data.deviceId : undefined;
const speedsOf = (c: StreamClient, deviceId: string) =>
  c.messages.flatMap((m) =>
    m.event === 'state' && m.data.deviceId === deviceId
      ? m.data.signals.filter((s) => s.name === 'Vehicle.Speed').map((s) => s.v)
      : [],
  );
/** Every vehicle a stream was told anything of (alerts, state, missed alerts). */
const devicesSeen = (c: StreamClient) =>
  new Set(
    c.messages.flatMap((m) => {
      if (m.event === 'missed') return [...m.data.deviceIds];
      const d = deviceOf(m);
      return d === undefined ? [] : [d];
    }),
  );

describe('GET /api/live, by who asks', () => {
  it("should never deliver another store's or organisation's alert or vehicle state", async () => {
    const streams = [
      { name: 'store A', own: ['a-1'], c: await open('/api/live', callers.storeA) },
      { name: 'store B', own: ['b-1'], c: await open('/api/live', callers.storeB) },
      { name: 'org admin', own: ['a-1', 'b-1'], c: await open('/api/live', callers.admin) },
      { name: 'other org', own: ['o-1'], c: await open('/api/live', callers.otherOrg) },
      // Asking by name for every vehicle changes nothing: the query is narrowed to the caller's.
      {
        name: 'store A asking for all three',
        own: ['a-1'],
        c: await open('/api/live?deviceId=b-1&deviceId=o-1&deviceId=a-1', callers.storeA),
      },
      {
        name: 'other org asking for a-1 and o-1',
        own: ['o-1'],
        c: await open('/api/live?deviceId=a-1&deviceId=o-1&kinds=alerts,state', callers.otherOrg),
      },
    ];
    // Only another's vehicle asked for: nothing of it may come.
    const nothing = await open('/api/live?deviceId=a-1', callers.storeB);
    await eventually(() => feed.subscriberCount === streams.length + 1, 'every stream subscribed');

    // The feed reads from the end of the log once it has found it: send rounds of every
    // vehicle's alert and telemetry until each stream has its own vehicles' of both kinds.
    let round = 0;
    await eventually(
      async () => {
        round++;
        await producer.send([
          ...vehicles.map((v) => alert(`round-${round}-${v}`, v)),
          ...vehicles.map((v) => telemetry(v, round)),
        ]);
        return streams.every(({ c, own }) =>
          own.every(
            (v) => alertIds(c).some((id) => id.endsWith(`-${v}`)) && speedsOf(c, v).length > 0,
          ),
        );
      },
      'every stream to have its own vehicles’ alerts and state',
      30_000,
      250,
    );

    // Every vehicle's alert and telemetry, then every vehicle's last ones.
    await producer.send([
      ...vehicles.map((v) => alert(`all-${v}`, v)),
      ...vehicles.map((v) => telemetry(v, 999)),
    ]);
    await producer.send([
      ...vehicles.map((v) => alert(`last-${v}`, v)),
      ...vehicles.map((v) => telemetry(v, 1000)),
    ]);
    await eventually(
      () =>
        streams.every(({ c, own }) =>
          own.every((v) => alertIds(c).includes(`last-${v}`) && speedsOf(c, v).includes(1000)),
        ),
      () =>
        `every stream to have its own vehicles' last alert and state (${streams
          .map((s) => `${s.name}: ${alertIds(s.c).slice(-3).join(' ')}`)
          .join('; ')})`,
      20_000,
    );

    for (const { name, c, own } of streams) {
      expect([...devicesSeen(c)].sort(), name).toEqual([...own].sort());
      for (const v of own) expect(alertIds(c), name).toContain(`all-${v}`);
      for (const v of vehicles.filter((x) => !own.includes(x))) {
        expect(
          alertIds(c).filter((id) => id.endsWith(`-${v}`)),
          name,
        ).toEqual([]);
        expect(speedsOf(c, v), name).toEqual([]);
      }
      expect(c.ended, name).toBe(false);
    }
    expect(nothing.messages.filter((m) => deviceOf(m) !== undefined)).toEqual([]);
    expect(nothing.ended).toBe(false);
  });

  it('should end a stream with a final error event once its token is revoked', async () => {
    const { token, record } = await issueApiToken(records, {
      name: 'to be revoked',
      orgId,
      storeId: access.storeId,
      role: 'service_advisor',
      createdBy: 'test',
      expiresMs: Date.now() + 3_600_000,
    });
    const revoked = await open('/api/live', { authorization: `Bearer ${token}` });
    const kept = await open('/api/live', callers.storeA);
    await eventually(() => feed.subscriberCount === 2, 'both streams subscribed');
    await eventually(() => revoked.retry !== undefined, 'the stream begun');
    // Several checks pass while the token is good: the stream stays open.
    let n = 0;
    await eventually(async () => {
      await producer.send([alert(`before-${++n}`, 'a-1')]);
      return alertIds(revoked).length >= 3;
    }, 'alerts on the stream before the revocation');
    expect(revoked.ended).toBe(false);

    const res = await api.inject({
      method: 'DELETE',
      url: `/api/tokens/${record.id}`,
      headers: access.headers,
    });
    expect(res.statusCode, res.body).toBe(200);
    await eventually(() => revoked.ended, 'the revoked stream ended', 20 * RECHECK_MS);
    const last = revoked.messages.at(-1);
    expect(last).toEqual({
      event: 'error',
      data: { message: expect.stringMatching(/token revoked; sign in again/) },
    });
    await eventually(() => feed.subscriberCount === 1, 'the revoked stream unsubscribed');
    // The other caller's stream goes on, and the revoked token opens no new one.
    await producer.send([alert('after-revocation', 'a-1')]);
    await eventually(() => alertIds(kept).includes('after-revocation'), 'the kept stream');
    expect(alertIds(revoked)).not.toContain('after-revocation');
    expect(kept.ended).toBe(false);
    const again = await fetch(`${base}/api/live`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(again.status).toBe(401);
    await again.body?.cancel();
  });

  it('should end a stream once the vehicles its caller may see change, and deliver them after reconnecting', async () => {
    const stream = await open('/api/live', callers.storeB);
    await eventually(() => stream.retry !== undefined, 'the stream begun');
    const vehicle = await records.getVehicleByDevice('a-1');
    expect(vehicle).toBeDefined();
    // Store A shares its vehicle with store B: B's advisor may now see it.
    await records.shareVehicle(vehicle?.id ?? '', storeB.id);
    try {
      await eventually(() => stream.ended, 'the stream ended', 20 * RECHECK_MS);
      expect(stream.messages.at(-1)).toEqual({
        event: 'error',
        data: { message: expect.stringMatching(/vehicles you may see have changed/) },
      });
      const again = await open('/api/live', callers.storeB);
      await eventually(() => again.retry !== undefined, 'the new stream begun');
      let n = 0;
      await eventually(async () => {
        await producer.send([alert(`shared-${++n}`, 'a-1')]);
        return alertIds(again).length > 0;
      }, 'the shared vehicle’s alerts on the new stream');
    } finally {
      await records.unshareVehicle(vehicle?.id ?? '', storeB.id);
    }
  });
});
