import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TestBroker } from '../../../test-support/broker.js';
import { eventually } from '../../../test-support/infra.js';
import { freePort } from '../../../test-support/process.js';
import { type RunningAgent, startAgent } from '../../src/agent/agent.js';
import { validateAgentConfig } from '../../src/agent/config.js';
import { buildInputs } from '../../src/agent/inputs.js';
import {
  cleanupAfterEachTest,
  decodeUplink,
  demoDbc,
  demoMappings,
  quietLogger,
  tempDir,
  writeDriveLog,
} from './support.js';

/**
 * A long stretch without a broker: everything is spooled; when the broker comes back the
 * backlog drains in order, events (here, captures of an overspeed trigger) before telemetry.
 */

const cleanup = cleanupAfterEachTest();

describe('agent offline backlog', () => {
  it('should drain the backlog in order with events first when the broker returns', async () => {
    const dir = tempDir();
    await writeDriveLog(join(dir, 'drive.log'), 60);
    const port = await freePort();
    const config = validateAgentConfig(
      {
        deviceId: 'backlog-veh-1',
        uplink: { url: `mqtt://127.0.0.1:${port}`, batchIntervalMs: 100, maxBatchBytes: 4096 },
        spool: { dir: 'spool' },
        can: { source: { type: 'candump', file: 'drive.log' }, dbc: demoDbc },
        signals: demoMappings,
        collection: { default: { kind: 'period', periodMs: 1 } },
        triggers: [
          {
            name: 'overspeed',
            when: 'Vehicle.Speed > 105',
            preMs: 500,
            postMs: 500,
            minIntervalMs: 0,
          },
        ],
        crash: { enabled: false },
      },
      dir,
    );
    const agent: RunningAgent = await startAgent(config, quietLogger(), buildInputs);
    cleanup(() => agent.stop(2000));
    // The whole 60 s log replays at once into the spool; nobody is listening.
    await eventually(
      () => agent.pipeline.stats.readings >= 60 * 110 * 0.9,
      'the log replayed',
      30_000,
    );
    await eventually(
      () => agent.spool.stats().eventDepth >= 2 && agent.spool.stats().telemetryDepth >= 10,
      'a backlog',
      10_000,
    );
    // The backlog is complete once the replay has ended and nothing more reaches the spool:
    // no open batch, and readings and spool depths unchanged over a few polls.
    let last = '';
    let still = 0;
    await eventually(
      () => {
        const now = JSON.stringify([agent.pipeline.stats.readings, agent.spool.stats()]);
        still = now === last && agent.pipeline.openBatchSize === 0 ? still + 1 : 0;
        last = now;
        return still >= 3;
      },
      'the backlog to settle',
      15_000,
      200,
    );
    const backlog = agent.spool.stats();

    const broker = await TestBroker.start(port);
    cleanup(() => broker.stop());
    await eventually(
      () => {
        const s = agent.spool.stats();
        return s.eventDepth === 0 && s.telemetryDepth === 0;
      },
      'the backlog to drain',
      30_000,
    );

    const up = decodeUplink(broker.received, 'backlog-veh-1');
    expect(up.events.length).toBe(backlog.eventDepth);
    expect(up.telemetry.length).toBe(backlog.telemetryDepth);
    const lastEvent = Math.max(...up.events.map((e) => e.index));
    const firstBatch = Math.min(...up.telemetry.map((b) => b.index));
    expect(lastEvent, 'every event arrived before the first telemetry batch').toBeLessThan(
      firstBatch,
    );
    const batchSeqs = up.telemetry.map((b) => b.seq);
    expect(batchSeqs, 'telemetry in seq order').toEqual([...batchSeqs].sort((a, b) => a - b));
    const eventSeqs = up.events.map((e) => e.seq);
    expect(eventSeqs).toEqual([...eventSeqs].sort((a, b) => a - b));
    expect(up.events.every((e) => e.payload.kind === 'triggerCapture')).toBe(true);
    // The samples, batch after batch, are the drive in time order per signal.
    const speeds = up.telemetry.flatMap((b) =>
      b.samples.filter((s) => s.signalId === 1).map((s) => s.timeMs),
    );
    expect(speeds).toEqual([...speeds].sort((a, b) => a - b));
  }, 90_000);
});
