import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DbcCodec, formatCandumpLine, loadDbcFile } from '@fleetline/edge';
import { type Sample, signalId } from '@fleetline/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/infra.js';
import { repoRoot } from '../../test-support/process.js';
import { type EdgeRig, startEdgeRig } from './support/edge-rig.js';

/**
 * The real edge agent's long windows through the gateway, the log and the processor into the
 * telemetry database: a ten-minute trigger window at 100 Hz, and a collision whose minute before
 * the impact is more than the agent sends in one message, both go out as several messages. The
 * gateway takes every one (a refused part would be dead-lettered, and its samples missing here) and
 * the telemetry database keeps every part as an event row, so every sample of each window is there.
 */

const dbc = join(repoRoot, 'simulator/dbc/fleetline-demo.dbc');
const dir = mkdtempSync(join(tmpdir(), 'fleetline-edge-windows-'));
let rig: EdgeRig;
beforeAll(async () => {
  rig = await startEdgeRig(dir);
});
afterAll(async () => {
  await rig?.close();
  rmSync(dir, { recursive: true, force: true });
});

const SPEED = signalId('Vehicle.Speed');
const AX = signalId('Vehicle.Acceleration.Longitudinal');
const AY = signalId('Vehicle.Acceleration.Lateral');
const TRIGGER_MS = 320_000;
const CRASH_MS = 630_000;

/**
 * 645 s of the dynamics frame at 100 Hz: 50 km/h, over 100 for a second at 320 s, and a
 * 30 km/h frontal pulse over 100 ms at 630 s.
 */
async function writeDrive(path: string): Promise<void> {
  const codec = new DbcCodec(await loadDbcFile(dbc));
  const message = codec.lookup(256, false);
  if (!message) throw new Error('no VEHICLE_DYNAMICS in the demo DBC');
  const t0Us = 1_764_000_000_000_000;
  const lines: string[] = [];
  for (let ms = 0; ms < 645_000; ms += 10) {
    const inPulse = ms >= CRASH_MS && ms <= CRASH_MS + 100;
    const speed =
      ms >= TRIGGER_MS && ms < TRIGGER_MS + 1000
        ? 120
        : ms < CRASH_MS
          ? 50
          : Math.max(0, 50 - (ms - CRASH_MS) / 3);
    const ax = inPulse
      ? (-((30 / 3.6) * Math.PI) / 0.2) * Math.sin((Math.PI * (ms - CRASH_MS)) / 100)
      : Math.sin(ms / 700) * 3;
    const data = message.encode(
      {
        SPEED: Math.round(speed * 100) / 100,
        ACCEL_LONG: Math.round(ax * 100) / 100,
        ACCEL_LAT: Math.round(Math.cos(ms / 900) * 200) / 100,
        ACCEL_VERT: 9.81,
      },
      { strict: false },
    );
    lines.push(
      formatCandumpLine(
        {
          id: 256,
          extended: false,
          remote: false,
          fd: false,
          error: false,
          data,
          dlc: 8,
          timeUs: t0Us + ms * 1000,
        },
        'can0',
      ),
    );
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

interface StoredEvent {
  seq: number;
  kind: string;
  detail: { name?: string; triggeredAtMs?: number; relatedSeq?: number; window: Sample[] };
}

/** Times from..to every 10 ms, inclusive. */
const grid = (from: number, to: number) =>
  Array.from({ length: (to - from) / 10 + 1 }, (_, i) => from + i * 10);

/** Each signal's sample times across these windows, sorted. */
function timesBySignal(events: readonly StoredEvent[]): Map<number, number[]> {
  const by = new Map<number, number[]>();
  for (const e of events) {
    for (const s of e.detail.window) {
      const list = by.get(s.signalId);
      if (list) list.push(s.timeMs);
      else by.set(s.signalId, [s.timeMs]);
    }
  }
  for (const list of by.values()) list.sort((a, b) => a - b);
  return by;
}

describe('an edge agent’s windows past one message, end to end', () => {
  it('should have every sample of a 10-minute trigger window and of a collision’s minute stored', async () => {
    const deviceId = 'windows-0001';
    const secret = await rig.register(deviceId);
    await writeDrive(join(dir, 'drive.log'));
    const agent = rig.startAgent(deviceId, secret, {
      uplink: {
        url: rig.mqttUrl,
        username: deviceId,
        password: secret,
        batchIntervalMs: 500,
        // An eighth of the default: the collision's minute of three signals (about 33 KB)
        // needs several messages too.
        maxBatchBytes: 16 * 1024,
      },
      can: { source: { type: 'candump', file: join(dir, 'drive.log') }, dbc },
      signals: [
        { from: 'can.VEHICLE_DYNAMICS.SPEED', to: 'Vehicle.Speed' },
        { from: 'can.VEHICLE_DYNAMICS.ACCEL_LONG', to: 'Vehicle.Acceleration.Longitudinal' },
        { from: 'can.VEHICLE_DYNAMICS.ACCEL_LAT', to: 'Vehicle.Acceleration.Lateral' },
      ],
      crash: { preMs: 60_000, postMs: 5000 },
      triggers: [
        { name: 'overspeed', when: 'Vehicle.Speed > 100', preMs: 300_000, postMs: 300_000 },
      ],
    });
    try {
      const stored = async (): Promise<StoredEvent[]> =>
        (
          await rig.telemetryDb.listEvents({
            deviceId,
            fromMs: 0,
            toMs: Date.now() + 86_400_000,
            limit: 1000,
          })
        ).map((r) => ({ seq: r.seq, kind: r.kind, detail: JSON.parse(r.detail) }));
      const perWindow = 3 * grid(0, 600_000).length;
      const perCrash = 3 * grid(0, 65_000).length;
      const events = await eventually(
        async () => {
          const all = await stored();
          const overspeed = all.filter((e) => e.detail.name === 'overspeed');
          const collision = all.find((e) => e.kind === 'collision');
          const crash = all.filter(
            (e) =>
              e === collision ||
              (e.detail.name === 'collision' && e.detail.relatedSeq === collision?.seq),
          );
          const count = (l: StoredEvent[]) => l.reduce((n, e) => n + e.detail.window.length, 0);
          return count(overspeed) >= perWindow && count(crash) >= perCrash
            ? { overspeed, crash }
            : undefined;
        },
        'both windows stored',
        120_000,
      );
      expect(rig.fatal).toEqual([]);
      // The trigger's window: five minutes either side at 100 Hz, every sample once.
      expect(events.overspeed.length).toBeGreaterThan(1);
      const triggeredAt = events.overspeed[0]?.detail.triggeredAtMs as number;
      expect(events.overspeed.every((e) => e.detail.triggeredAtMs === triggeredAt)).toBe(true);
      const window = timesBySignal(events.overspeed);
      expect([...window.keys()].sort()).toEqual([SPEED, AX, AY].sort());
      for (const [id, times] of window) {
        expect(times, `signal ${id}`).toEqual(grid(triggeredAt - 300_000, triggeredAt + 300_000));
      }
      // The collision's: a minute before the impact and five seconds after it.
      const collision = events.crash.find((e) => e.kind === 'collision') as StoredEvent;
      expect(events.crash.length).toBeGreaterThan(2);
      const hit = Math.max(...collision.detail.window.map((s) => s.timeMs));
      for (const [id, times] of timesBySignal(events.crash)) {
        expect(times, `signal ${id}`).toEqual(grid(hit - 60_000, hit + 5000));
      }
      expect(await agent.stop()).toBe(0);
    } catch (err) {
      console.error(agent.tail(30));
      throw err;
    }
  }, 180_000);
});
