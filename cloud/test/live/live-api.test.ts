import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createLogger,
  EmbeddedLog,
  KafkaLog,
  type Log,
  type LogProducer,
  type ProduceRecord,
  Registry,
  SqliteTelemetryDb,
  withTopicPrefix,
} from '@fleetline/platform';
import {
  encodeAlertChange,
  encodeTelemetryBatch,
  kafkaTopics,
  type SignalName,
  signalId,
} from '@fleetline/proto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTestAccess } from '../../../test-support/access.js';
import { eventually, kafka, kafkaBrokers, uniqueName } from '../../../test-support/infra.js';
import { Authenticator } from '../../src/access/authenticator.js';
import { accessControl } from '../../src/api/access-control.js';
import { createHttpServer } from '../../src/api/http-server.js';
import { type LiveRoutesOptions, liveRoutes } from '../../src/api/live-routes.js';
import {
  type Api,
  buildApi,
  defaultAccessOptions,
  defaultApiLimits,
  listenApi,
} from '../../src/api/server.js';
import type { LiveMessage, StateEvent } from '../../src/live/events.js';
import { LiveFeed } from '../../src/live/live-feed.js';
import { openStream, type StreamClient } from '../support/sse-client.js';

/**
 * GET /api/live end to end: records produced to the log (embedded, and Kafka when it runs)
 * reach an HTTP client reading the event stream, filtered per client; nothing produced before
 * the feed started is replayed; clients that go are unsubscribed. The clients are an
 * organisation admin's, and the test vehicles are the organisation's (live-scope.test.ts has
 * callers who may see only some).
 */

const dir = mkdtempSync(join(tmpdir(), 'fleetline-live-'));
const access = await openTestAccess();
await access.bind('veh-1', 'veh-2', 'veh-flood', 'veh-bad');
const { records, headers } = access;
afterAll(async () => {
  await access.close();
  rmSync(dir, { recursive: true, force: true });
});
const logger = createLogger('live-test', 'silent');
const t0 = Date.UTC(2026, 10, 25, 7, 30, 0);

/** The live routes alone, with the API's access control, on a port of their own. */
async function liveOnly(feed: LiveFeed, options: LiveRoutesOptions = {}) {
  const app = createHttpServer(defaultApiLimits, logger);
  accessControl(app, { authenticator: new Authenticator(records, defaultAccessOptions), records });
  await app.register(liveRoutes(feed, options));
  return app;
}

const kafkaInfra = await kafka();
const adapters: { name: string; open(): Log; skip?: string | undefined }[] = [
  {
    name: 'embedded',
    open: () => new EmbeddedLog({ path: join(dir, 'log.sqlite'), defaultPartitions: 2 }),
  },
  {
    name: 'kafka',
    open: () =>
      withTopicPrefix(
        new KafkaLog({ brokers: kafkaBrokers, clientId: 'live-test', replicationFactor: 1 }),
        `${uniqueName('live')}.`,
      ),
    skip: kafkaInfra.reason,
  },
];

let seq = 0;
function telemetry(deviceId: string, samples: [SignalName, number, number][]): ProduceRecord {
  return {
    topic: kafkaTopics.telemetry,
    key: deviceId,
    value: encodeTelemetryBatch({
      deviceId,
      seq: ++seq,
      samples: samples.map(([name, value, timeMs]) => ({
        signalId: signalId(name),
        value,
        timeMs,
      })),
    }),
  };
}

function alert(alertId: string, deviceId: string, timeMs = t0): ProduceRecord {
  return {
    topic: kafkaTopics.alerts,
    key: deviceId,
    value: encodeAlertChange({
      alertId,
      deviceId,
      type: 'overheat',
      severity: 'warning',
      transition: 'raised',
      conditionKey: 'coolant',
      timeMs,
      evidence: { coolantC: 112.5, source: 'ECT' },
      clearsWhen: '≤ 100 °C for 60 s',
    }),
  };
}

