import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createLogger,
  EmbeddedLog,
  KafkaLog,
  type Log,
  type LogProducer,
  Registry,
  withTopicPrefix,
} from '@fleetline/platform';
import { kafkaTopics } from '@fleetline/proto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually, kafka, kafkaBrokers, uniqueName } from '../../../test-support/infra.js';
import { LiveFeed, STATE_STOPPED } from '../../src/live/live-feed.js';
import { alert, alertIds, type Reader, read, speeds, telemetry } from './live-records.js';
import { SpyLog } from './spy-log.js';

/**
 * The live feed reads telemetry only while some subscriber wants state events: alert
 * subscribers alone cost no telemetry tail; the first state subscriber starts one, which is
 * closed once the last has been gone for the grace period; churn never leaves two; a failure
 * of that tail ends the state subscribers only. It reads in no consumer group.
 */

const dir = mkdtempSync(join(tmpdir(), 'fleetline-live-feed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const logger = createLogger('live-feed-test', 'silent');
const IDLE_MS = 50;

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
        new KafkaLog({ brokers: kafkaBrokers, clientId: 'live-feed-test', replicationFactor: 1 }),
        `${uniqueName('live-feed')}.`,
      ),
    skip: kafkaInfra.reason,
  },
];

for (const adapter of adapters) {
  describe.skipIf(adapter.skip)(`the live feed's telemetry on the ${adapter.name} log`, () => {
    let spy: SpyLog;
    let producer: LogProducer;
    const feeds: LiveFeed[] = [];
    let failures: Error[];
    let n = 0;

    beforeAll(async () => {
      spy = new SpyLog(adapter.open());
      await spy.ensureTopics(
        [kafkaTopics.alerts, kafkaTopics.telemetry].map((name) => ({ name, partitions: 2 })),
      );
      producer = await spy.createProducer();
    });

    afterEach(async () => {
      for (const f of feeds.splice(0)) await f.close();
      expect(spy.groupsJoined).toEqual([]);
      expect(spy.telemetryOpen).toBe(0);
      expect(spy.maxTelemetryOpen).toBeLessThanOrEqual(1);
      spy.maxTelemetryOpen = 0;
    });

    afterAll(async () => {
      await producer?.close();
      await spy?.close();
    });

    async function startFeed(): Promise<LiveFeed> {
      failures = [];
      const feed = new LiveFeed({
        log: spy,
        logger,
        metrics: new Registry(),
        stateIntervalMs: 0,
        stateIdleMs: IDLE_MS,
        onError: (err) => failures.push(err),
      });
      feeds.push(feed);
      await feed.start();
      return feed;
    }

    /** Sends telemetry of `vehicle` until `reader` has a state event of it sent by this call. */
    async function stateArrives(reader: Reader, vehicle = 'veh-1'): Promise<number> {
      const first = n + 1;
      return eventually(
        async () => {
          await producer.send([telemetry(vehicle, ++n)]);
          return speeds(reader).find((v) => v !== undefined && v >= first);
        },
        () => `a state event (got ${JSON.stringify(reader.messages)})`,
        30_000,
        100,
      );
    }

    /** Sends alerts until `reader` has one of them. */
    async function alertArrives(reader: Reader): Promise<string> {
      const prefix = uniqueName('alert');
      let i = 0;
      return eventually(
        async () => {
          await producer.send([alert(`${prefix}-${++i}`)]);
          return alertIds(reader).find((id) => id.startsWith(prefix));
        },
        () => `an alert (got ${JSON.stringify(reader.messages)})`,
        30_000,
        100,
      );
    }

    it('should create no consumer group: alerts and state come from tails of the log', async () => {
      const feed = await startFeed();
      const both = read(feed, ['alerts', 'state'], ['veh-1']);
      await eventually(() => feed.readingTelemetry, 'the telemetry tail to start');
      await alertArrives(both);
      await stateArrives(both);
      expect(new Set(feed.partitionsRead.map((p) => p.topic))).toEqual(
        new Set([kafkaTopics.alerts, kafkaTopics.telemetry]),
      );
      await feed.close();
      expect(spy.groupsJoined).toEqual([]);
    });

    it('should not read telemetry while only alerts are subscribed to', async () => {
      const feed = await startFeed();
      const alerts = read(feed, ['alerts']);
      const before = spy.telemetryStarts;
      const recordsBefore = spy.telemetryRecords;
      await producer.send([telemetry('veh-1', ++n)]);
      await alertArrives(alerts);
      await producer.send([telemetry('veh-1', ++n), telemetry('veh-2', ++n)]);
      await alertArrives(alerts);
      expect(feed.readingTelemetry).toBe(false);
      expect(spy.telemetryStarts).toBe(before);
      expect(spy.telemetryRecords).toBe(recordsBefore);
      expect(feed.partitionsRead.every((p) => p.topic === kafkaTopics.alerts)).toBe(true);
      expect(alerts.messages.every((m) => m.event === 'alert')).toBe(true);
    });

    it('should read telemetry while state is subscribed to, stop after the grace period and start afresh', async () => {
      const feed = await startFeed();
      const alerts = read(feed, ['alerts']);
      const state = read(feed, ['state'], ['veh-1']);
      await eventually(() => feed.readingTelemetry, 'the telemetry tail to start');
      await stateArrives(state);
      expect(feed.partitionsRead.some((p) => p.topic === kafkaTopics.telemetry)).toBe(true);

      state.sub.close();
      // Within the grace period: still reading.
      expect(feed.readingTelemetry).toBe(true);
      await eventually(() => !feed.readingTelemetry, 'the telemetry tail to stop');
      expect(spy.telemetryOpen).toBe(0);
      expect(feed.partitionsRead.every((p) => p.topic === kafkaTopics.alerts)).toBe(true);
      // The alerts read on.
      await alertArrives(alerts);

      // Appended while nothing read telemetry: the next tail does not replay it.
      const missed = ++n;
      await producer.send([telemetry('veh-1', missed)]);
      const again = read(feed, ['state', 'alerts'], ['veh-1']);
      await eventually(() => feed.readingTelemetry, 'the telemetry tail to start again');
      await stateArrives(again);
      expect(speeds(again)).not.toContain(missed);
      expect(spy.maxTelemetryOpen).toBe(1);
      again.sub.close();
      await eventually(() => !feed.readingTelemetry, 'the telemetry tail to stop again');
      expect(failures).toEqual([]);
    });
  });
}

