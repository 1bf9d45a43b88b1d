import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { STANDARD_GRAVITY as G, signalId } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import { TestBroker } from '../../../test-support/broker.js';
import { eventually } from '../../../test-support/infra.js';
import { startAgent } from '../../src/agent/agent.js';
import { validateAgentConfig } from '../../src/agent/config.js';
import { buildInputs } from '../../src/agent/inputs.js';
import { formatCandumpLine } from '../../src/can/candump-format.js';
import {
  cleanupAfterEachTest,
  decodeUplink,
  demoDbc,
  demoMappings,
  encodeDemo,
  quietLogger,
  tempDir,
} from './support.js';

/**
 * A drive recorded on the demo bus (accelerometer at 100 Hz): a pothole, a hard stop from
 * 80 km/h, a door slam at standstill, then a 30 km/h frontal impact. Exactly one collision
 * must come out of the agent, with position and its windows.
 */

const cleanup = cleanupAfterEachTest();

async function writeCrashDrive(path: string): Promise<number> {
  const lines: string[] = [];
  const t0 = 1_764_000_000_000_000;
  let speed = 50;
  let crashAtMs = 0;
  const frame = (id: number, data: Uint8Array, tUs: number) =>
    formatCandumpLine(
      { id, extended: false, remote: false, fd: false, error: false, data, dlc: 8, timeUs: tUs },
      'can0',
    );
  for (let ms = 0; ms < 30_000; ms += 10) {
    let ax = 0.05;
    let ay = 0;
    let az = 9.81;
    if (ms >= 3000 && ms < 3020) {
      az = 5 * G; // pothole: hard vertical hit…
      ax = -2 * G; // …and a short fore-aft jolt
    } else if (ms >= 6000 && ms < 8500) {
      ax = -1.0 * G; // hard stop from ~80
      speed = Math.max(0, speed - 0.35);
    } else if (ms >= 8500 && ms < 10_000) {
      speed = 0;
      if (ms >= 9000 && ms < 9030) ay = 3 * G; // door slam at standstill
    } else if (ms >= 10_000 && ms < 15_000) {
      speed = Math.min(50, speed + 0.15);
      ax = 1.2;
    } else if (ms >= 18_000 && ms <= 18_100) {
      if (!crashAtMs) crashAtMs = ms;
      // 30 km/h frontal haversine pulse over 100 ms
      ax = (-((30 / 3.6) * Math.PI) / 0.2) * Math.sin((Math.PI * (ms - 18_000)) / 100);
      speed = Math.max(0, 50 - (30 * (ms - 18_000)) / 100);
    } else if (ms > 18_100) {
      speed = Math.max(0, speed - 1);
    }
    if (ms < 6000 && ms >= 3100) speed = Math.min(80, speed + 0.1);
    const t = t0 + ms * 1000;
    lines.push(
      frame(
        256,
        await encodeDemo(256, {
          SPEED: Math.round(speed * 100) / 100,
          ACCEL_LONG: ax,
          ACCEL_LAT: ay,
          ACCEL_VERT: az,
        }),
        t,
      ),
    );
    if (ms % 1000 === 0)
      lines.push(
        frame(
          259,
          await encodeDemo(259, { LATITUDE: 31.2304 + ms / 1e7, LONGITUDE: 121.4737 }),
          t + 1,
        ),
      );
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  return crashAtMs;
}

describe('agent crash detection', () => {
  it('should raise one front collision with position and windows, and ignore pothole, hard stop and door slam', async () => {
    const dir = tempDir();
    await writeCrashDrive(join(dir, 'drive.log'));
    const broker = await TestBroker.start();
    cleanup(() => broker.stop());
    const config = validateAgentConfig(
      {
        deviceId: 'crash-veh-1',
        uplink: { url: broker.url, batchIntervalMs: 200 },
        spool: { dir: 'spool' },
        can: { source: { type: 'candump', file: 'drive.log' }, dbc: demoDbc },
        signals: [
          ...demoMappings,
          { from: 'can.GNSS_POSITION.LATITUDE', to: 'Vehicle.CurrentLocation.Latitude' },
          { from: 'can.GNSS_POSITION.LONGITUDE', to: 'Vehicle.CurrentLocation.Longitude' },
        ],
        crash: { preMs: 5000, postMs: 5000 },
      },
      dir,
    );
    const agent = await startAgent(config, quietLogger(), buildInputs);
    cleanup(() => agent.stop(3000));
    const up = await eventually(
      () => {
        const u = decodeUplink(broker.received, 'crash-veh-1');
        return u.events.length >= 2 ? u : undefined;
      },
      'the collision and its window',
      20_000,
    );
    const collisions = up.events.filter((e) => e.payload.kind === 'collision');
    expect(collisions).toHaveLength(1);
    const event = collisions[0];
    if (event?.payload.kind !== 'collision') throw new Error('no collision');
    const c = event.payload.collision;
    expect(c).toMatchObject({ severity: 'severe', direction: 'front' });
    expect(c.deltaVKmh).toBeGreaterThan(25);
    expect(c.speedBeforeKmh).toBeGreaterThanOrEqual(49);
    expect(c.latitude).toBeCloseTo(31.2304 + 0.0018, 6);
    expect(c.longitude).toBeCloseTo(121.4737, 6);
    const pre = c.window.filter(
      (s) => s.signalId === signalId('Vehicle.Acceleration.Longitudinal'),
    );
    // −5 s … 0 at 100 Hz
    expect(pre.length).toBeGreaterThanOrEqual(490);
    expect(event.timeMs - Math.min(...pre.map((s) => s.timeMs))).toBeLessThanOrEqual(5000);
    const rest = up.events.find((e) => e.payload.kind === 'triggerCapture');
    if (rest?.payload.kind !== 'triggerCapture') throw new Error('no post-impact window');
    expect(rest.payload.capture.relatedSeq).toBe(event.seq);
    const post = rest.payload.capture.window.filter(
      (s) => s.signalId === signalId('Vehicle.Speed'),
    );
    expect(Math.max(...post.map((s) => s.timeMs)) - event.timeMs).toBeGreaterThan(4900);
  });
});