const alertIds = (c: StreamClient) =>
  c.messages.flatMap((m) => (m.event === 'alert' ? [m.data.id] : []));
const states = (c: StreamClient) => c.messages.flatMap((m) => (m.event === 'state' ? [m] : []));
const signalValueIn = (s: StateEvent, name: string) =>
  s.data.signals.find((v) => v.name === name)?.v;
const deviceIdOf = (m: LiveMessage) =>
  m.event === 'alert' || m.event === 'state' ? m.data.deviceId : undefined;

for (const adapter of adapters) {
  describe.skipIf(adapter.skip)(`GET /api/live on the ${adapter.name} log`, () => {
    let log: Log;
    let producer: LogProducer;
    let feed: LiveFeed;
    let api: Api;
    let base: string;
    let metrics: Registry;
    let telemetryDb: SqliteTelemetryDb;
    let watcher: StreamClient;
    const clients: StreamClient[] = [];
    const open = async (path: string) => {
      const c = await openStream(`${base}${path}`, headers);
      clients.push(c);
      return c;
    };

    beforeAll(async () => {
      log = adapter.open();
      await log.ensureTopics(
        [kafkaTopics.alerts, kafkaTopics.telemetry].map((name) => ({ name, partitions: 2 })),
      );
      producer = await log.createProducer();
      // Before the feed starts: never to be seen by a live client.
      await producer.send([
        alert('old-alert', 'veh-1', t0 - 60_000),
        telemetry('veh-1', [['Vehicle.Powertrain.FuelSystem.RelativeLevel', 11, t0 - 60_000]]),
      ]);
      metrics = new Registry();
      feed = new LiveFeed({
        log,
        logger,
        metrics,
        stateIntervalMs: 100,
      });
      telemetryDb = new SqliteTelemetryDb({
        path: join(dir, `${adapter.name}-store.sqlite`),
        samplesTtlDays: 0,
      });
      api = buildApi({ telemetryDb, records, logger, metrics, live: feed });
      base = `http://127.0.0.1:${await listenApi(api, '127.0.0.1', 0)}`;
      // Subscribed before the feed joins its group: it would see a replay if there were one.
      watcher = await open('/api/live?deviceId=veh-1');
      await eventually(() => feed.subscriberCount === 1, 'the watcher subscribed');
      await feed.start();

      // The feed reads from the end of each partition once it has found it (Kafka: a moment
      // after joining): send until a client has seen every vehicle the tests use.
      const probe = await open('/api/live?kinds=state');
      const vehicles = ['veh-1', 'veh-2', 'veh-flood', 'veh-bad'];
      let n = 0;
      await eventually(
        async () => {
          n++;
          await producer.send(vehicles.map((v) => telemetry(v, [['Vehicle.OBD.RunTime', n, t0]])));
          const seen = new Set(states(probe).map((s) => s.data.deviceId));
          return vehicles.every((v) => seen.has(v));
        },
        'the feed to deliver records of every test vehicle',
        60_000,
        250,
      );
      probe.close();
      await eventually(() => feed.subscriberCount === 1, 'the probe to be unsubscribed');
    });

    // A failed test leaves no client behind to confuse the next one.
    afterEach(async () => {
      for (const c of clients.splice(0)) c.close();
      await eventually(() => feed.subscriberCount === 0, 'every client unsubscribed', 5_000);
    });

    afterAll(async () => {
      await api?.close();
      await feed?.close();
      await producer?.close();
      await log?.close();
      await telemetryDb?.close();
    });

    it('should stream alerts and state of the vehicles asked for, none from before it started', async () => {
      const one = await open('/api/live?deviceId=veh-1');
      const two = await open('/api/live?deviceId=veh-2&kinds=alerts,state');
      expect(one.status).toBe(200);
      expect(one.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(one.headers.get('cache-control')).toMatch(/no-cache/);
      await eventually(() => one.retry !== undefined, 'the retry hint');
      await eventually(() => feed.subscriberCount === 3, 'both clients subscribed');

      const t1 = t0 + 5 * 60_000;
      await producer.send([
        alert('new-alert', 'veh-1', t1),
        telemetry('veh-1', [
          ['Vehicle.Speed', 42.5, t1],
          ['Vehicle.Powertrain.CombustionEngine.ECT', 90, t1 + 500],
          ['Vehicle.Speed', 43, t1 + 1000],
        ]),
      ]);
      await eventually(
        () =>
          alertIds(one).includes('new-alert') &&
          states(one).some((s) => signalValueIn(s, 'Vehicle.Speed') === 43),
        () => `veh-1's alert and state (got ${JSON.stringify(one.messages)})`,
      );
      // The alert as an item of GET /api/alerts names it (its state left out); the event's
      // kind is its SSE name, not a field of the alert.
      expect(one.messages.find((m) => m.event === 'alert')).toEqual({
        event: 'alert',
        data: {
          id: 'new-alert',
          deviceId: 'veh-1',
          type: 'overheat',
          severity: 'warning',
          raisedAt: new Date(t1).toISOString(),
          conditionKey: 'coolant',
          evidence: { coolantC: 112.5, source: 'ECT' },
          clearsWhen: '≤ 100 °C for 60 s',
        },
      });
      const state = states(one).find((s) => signalValueIn(s, 'Vehicle.Speed') === 43);
      expect(state).toMatchObject({
        event: 'state',
        data: {
          deviceId: 'veh-1',
          time: new Date(t1 + 1000).toISOString(),
          signals: expect.arrayContaining([
            { name: 'Vehicle.Speed', unit: 'km/h', v: 43, t: new Date(t1 + 1000).toISOString() },
            {
              name: 'Vehicle.Powertrain.CombustionEngine.ECT',
              unit: 'celsius',
              v: 90,
              t: new Date(t1 + 500).toISOString(),
            },
          ]),
        },
      });
      // The old records share veh-1's partitions and precede the new ones: none was replayed,
      // also not to the client subscribed since before the feed started.
      await eventually(() => alertIds(watcher).includes('new-alert'), 'the watcher to see it');
      for (const c of [one, watcher]) {
        expect(alertIds(c)).not.toContain('old-alert');
        expect(
          states(c).some(
            (s) => signalValueIn(s, 'Vehicle.Powertrain.FuelSystem.RelativeLevel') !== undefined,
          ),
        ).toBe(false);
      }
      expect(one.messages.every((m) => [undefined, 'veh-1'].includes(deviceIdOf(m)))).toBe(true);

      // veh-2's client: once the feed has passed veh-1's records to it, a veh-2 alert arrives
      // after them, and it is all that client saw.
      await producer.send([alert('marker-2', 'veh-2', t1)]);
      await eventually(() => alertIds(two).includes('marker-2'), 'veh-2 alert');
      expect(two.messages.every((m) => deviceIdOf(m) === 'veh-2')).toBe(true);

      one.close();
      two.close();
      watcher.close();
      await eventually(() => feed.subscriberCount === 0, 'the clients to be unsubscribed');
    });

    it('should skip a record that does not decode, count it, and carry on', async () => {
      const c = await open('/api/live?deviceId=veh-bad&kinds=alerts');
      await eventually(() => feed.subscriberCount === 1, 'subscribed');
      await producer.send([
        { topic: kafkaTopics.alerts, key: 'veh-bad', value: new Uint8Array([0xff, 0xff, 0xff]) },
        alert('after-bad', 'veh-bad'),
      ]);
      await eventually(() => alertIds(c).includes('after-bad'), 'the alert after the bad record');
      const skipped = await metrics.getSingleMetric('fleetline_live_records_skipped_total')?.get();
      expect(skipped?.values).toEqual([
        expect.objectContaining({ labels: { topic: kafkaTopics.alerts }, value: 1 }),
      ]);
      c.close();
      await eventually(() => feed.subscriberCount === 0, 'unsubscribed');
    });

    it('should carry every stream through one vehicle’s burst of 1,500 alerts, telling what it missed', async () => {
      // A 12 KB trouble-code event once made 1,500 alerts and ended every live alert stream.
      const all = await open('/api/live?kinds=alerts');
      const other = await open('/api/live?deviceId=veh-2&kinds=alerts');
      await eventually(() => feed.subscriberCount === 2, 'both clients subscribed');
      await producer.send(Array.from({ length: 1500 }, (_, i) => alert(`flood-${i}`, 'veh-flood')));
      await producer.send([alert('after-flood', 'veh-2')]);
      await eventually(
        () => alertIds(all).includes('after-flood') && alertIds(other).includes('after-flood'),
        () => `the next alert on both streams (all got ${all.messages.length} messages)`,
      );
      expect(all.ended || other.ended).toBe(false);
      expect(feed.subscriberCount).toBe(2);
      // Nothing lost silently: each flood alert was sent, or counted in a missed event.
      const sent = alertIds(all).filter((id) => id.startsWith('flood-')).length;
      const missed = all.messages.flatMap((m) => (m.event === 'missed' ? [m.data] : []));
      expect(missed.length).toBeGreaterThan(0);
      expect(sent + missed.reduce((n, m) => n + m.alerts, 0)).toBe(1500);
      expect(missed.every((m) => m.deviceIds.join() === 'veh-flood')).toBe(true);
      expect(missed[0]?.message).toMatch(/read GET \/api\/alerts/);
      expect(other.messages.map((m) => m.event)).toEqual(['alert']);
      const dropped = await metrics.getSingleMetric('fleetline_live_events_dropped_total')?.get();
      expect(dropped?.values).toContainEqual(
        expect.objectContaining({ labels: { kind: 'alert' }, value: 1500 - sent }),
      );
    });

    it('should answer 400 naming the field for a bad query', async () => {
      for (const [query, field] of [
        ['kinds=alerts,events', 'kinds'],
        ['kinds=', 'kinds'],
        ['deviceId=-bad', 'deviceId'],
        ['deviceId=veh-1&deviceId=a%20b', 'deviceId'],
        ['vehicleId=veh-1', 'additional'],
      ] as const) {
        const res = await api.inject({ method: 'GET', url: `/api/live?${query}`, headers });
        expect(res.statusCode, query).toBe(400);
        expect(res.headers['content-type']).toMatch(/json/);
        expect(res.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' });
        expect(res.json().message, query).toMatch(field);
      }
      expect(feed.subscriberCount).toBe(0);
    });

    it('should send heartbeat comments and end its streams when the server closes', async () => {
      const app = await liveOnly(feed, { heartbeatMs: 50, retryMs: 1234 });
      await app.listen({ host: '127.0.0.1', port: 0 });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const c = await openStream(`http://127.0.0.1:${port}/api/live?kinds=state`, headers);
      clients.push(c);
      await eventually(() => c.comments.length >= 2, 'two heartbeats');
      expect(c.comments[0]).toBe('keep-alive');
      expect(c.retry).toBe(1234);
      await app.close();
      await c.done;
      expect(c.ended).toBe(true);
      await eventually(() => feed.subscriberCount === 0, 'unsubscribed at close');
    });
  });
}

describe('GET /api/live without a running feed', () => {
  it('should answer 503', async () => {
    const log = new EmbeddedLog({ path: join(dir, 'unused.sqlite'), defaultPartitions: 1 });
    const feed = new LiveFeed({
      log,
      logger,
      metrics: new Registry(),
    });
    await feed.close();
    const app = await liveOnly(feed);
    const res = await app.inject({ method: 'GET', url: '/api/live', headers });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ statusCode: 503, message: 'the live feed is not running' });
    await app.close();
    await log.close();
  });
});
