import { join } from 'node:path';
import { decodeStatus, decodeTelemetryBatch, signalId } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import { TestBroker } from '../../../test-support/broker.js';
import { eventually } from '../../../test-support/infra.js';
import { startAgent } from '../../src/agent/agent.js';
import type { AgentConfig } from '../../src/agent/config.js';
import type { InputContext, InputFactory, ReadingInput } from '../../src/agent/input.js';
import { agentMetrics } from '../../src/agent/metrics.js';
import { MetricsEndpoint } from '../../src/agent/metrics-endpoint.js';
import { Spool } from '../../src/spool/spool.js';
import { cleanupAfterEachTest, decodeUplink, quietLogger, tempDir } from './support.js';

/**
 * startAgent as one cleanup stack: a failed start releases what it had opened, and stop()
 * closes the same parts in the same order — the inputs first, the metrics listener last.
 */

const cleanup = cleanupAfterEachTest();

function config(url: string, extra: Partial<AgentConfig> = {}): AgentConfig {
  return {
    deviceId: 'start-veh-1',
    uplink: { url, batchIntervalMs: 60_000 },
    spool: { dir: join(tempDir(), 'spool') },
    signals: [{ from: 'fake.speed', to: 'Vehicle.Speed' }],
    crash: { enabled: false },
    ...extra,
  };
}

/** An input that records its start and stop in `log`, and may fail to start. */
function fakeInput(
  name: string,
  log: string[],
  o: { failStart?: () => Promise<void>; onStop?: () => Promise<void> } = {},
): ReadingInput {
  return {
    name,
    start: async () => {
      if (o.failStart) await o.failStart();
      log.push(`start ${name}`);
    },
    stop: async () => {
      log.push(`stop ${name}`);
      await o.onStop?.();
    },
  };
}

describe('startAgent', () => {
  it('should stop the inputs it started, newest first, and close the uplink when an input fails to start', async () => {
    const broker = await TestBroker.start();
    cleanup(() => broker.stop());
    const log: string[] = [];
    const failure = new Error('gnss receiver unplugged');
    const statuses = () =>
      broker.received
        .filter((r) => r.topic === 'v1/start-veh-1/status')
        .map((r) => decodeStatus(r.payload).state);
    const inputs: InputFactory = async () => [
      fakeInput('can', log),
      fakeInput('imu', log),
      fakeInput('gnss', log, {
        // Fails once the uplink is online, so that its closing is seen.
        failStart: async () => {
          await eventually(() => statuses().includes('online'), 'the uplink online');
          throw failure;
        },
      }),
    ];
    await expect(startAgent(config(broker.url), quietLogger(), inputs)).rejects.toBe(failure);
    expect(log).toEqual(['start can', 'start imu', 'stop imu', 'stop can']);
    // The uplink is closed: the device is announced offline (here by its last will).
    await eventually(() => statuses().at(-1) === 'offline', 'the device announced offline');
  });

  it('should close the spool when the start fails, leaving what it holds for the next start', async () => {
    const c = config('mqtt://127.0.0.1:1');
    const inputs: InputFactory = async (_config, ctx: InputContext) => [
      {
        name: 'obd',
        start: async () => {
          await ctx.event({ kind: 'troubleCodes', codes: ['P0301'] }, Date.now());
          throw new Error('no answer from the ECU');
        },
        stop: async () => {},
      },
    ];
    await expect(startAgent(c, quietLogger(), inputs)).rejects.toThrow('no answer from the ECU');
    const spool = await Spool.open({ dir: c.spool.dir, maxBytes: 1024 * 1024 });
    cleanup(() => spool.close());
    expect(spool.stats().eventDepth).toBe(1);
    expect(spool.nextSeq).toBe(2);
  });

  it('should stop the inputs when the metrics port is taken', async () => {
    const taken = new MetricsEndpoint(agentMetrics().registry);
    await taken.listen('127.0.0.1', 0);
    cleanup(() => taken.close());
    const log: string[] = [];
    const c = config('mqtt://127.0.0.1:1', { metrics: { port: taken.port as number } });
    const started = startAgent(c, quietLogger(), async () => [fakeInput('can', log)]);
    await expect(started).rejects.toThrow(/EADDRINUSE/);
    expect(log).toEqual(['start can', 'stop can']);
  });

  it('should stop the inputs first, deliver the open batch, and close the metrics listener last', async () => {
    const broker = await TestBroker.start();
    cleanup(() => broker.stop());
    const log: string[] = [];
    let scrapedDuringStop = false;
    let port = 0;
    const inputs: InputFactory = async (_config, ctx) => [
      {
        name: 'fake',
        start: async () => {
          ctx.reading({ name: 'fake.speed', value: 42, timeUs: Date.now() * 1000 });
          log.push('start fake');
        },
        stop: async () => {
          log.push('stop fake');
          scrapedDuringStop = (await fetch(`http://127.0.0.1:${port}/healthz`)).ok;
        },
      },
    ];
    const agent = await startAgent(
      config(broker.url, { metrics: { port: 0 } }),
      quietLogger(),
      inputs,
    );
    port = agent.metricsPort as number;
    expect(agent.pipeline.openBatchSize).toBe(1);
    await agent.stop(10_000);
    expect(log).toEqual(['start fake', 'stop fake']);
    expect(scrapedDuringStop).toBe(true);
    // The batch was open (a minute's interval): stop spooled it and the drain delivered it.
    const { telemetry } = decodeUplink(broker.received, 'start-veh-1');
    expect(telemetry.flatMap((t) => t.samples)).toEqual([
      expect.objectContaining({ signalId: signalId('Vehicle.Speed'), value: 42 }),
    ]);
    expect(
      decodeTelemetryBatch(
        broker.received.find((r) => r.topic.endsWith('/telemetry'))?.payload as Buffer,
      ).seq,
    ).toBe(1);
    expect(agent.spool.stats().telemetryDepth).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});
