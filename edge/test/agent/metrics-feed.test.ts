import { describe, expect, it } from 'vitest';
import { agentMetrics } from '../../src/agent/metrics.js';
import { MetricsFeed } from '../../src/agent/metrics-feed.js';

function rig() {
  const spool = { eventDepth: 1, telemetryDepth: 4, bytes: 2048, dropped: 0 };
  const sender = { sent: 0, acked: 0, inFlight: 0 };
  const pipeline = { readings: 0, samples: 0, collected: 0, collisions: 0, captures: 0 };
  const metrics = agentMetrics();
  const feed = new MetricsFeed(metrics, {
    spool: { stats: () => ({ ...spool }) },
    sender: {
      get stats() {
        return { ...sender };
      },
    },
    pipeline: { stats: pipeline },
  });
  const value = async (name: keyof typeof metrics, labels: Record<string, string> = {}) => {
    const m = metrics[name] as { get(): Promise<{ values: { labels: object; value: number }[] }> };
    const found = (await m.get()).values.find(
      (v) => JSON.stringify(v.labels) === JSON.stringify(labels),
    );
    return found?.value;
  };
  return { feed, spool, sender, pipeline, value };
}

describe('MetricsFeed', () => {
  it('should set the spool and uplink gauges from their stats', async () => {
    const { feed, sender, value } = rig();
    sender.inFlight = 3;
    feed.refresh();
    expect(await value('spoolDepth', { kind: 'event' })).toBe(1);
    expect(await value('spoolDepth', { kind: 'telemetry' })).toBe(4);
    expect(await value('spoolBytes')).toBe(2048);
    expect(await value('spoolDropped')).toBe(0);
    expect(await value('uplinkInFlight')).toBe(3);
  });

  it('should add only what was acknowledged since the last refresh', async () => {
    const { feed, sender, value } = rig();
    sender.acked = 5;
    feed.refresh();
    feed.refresh();
    sender.acked = 7;
    feed.refresh();
    expect(await value('published')).toBe(7);
  });

  it('should move the CAN frame count and the readings per input, then start them again', async () => {
    const { feed, value } = rig();
    feed.counts.canFrames += 100;
    feed.countReading('gnss.latitude');
    feed.countReading('gnss.longitude');
    feed.countReading('can.ENGINE.SPEED');
    feed.refresh();
    expect(feed.counts.canFrames).toBe(0);
    feed.counts.canFrames += 20;
    feed.countReading('gnss.latitude');
    feed.refresh();
    expect(await value('canFrames')).toBe(120);
    expect(await value('readings', { input: 'gnss' })).toBe(3);
    expect(await value('readings', { input: 'can' })).toBe(1);
  });

  it("should add the pipeline's samples and collected since the last tick on each tick", async () => {
    const { feed, pipeline, sender, value } = rig();
    pipeline.samples = 10;
    pipeline.collected = 2;
    feed.tick();
    pipeline.samples = 25;
    pipeline.collected = 3;
    sender.acked = 1;
    feed.tick();
    expect(await value('samples')).toBe(25);
    expect(await value('collected')).toBe(3);
    // A tick refreshes everything else too.
    expect(await value('published')).toBe(1);
  });
});
