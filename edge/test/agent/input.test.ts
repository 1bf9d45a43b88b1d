import { describe, expect, it } from 'vitest';
import { CleanupStack } from '../../src/agent/cleanup-stack.js';
import { createInputContext, type ReadingInput, startInputs } from '../../src/agent/input.js';
import { agentMetrics } from '../../src/agent/metrics.js';
import { MetricsFeed } from '../../src/agent/metrics-feed.js';
import type { Reading } from '../../src/signals/reading.js';
import { capturedLogger, messages } from './log-capture.js';

function context() {
  const metrics = agentMetrics();
  const feed = new MetricsFeed(metrics, {
    spool: { stats: () => ({ eventDepth: 0, telemetryDepth: 0, bytes: 0, dropped: 0 }) },
    sender: { stats: { sent: 0, acked: 0, inFlight: 0 } },
    pipeline: { stats: { readings: 0, samples: 0, collected: 0, collisions: 0, captures: 0 } },
  });
  const ingested: { reading: Reading; nowMs: number }[] = [];
  const events: unknown[] = [];
  const { logger, lines } = capturedLogger();
  const ctx = createInputContext({
    ingest: (reading, nowMs) => ingested.push({ reading, nowMs }),
    wants: (name) => name.startsWith('gnss.'),
    event: async (payload, timeMs) => {
      events.push({ payload, timeMs });
      return 7;
    },
    feed,
    metrics,
    logger,
  });
  return { ctx, feed, metrics, ingested, events, lines };
}

describe('createInputContext', () => {
  it('should hand each reading to the pipeline with the wall time, counted under its input', async () => {
    const { ctx, feed, metrics, ingested } = context();
    const before = Date.now();
    ctx.reading({ name: 'gnss.latitude', value: 52.5, timeUs: 1 });
    expect(ingested).toEqual([
      { reading: { name: 'gnss.latitude', value: 52.5, timeUs: 1 }, nowMs: expect.any(Number) },
    ]);
    expect(ingested[0]?.nowMs).toBeGreaterThanOrEqual(before);
    feed.refresh();
    expect((await metrics.readings.get()).values).toEqual([
      expect.objectContaining({ labels: { input: 'gnss' }, value: 1 }),
    ]);
  });

  it("should answer wants() from the mappings and pass events and the feed's counts on", async () => {
    const { ctx, feed, events } = context();
    expect(ctx.wants('gnss.latitude')).toBe(true);
    expect(ctx.wants('imu.accel_x')).toBe(false);
    expect(ctx.counts).toBe(feed.counts);
    await expect(ctx.event({ kind: 'troubleCodes', codes: ['P0301'] }, 5)).resolves.toBe(7);
    expect(events).toEqual([{ payload: { kind: 'troubleCodes', codes: ['P0301'] }, timeMs: 5 }]);
  });

  it('should count every bad input by input and code, and log at most 10 a minute per input', async () => {
    const { ctx, metrics, lines } = context();
    const garbled = Object.assign(new Error('bad checksum'), { code: 'EDGE_NMEA_INVALID' });
    for (let i = 0; i < 15; i++) ctx.inputError('gnss', garbled);
    ctx.inputError('imu', new Error('no code'));
    expect((await metrics.inputErrors.get()).values).toEqual([
      expect.objectContaining({ labels: { input: 'gnss', code: 'EDGE_NMEA_INVALID' }, value: 15 }),
      expect.objectContaining({ labels: { input: 'imu', code: 'ERROR' }, value: 1 }),
    ]);
    const bad = lines.filter((l) => l.msg === 'bad input');
    expect(bad.filter((l) => l.input === 'gnss')).toHaveLength(10);
    expect(bad.filter((l) => l.input === 'imu')).toEqual([
      expect.objectContaining({ level: 40, err: 'no code' }),
    ]);
  });
});

describe('startInputs', () => {
  function input(name: string, log: string[], fail: { start?: boolean; stop?: boolean } = {}) {
    return {
      name,
      start: async () => {
        if (fail.start) throw new Error(`${name} did not start`);
        log.push(`start ${name}`);
      },
      stop: async () => {
        log.push(`stop ${name}`);
        if (fail.stop) throw new Error(`${name} did not stop`);
      },
    } satisfies ReadingInput;
  }

  it('should start the inputs in order and put each stop on the stack, newest first', async () => {
    const log: string[] = [];
    const { logger, lines } = capturedLogger();
    const cleanup = new CleanupStack();
    await startInputs([input('can', log), input('gnss', log)], cleanup, logger);
    expect(lines.map((l) => l.input)).toEqual(['can', 'gnss']);
    await cleanup.close();
    expect(log).toEqual(['start can', 'start gnss', 'stop gnss', 'stop can']);
  });

  it('should leave on the stack the stops of the inputs started before one that fails', async () => {
    const log: string[] = [];
    const cleanup = new CleanupStack();
    const { logger } = capturedLogger();
    const started = startInputs(
      [input('can', log), input('gnss', log), input('imu', log, { start: true })],
      cleanup,
      logger,
    );
    await expect(started).rejects.toThrow('imu did not start');
    await cleanup.close();
    expect(log).toEqual(['start can', 'start gnss', 'stop gnss', 'stop can']);
  });

  it('should log an input that fails to stop and stop the others all the same', async () => {
    const log: string[] = [];
    const cleanup = new CleanupStack();
    const { logger, lines } = capturedLogger();
    await startInputs([input('can', log), input('gnss', log, { stop: true })], cleanup, logger);
    await cleanup.close();
    expect(log).toEqual(['start can', 'start gnss', 'stop gnss', 'stop can']);
    expect(messages(lines)).toContain('input stop failed');
  });
});
