import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TestBroker } from '../../../test-support/broker.js';
import { eventually } from '../../../test-support/infra.js';
import { Service } from '../../../test-support/process.js';
import {
  decodeUplink,
  demoDbc,
  demoMappings,
  removeTempDirs,
  tempDir,
  writeConfig,
  writeDriveLog,
} from './support.js';

/**
 * Power cuts: the agent (its real CLI, as a process) is SIGKILLed again and again, both while
 * it is publishing and while the broker is down and it can only spool. After the last,
 * graceful run every batch it ever spooled has reached the broker — seqs 1…n without a gap —
 * and no start found its spool damaged.
 */

afterAll(removeTempDirs);

function spoolBytes(dir: string): number {
  let total = 0;
  for (const sub of ['telemetry', 'events']) {
    try {
      for (const f of readdirSync(join(dir, sub)))
        if (f.endsWith('.seg')) total += statSync(join(dir, sub, f)).size;
    } catch {}
  }
  return total;
}

describe('agent power cuts', () => {
  it('should deliver every spooled batch after repeated SIGKILLs online and offline', async () => {
    const dir = tempDir();
    const log = join(dir, 'drive.log');
    await writeDriveLog(log, 20);
    const broker = await TestBroker.start();
    const spoolDir = join(dir, 'spool');
    const config = writeConfig(dir, {
      deviceId: 'cut-veh-1',
      uplink: { url: broker.url, batchIntervalMs: 100 },
      spool: { dir: 'spool' },
      can: {
        source: { type: 'candump', file: 'drive.log', realtime: true, loop: true },
        dbc: demoDbc,
      },
      signals: demoMappings,
      collection: { default: { kind: 'period', periodMs: 50 } },
      crash: { enabled: false },
    });
    const outputs: string[] = [];
    const run = () =>
      Service.start('agent', 'edge/bin/fleetline-edge.js', {}, ['run', '--config', config]);
    try {
      const rounds = [
        'online',
        'offline',
        'online',
        'offline',
        'offline',
        'online',
        'offline',
      ] as const;
      let brokerUp = true;
      for (const [i, mode] of rounds.entries()) {
        if (mode === 'online' && !brokerUp) {
          await broker.restart();
          brokerUp = true;
        }
        if (mode === 'offline' && brokerUp) {
          await broker.stop();
          brokerUp = false;
        }
        const agent = run();
        await agent.waitFor(/agent running/, 20_000);
        const before = { received: broker.received.length, spool: spoolBytes(spoolDir) };
        // Let it work for a moment that differs per round, then cut the power.
        await eventually(
          () =>
            mode === 'online'
              ? broker.received.length >= before.received + 3 + i
              : spoolBytes(spoolDir) > before.spool + 500 * (i + 1),
          `round ${i} (${mode}) to make progress`,
          20_000,
          20,
        );
        await agent.kill('SIGKILL');
        outputs.push(...agent.output);
      }
      if (!brokerUp) await broker.restart();
      // The last run is stopped gracefully: it drains the spool before exiting.
      const last = run();
      await last.waitFor(/agent running/, 20_000);
      await eventually(
        () => decodeUplink(broker.received, 'cut-veh-1').telemetry.length > 0,
        'uplink',
        20_000,
      );
      expect(await last.stop(30_000)).toBe(0);
      outputs.push(...last.output);
      expect(last.output.join('\n')).toMatch(/spool drained/);

      const up = decodeUplink(broker.received, 'cut-veh-1');
      const seqs = [...new Set(up.telemetry.map((b) => b.seq))].sort((a, b) => a - b);
      const max = seqs.at(-1) ?? 0;
      expect(max).toBeGreaterThan(30);
      expect(seqs, 'every seq from 1 to the last, none missing').toEqual(
        Array.from({ length: max }, (_, k) => k + 1),
      );
      // A resent batch is the same batch: same seq, same samples.
      const bySeq = new Map<number, string>();
      for (const b of up.telemetry) {
        const key = JSON.stringify(b.samples);
        expect(bySeq.get(b.seq) ?? key, `batch ${b.seq} resent with other content`).toBe(key);
        bySeq.set(b.seq, key);
      }
      expect(
        outputs.filter((l) => /spool damage/.test(l)),
        'spool damage at a start',
      ).toEqual([]);
    } finally {
      await broker.stop();
    }
  }, 180_000);
});
