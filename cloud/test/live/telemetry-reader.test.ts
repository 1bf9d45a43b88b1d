import {
  callbackGuard,
  Gauge,
  type Log,
  type LogRecord,
  type LogTail,
  Registry,
  type TailOptions,
} from '@fleetline/platform';
import { kafkaTopics } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../../test-support/infra.js';
import { TelemetryReader } from '../../src/live/telemetry-reader.js';
import { keptLogger, telemetryRecord } from './live-records.js';

/** A Log whose tails are in the test's hands: opened, held, failed and counted. */
function fakeLog() {
  const tails: { options: TailOptions; closed: boolean }[] = [];
  const state = {
    refuseNext: false,
    open: 0,
    maxOpen: 0,
    hold: undefined as Promise<void> | undefined,
  };
  const log = {
    tail: async (options: TailOptions): Promise<LogTail> => {
      await state.hold;
      if (state.refuseNext) {
        state.refuseNext = false;
        throw new Error('the log is unavailable');
      }
      const entry = { options, closed: false };
      tails.push(entry);
      state.open++;
      state.maxOpen = Math.max(state.maxOpen, state.open);
      return {
        partitions: [{ topic: options.topics[0] as string, partition: 0 }],
        close: async () => {
          entry.closed = true;
          state.open--;
        },
      };
    },
  } as unknown as Log;
  return { log, tails, state, latest: () => tails.at(-1) };
}

function rig(idleMs = 0) {
  const fake = fakeLog();
  const registry = new Registry();
  const { logger, lines } = keptLogger();
  const gauge = new Gauge({ name: 'reading', help: 'r', registers: [registry] });
  const handled: LogRecord[] = [];
  let failures = 0;
  const reader = new TelemetryReader({
    log: fake.log,
    guard: callbackGuard({ logger, metrics: registry }),
    logger,
    idleMs,
    reading: gauge,
    handle: (records) => handled.push(...records),
    // As the feed does: every subscriber wanting state is ended, and so leaves.
    onFailed: () => {
      failures++;
      while (reader.subscribers > 0) reader.release();
    },
  });
  const gaugeValue = async () => (await gauge.get()).values[0]?.value;
  return { ...fake, reader, handled, lines, gaugeValue, failures: () => failures };
}

describe('TelemetryReader', () => {
  it('should tail telemetry once wanted, and hand its records on', async () => {
    const r = rig();
    r.reader.acquire();
    expect(r.tails).toHaveLength(0);
    r.reader.want();
    await eventually(() => r.reader.reading, 'the tail to start');
    expect(r.latest()?.options.topics).toEqual([kafkaTopics.telemetry]);
    expect(r.reader.partitions).toEqual([{ topic: kafkaTopics.telemetry, partition: 0 }]);
    expect(await r.gaugeValue()).toBe(1);
    await r.latest()?.options.handle([telemetryRecord('veh-1', 50)]);
    expect(r.handled).toHaveLength(1);
    r.reader.stop();
    await r.reader.settled();
    expect(r.state.open).toBe(0);
    expect(r.reader.partitions).toEqual([]);
    expect(await r.gaugeValue()).toBe(0);
  });

  it('should let telemetry go once the last subscriber has been gone for the grace period', async () => {
    const r = rig(30);
    r.reader.acquire();
    r.reader.want();
    await eventually(() => r.reader.reading, 'the tail to start');
    r.reader.acquire();
    r.reader.release();
    expect(r.reader.subscribers).toBe(1);
    r.reader.release();
    // Within the grace period: still reading; a subscriber coming back keeps the same tail.
    expect(r.reader.reading).toBe(true);
    r.reader.acquire();
    r.reader.want();
    r.reader.release();
    await eventually(() => !r.reader.reading && r.state.open === 0, 'the tail to close');
    expect(r.tails).toHaveLength(1);
  });

  it('should never hold two tails, however often the subscribers come and go', async () => {
    const r = rig(0);
    let release!: () => void;
    r.state.hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    for (let i = 0; i < 20; i++) {
      r.reader.acquire();
      r.reader.want();
      r.reader.release();
    }
    release();
    r.state.hold = undefined;
    r.reader.acquire();
    r.reader.want();
    await eventually(() => r.reader.reading, 'a tail');
    await r.reader.settled();
    expect(r.state.maxOpen).toBe(1);
    expect(r.state.open).toBe(1);
    r.reader.stop();
    await r.reader.settled();
    expect(r.state.open).toBe(0);
  });

  it('should close a tail that failed, tell the feed, and start anew when wanted again', async () => {
    const r = rig();
    r.reader.acquire();
    r.reader.want();
    await eventually(() => r.reader.reading, 'the tail to start');
    r.latest()?.options.onError?.(new Error('the broker went away'));
    expect(r.reader.reading).toBe(false);
    expect(r.failures()).toBe(1);
    expect(await r.gaugeValue()).toBe(0);
    expect(
      r.lines.some(
        ([level, m]) => level === 'error' && m === 'live feed stopped reading telemetry',
      ),
    ).toBe(true);
    await eventually(() => r.state.open === 0, 'the failed tail to be closed');
    // The feed ended the subscriber; the next one starts a new tail.
    expect(r.reader.subscribers).toBe(0);
    r.reader.acquire();
    r.reader.want();
    await eventually(() => r.reader.reading, 'a new tail');
    expect(r.tails).toHaveLength(2);
    r.reader.stop();
    await r.reader.settled();
  });

  it('should tell the feed when a tail cannot start, and try again for the next subscriber', async () => {
    const r = rig();
    r.state.refuseNext = true;
    r.reader.acquire();
    r.reader.want();
    await eventually(() => r.failures() === 1, 'the refusal to be told');
    await r.reader.settled();
    expect(r.reader.reading).toBe(false);
    expect(r.tails).toHaveLength(0);
    r.reader.acquire();
    r.reader.want();
    await eventually(() => r.reader.reading, 'a tail for the next subscriber');
    r.reader.stop();
    await r.reader.settled();
  });

  it('should start nothing once stopped', async () => {
    const r = rig();
    r.reader.stop();
    r.reader.acquire();
    r.reader.want();
    await r.reader.settled();
    expect(r.tails).toHaveLength(0);
  });
});
