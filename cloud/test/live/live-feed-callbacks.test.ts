import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, EmbeddedLog, type ProduceRecord, Registry } from '@fleetline/platform';
import { encodeTelemetryBatch, kafkaTopics, signalId } from '@fleetline/proto';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../test-support/infra.js';
import type { LiveMessage } from '../../src/live/events.js';
import { LiveFeed } from '../../src/live/live-feed.js';
import { speedIn } from './live-records.js';

/**
 * The feed calls its subscribers from its consumer's fan-out and from its own timers (a held
 * state released when the vehicle's interval has passed). A subscriber that throws there —
 * as a stream did when an event's time was past what a Date holds — costs that subscriber its
 * turn: it is logged and counted, the process goes on, and the other subscribers are served.
 */

const dir = mkdtempSync(join(tmpdir(), 'fleetline-live-callbacks-'));
const log = new EmbeddedLog({ path: join(dir, 'log.sqlite'), defaultPartitions: 1 });
afterAll(async () => {
  await log.close();
  rmSync(dir, { recursive: true, force: true });
});

const t0 = Date.UTC(2026, 11, 5, 8, 0, 0);
let seq = 0;
const telemetry = (speed: number): ProduceRecord => ({
  topic: kafkaTopics.telemetry,
  key: 'veh-1',
  value: encodeTelemetryBatch({
    deviceId: 'veh-1',
    seq: ++seq,
    samples: [{ signalId: signalId('Vehicle.Speed'), value: speed, timeMs: t0 + seq }],
  }),
});

describe('a live subscriber that throws', () => {
  it('should be counted and logged while the feed, its timers and other subscribers go on', async () => {
    await log.ensureTopics(
      [kafkaTopics.alerts, kafkaTopics.telemetry].map((name) => ({ name, partitions: 1 })),
    );
    const producer = await log.createProducer();
    const metrics = new Registry();
    const feed = new LiveFeed({
      log,
      logger: createLogger('live-callbacks-test', 'silent'),
      metrics,
      // States of one vehicle within 100 ms are held and released by the feed's timer.
      stateIntervalMs: 100,
    });
    let thrown = 0;
    feed.subscribe({ kinds: new Set(['state']) }, () => {
      thrown++;
      throw new RangeError('Invalid time value');
    });
    const seen: LiveMessage[] = [];
    const good = feed.subscribe({ kinds: new Set(['state']) }, () => {
      for (let m = good.next(); m; m = good.next()) seen.push(m);
    });
    await feed.start();
    try {
      const speeds = () => seen.flatMap(speedIn);
      // Pairs of batches: the first of each pair goes out at once, the second is held and
      // released by the timer, where the throwing subscriber is called too.
      let speed = 0;
      await eventually(
        async () => {
          await producer.send([telemetry(++speed)]);
          await producer.send([telemetry(++speed)]);
          return speeds().length >= 6;
        },
        () => `six state events for the good subscriber (got ${JSON.stringify(speeds())})`,
        30_000,
        150,
      );
      // Released by the timer: a held state reached the good subscriber after the throws.
      expect(speeds().some((v) => v !== undefined && v % 2 === 0)).toBe(true);
      expect(thrown).toBeGreaterThan(2);
      const errors = await metrics.getSingleMetric('fleetline_callback_errors_total')?.get();
      const counted = errors?.values.find((v) => v.labels.where === 'live.subscriber')?.value;
      expect(counted).toBe(thrown);
      expect(feed.subscriberCount).toBe(2);
    } finally {
      await feed.close();
      await producer.close();
    }
  });
});
