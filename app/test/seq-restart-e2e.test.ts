import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MqttUplink, Spool, SpoolSender } from '@fleetline/edge';
import { encodeTelemetryBatch, type Sample, signalId } from '@fleetline/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/infra.js';
import { type EdgeRig, startEdgeRig } from './support/edge-rig.js';

/**
 * A device whose seq starts again — its agent reinstalled, its spool wiped — through the
 * gateway, the embedded log, the processor and SQLite: every sample the gateway acknowledged
 * is stored, before and after the restart. One device runs the agent's own spool and uplink
 * (seq epochs), one is an older agent that sends no epoch.
 */

const SPEED = signalId('Vehicle.Speed');
const BATCHES = 8;
const dir = mkdtempSync(join(tmpdir(), 'fleetline-seq-restart-'));
let rig: EdgeRig;
beforeAll(async () => {
  rig = await startEdgeRig(dir);
});
afterAll(async () => {
  await rig?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Batch b of a run starting at t: five speed samples, a second apart, valued by time. */
function batch(t: number, b: number): Sample[] {
  return Array.from({ length: 5 }, (_, i) => {
    const timeMs = t + (b * 5 + i) * 1000;
    return { signalId: SPEED, timeMs, value: (timeMs / 1000) % 1000 };
  });
}

async function storedTimes(deviceId: string, fromMs: number): Promise<number[]> {
  const rows = await rig.telemetryDb.querySamples({
    deviceId,
    signalId: SPEED,
    fromMs,
    toMs: fromMs + 3_600_000,
    limit: 10_000,
  });
  return rows.map((r) => r.timeMs);
}

const expectedTimes = (...starts: number[]) =>
  starts.flatMap((t) =>
    Array.from({ length: BATCHES }, (_, b) => batch(t, b).map((s) => s.timeMs)).flat(),
  );

describe('a device whose seq starts again', () => {
  it('should have every acknowledged sample stored when its agent’s spool is wiped', async () => {
    const deviceId = 'restart-0001';
    const secret = await rig.register(deviceId);
    const spoolDir = join(dir, 'spool');
    const t = Date.now() - 600_000;
    const runs = [t, t + 120_000];
    const epochs: number[] = [];
    for (const start of runs) {
      // The agent's own path: spooled with the spool's seq and epoch, sent by the sender,
      // removed from the spool once the gateway has acknowledged it.
      const spool = await Spool.open({ dir: spoolDir, maxBytes: 1 << 20 });
      const uplink = new MqttUplink({
        url: rig.mqttUrl,
        deviceId,
        username: deviceId,
        password: secret,
      });
      const sender = new SpoolSender(spool, uplink);
      try {
        sender.start();
        epochs.push(spool.seqEpoch);
        for (let b = 0; b < BATCHES; b++) {
          await spool.add('telemetry', (seq, seqEpoch) =>
            encodeTelemetryBatch({ deviceId, seq, seqEpoch, samples: batch(start, b) }),
          );
        }
        expect(await sender.drained(20_000), 'every batch acknowledged').toBe(true);
      } finally {
        sender.stop();
        await uplink.close();
        await spool.close();
      }
      // Reinstalled: the agent's state is gone.
      rmSync(spoolDir, { recursive: true, force: true });
    }
    const expected = expectedTimes(...runs);
    await eventually(
      async () => (await storedTimes(deviceId, t)).length >= expected.length,
      `${expected.length} samples stored`,
      20_000,
    );
    expect(await storedTimes(deviceId, t)).toEqual(expected);
    expect(epochs[1]).not.toBe(epochs[0]);
  });

  it('should have every acknowledged sample stored when an agent without epochs starts its seq again', async () => {
    const deviceId = 'legacy-0001';
    const secret = await rig.register(deviceId);
    const t = Date.now() - 600_000;
    const runs = [t, t + 120_000];
    for (const start of runs) {
      const uplink = new MqttUplink({
        url: rig.mqttUrl,
        deviceId,
        username: deviceId,
        password: secret,
      });
      try {
        // seq 1, 2, … in each run, and no epoch: what an older agent whose state was lost sends.
        for (let b = 0; b < BATCHES; b++) {
          await uplink.publishTelemetry(
            encodeTelemetryBatch({ deviceId, seq: b + 1, samples: batch(start, b) }),
          );
        }
      } finally {
        await uplink.close();
      }
    }
    const expected = expectedTimes(...runs);
    await eventually(
      async () => (await storedTimes(deviceId, t)).length >= expected.length,
      `${expected.length} samples stored`,
      20_000,
    );
    expect(await storedTimes(deviceId, t)).toEqual(expected);
  });
});
