import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { decodeEvent, decodeTelemetryBatch } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import { TestBroker } from '../../../test-support/broker.js';
import { eventually } from '../../../test-support/infra.js';
import { startAgent } from '../../src/agent/agent.js';
import { validateAgentConfig } from '../../src/agent/config.js';
import { buildInputs } from '../../src/agent/inputs.js';
import {
  cleanupAfterEachTest,
  demoDbc,
  demoMappings,
  quietLogger,
  tempDir,
  writeDriveLog,
} from './support.js';

/**
 * The identity of what the agent sends is (device, seq epoch, seq). The epoch is chosen when
 * the agent's seq counter is created and kept with it: a restart goes on in the same epoch,
 * while an agent whose state was wiped (reinstalled, spool deleted) starts its seqs again in a
 * new one, so the cloud can tell its batches from ones it has already handled.
 */

const cleanup = cleanupAfterEachTest();

describe('the agent’s seq epoch', () => {
  it('should be kept across restarts and chosen anew when the agent’s state is wiped', async () => {
    const dir = tempDir();
    await writeDriveLog(join(dir, 'drive.log'), 5);
    const broker = await TestBroker.start();
    cleanup(() => broker.stop());
    const config = validateAgentConfig(
      {
        deviceId: 'epoch-veh-1',
        uplink: { url: broker.url, batchIntervalMs: 100 },
        spool: { dir: 'spool' },
        can: {
          source: { type: 'candump', file: 'drive.log', realtime: true, loop: true },
          dbc: demoDbc,
        },
        signals: demoMappings,
        collection: { default: { kind: 'period', periodMs: 100 } },
        crash: { enabled: false },
      },
      dir,
    );
    /** (epoch, seq) of what the broker got, telemetry and events, in arrival order. */
    const uplinked = () =>
      broker.received.flatMap((r) => {
        if (r.topic.endsWith('/telemetry')) {
          const b = decodeTelemetryBatch(r.payload);
          return [[b.seqEpoch ?? 0, b.seq] as const];
        }
        if (r.topic.endsWith('/events')) {
          const e = decodeEvent(r.payload);
          return [[e.seqEpoch ?? 0, e.seq] as const];
        }
        return [];
      });
    /** Runs the agent until the broker has `n` messages, and stops it (draining). */
    const runUntil = async (n: number) => {
      const agent = await startAgent(config, quietLogger(), buildInputs);
      try {
        await eventually(() => uplinked().length >= n, `${n} messages uplinked`, 20_000);
      } finally {
        await agent.stop(5000);
      }
    };

    await runUntil(3);
    const first = uplinked();
    const epoch = first[0]?.[0] ?? 0;
    expect(epoch).toBeGreaterThan(0);
    expect(first.every(([e]) => e === epoch)).toBe(true);
    expect(first[0]?.[1]).toBe(1);

    // Restarted on its spool: the same epoch, and seqs going on from where they were.
    const before = uplinked().length;
    const lastSeq = Math.max(...uplinked().map(([, s]) => s));
    await runUntil(before + 3);
    const second = uplinked().slice(before);
    expect(second.every(([e]) => e === epoch)).toBe(true);
    expect(Math.min(...second.map(([, s]) => s))).toBeGreaterThan(lastSeq);

    // Its state wiped: seqs start again at 1, in a new epoch.
    rmSync(config.spool.dir, { recursive: true, force: true });
    const wipedFrom = uplinked().length;
    await runUntil(wipedFrom + 3);
    const third = uplinked().slice(wipedFrom);
    const newEpoch = third[0]?.[0] ?? 0;
    expect(newEpoch).toBeGreaterThan(0);
    expect(newEpoch).not.toBe(epoch);
    expect(third.every(([e]) => e === newEpoch)).toBe(true);
    expect(Math.min(...third.map(([, s]) => s))).toBe(1);
  });
});