describe("the live feed's telemetry tail, started and stopped on the embedded log", () => {
  let spy: SpyLog;
  let producer: LogProducer;
  const feeds: LiveFeed[] = [];
  let failures: Error[];
  let n = 0;

  beforeAll(async () => {
    spy = new SpyLog(new EmbeddedLog({ path: join(dir, 'churn.sqlite'), defaultPartitions: 2 }));
    await spy.ensureTopics(
      [kafkaTopics.alerts, kafkaTopics.telemetry].map((name) => ({ name, partitions: 2 })),
    );
    producer = await spy.createProducer();
  });

  afterEach(async () => {
    spy.holdClose = undefined;
    for (const f of feeds.splice(0)) await f.close();
    expect(spy.groupsJoined).toEqual([]);
    expect(spy.telemetryOpen).toBe(0);
    expect(spy.maxTelemetryOpen).toBeLessThanOrEqual(1);
    spy.maxTelemetryOpen = 0;
  });

  afterAll(async () => {
    await producer?.close();
    await spy?.close();
  });

  async function startFeed(stateIdleMs = IDLE_MS): Promise<LiveFeed> {
    failures = [];
    const feed = new LiveFeed({
      log: spy,
      logger,
      metrics: new Registry(),
      stateIntervalMs: 0,
      stateIdleMs,
      onError: (err) => failures.push(err),
    });
    feeds.push(feed);
    await feed.start();
    return feed;
  }

  async function stateArrives(reader: Reader): Promise<number> {
    const first = n + 1;
    return eventually(
      async () => {
        await producer.send([telemetry('veh-1', ++n)]);
        return speeds(reader).find((v) => v !== undefined && v >= first);
      },
      () => `a state event (got ${JSON.stringify(reader.messages)})`,
    );
  }

  async function alertArrives(reader: Reader): Promise<string> {
    const prefix = uniqueName('alert');
    let i = 0;
    return eventually(
      async () => {
        await producer.send([alert(`${prefix}-${++i}`)]);
        return alertIds(reader).find((id) => id.startsWith(prefix));
      },
      () => `an alert (got ${JSON.stringify(reader.messages)})`,
    );
  }

  it('should never have two telemetry tails through subscribe/unsubscribe churn', async () => {
    const feed = await startFeed(0);
    const starts = spy.telemetryStarts;
    for (let i = 0; i < 200; i++) {
      const r = read(feed, i % 3 === 0 ? ['alerts', 'state'] : ['state']);
      if (i % 2 === 0) await Promise.resolve();
      if (i % 7 === 0) await new Promise((resolve) => setImmediate(resolve));
      r.sub.close();
      expect(spy.telemetryOpen).toBeLessThanOrEqual(1);
    }
    await eventually(() => !feed.readingTelemetry && spy.telemetryOpen === 0, 'no tail left');
    expect(spy.telemetryStarts).toBeGreaterThan(starts);

    // And with one subscriber left at the end of it: exactly one, which delivers.
    let last: Reader | undefined;
    for (let i = 0; i < 50; i++) {
      last?.sub.close();
      last = read(feed, ['state']);
      if (i % 5 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await eventually(() => feed.readingTelemetry, 'the telemetry tail to start');
    await stateArrives(last as Reader);
    expect(spy.telemetryOpen).toBe(1);
    expect(spy.maxTelemetryOpen).toBe(1);
    last?.sub.close();
    await eventually(() => spy.telemetryOpen === 0, 'the tail to close');
  });

  it('should keep one tail for several state subscribers and a quick reconnect', async () => {
    const feed = await startFeed(60_000);
    const starts = spy.telemetryStarts;
    const a = read(feed, ['state']);
    const b = read(feed, ['alerts', 'state']);
    await eventually(() => feed.readingTelemetry, 'the telemetry tail to start');
    await stateArrives(a);
    await stateArrives(b);
    a.sub.close();
    b.sub.close();
    // A reload: within the grace period, the same tail serves the new subscriber.
    const c = read(feed, ['state']);
    await stateArrives(c);
    expect(spy.telemetryStarts).toBe(starts + 1);
    expect(feed.readingTelemetry).toBe(true);
  });

  it('should start a new tail once a stop in progress has completed', async () => {
    const feed = await startFeed();
    const first = read(feed, ['state']);
    await eventually(() => feed.readingTelemetry, 'the telemetry tail to start');
    let release!: () => void;
    spy.holdClose = new Promise<void>((r) => {
      release = r;
    });
    const starts = spy.telemetryStarts;
    first.sub.close();
    await eventually(() => spy.closing === 1, 'the stop to begin');
    const second = read(feed, ['state']);
    // No second tail while the first is still closing.
    expect(spy.telemetryStarts).toBe(starts);
    expect(spy.telemetryOpen).toBe(1);
    release();
    spy.holdClose = undefined;
    await eventually(() => spy.telemetryStarts === starts + 1, 'a new tail');
    await eventually(() => feed.readingTelemetry, 'the new tail to be open');
    await stateArrives(second);
    expect(spy.maxTelemetryOpen).toBe(1);
  });

  it('should end the state subscribers, not the feed, when telemetry cannot be read', async () => {
    const feed = await startFeed();
    const alerts = read(feed, ['alerts']);
    spy.failNextTail = true;
    const state = read(feed, ['state']);
    const both = read(feed, ['alerts', 'state']);
    await eventually(() => state.sub.ended && both.sub.ended, 'the state subscribers to end');
    for (const r of [state, both]) {
      expect(r.messages.at(-1)).toEqual({ event: 'error', data: { message: STATE_STOPPED } });
    }
    expect(feed.readingTelemetry).toBe(false);
    expect(feed.subscriberCount).toBe(1);
    await alertArrives(alerts);

    // A later state subscriber tries again.
    const again = read(feed, ['state']);
    await eventually(() => feed.readingTelemetry, 'a new telemetry tail');
    await stateArrives(again);
    expect(failures).toEqual([]);
  });

  it('should end the state subscribers and close the tail when it fails while reading', async () => {
    const feed = await startFeed();
    const alerts = read(feed, ['alerts']);
    const state = read(feed, ['state']);
    await eventually(() => feed.readingTelemetry, 'the telemetry tail to start');
    await stateArrives(state);
    spy.failTelemetry?.(new Error('the broker went away'));
    expect(feed.readingTelemetry).toBe(false);
    expect(state.sub.ended).toBe(true);
    expect(state.messages.at(-1)).toEqual({ event: 'error', data: { message: STATE_STOPPED } });
    await eventually(() => spy.telemetryOpen === 0, 'the failed tail to be closed');
    await alertArrives(alerts);
    expect(alerts.sub.ended).toBe(false);

    const again = read(feed, ['state']);
    await eventually(() => feed.readingTelemetry, 'a new telemetry tail');
    await stateArrives(again);
    expect(failures).toEqual([]);
  });

  it('should close the telemetry tail with the feed, also while it is starting', async () => {
    const feed = await startFeed(60_000);
    read(feed, ['state']);
    await feed.close();
    expect(spy.telemetryOpen).toBe(0);
    expect(feed.readingTelemetry).toBe(false);

    const open = await startFeed(60_000);
    const state = read(open, ['state']);
    await eventually(() => open.readingTelemetry, 'the telemetry tail to start');
    await stateArrives(state);
    await open.close();
    expect(spy.telemetryOpen).toBe(0);
    expect(state.messages.at(-1)).toMatchObject({ event: 'error' });
  });

  it('should start reading telemetry at start() for a state subscriber that came before', async () => {
    const feed = new LiveFeed({
      log: spy,
      logger,
      metrics: new Registry(),
      stateIntervalMs: 0,
      stateIdleMs: IDLE_MS,
    });
    feeds.push(feed);
    const state = read(feed, ['state']);
    expect(feed.readingTelemetry).toBe(false);
    expect(spy.telemetryOpen).toBe(0);
    await feed.start();
    await eventually(() => feed.readingTelemetry, 'the telemetry tail to start');
    await stateArrives(state);
  });
});
