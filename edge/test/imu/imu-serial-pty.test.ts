import { describe, expect, it } from 'vitest';
import { cleanupAfterEach } from '../../../test-support/cleanup.js';
import { eventually } from '../../../test-support/infra.js';
import { DevicePty, hasSocat } from '../../../test-support/pty.js';
import type { ImuLineError } from '../../src/errors.js';
import { formatImuLine } from '../../src/imu/imu-line.js';
import { ImuSerialSource } from '../../src/imu/imu-sources.js';
import type { Reading } from '../../src/signals/reading.js';

describe.skipIf(!hasSocat)('ImuSerialSource on a real pseudo-terminal', () => {
  const cleanup = cleanupAfterEach();

  it('reads samples written into the other end, stamped near the host clock', async () => {
    const pty = await DevicePty.create();
    cleanup.defer(() => pty.dispose());
    const source = new ImuSerialSource({ path: pty.b, backoff: { initialMs: 50, maxMs: 200 } });
    cleanup.defer(() => source.close());
    const readings: Reading[] = [];
    const errors: ImuLineError[] = [];
    source.on('reading', (r) => readings.push(r));
    source.on('error', (e) => errors.push(e as ImuLineError));
    await source.open();
    expect(source.name).toBe(`imu:${pty.b}@115200`);

    const before = Date.now() * 1000;
    const samples = [0, 10, 20, 30, 40].map((i) => ({
      deviceMs: 7_000 + i,
      ax: i / 10,
      ay: -i / 20,
      az: 9.81,
    }));
    await pty.write(`${samples.map((s) => formatImuLine(s)).join('\r\n')}\r\n`);
    await pty.write('$IMU,7050,0,0,9.81\r\n$IMU,7060,0,0,999.0*00\r\n');
    await eventually(
      () => readings.length >= 15 && errors.length >= 2,
      'samples and errors',
      5_000,
    );
    const after = Date.now() * 1000;

    const x = readings.filter((r) => r.name === 'imu.accel_x');
    expect(x.map((r) => r.value)).toEqual([0, 1, 2, 3, 4]);
    expect(readings.filter((r) => r.name === 'imu.accel_z').every((r) => r.value === 9.81)).toBe(
      true,
    );
    // Device spacing (10 ms) is kept; the first sample is placed at its arrival.
    expect(x.map((r) => r.timeUs - x[0]!.timeUs)).toEqual([0, 10_000, 20_000, 30_000, 40_000]);
    expect(x[0]!.timeUs).toBeGreaterThanOrEqual(before);
    expect(x[0]!.timeUs).toBeLessThanOrEqual(after);
    expect(errors.map((e) => e.details.reason)).toEqual(['no-checksum', 'checksum']);
    expect(source.stats).toMatchObject({ lines: 7, readings: 15, errors: 2 });
  });

  it('reconnects when the board disappears and comes back', async () => {
    const pty = await DevicePty.create();
    cleanup.defer(() => pty.dispose());
    const source = new ImuSerialSource({ path: pty.b, backoff: { initialMs: 50, maxMs: 200 } });
    cleanup.defer(() => source.close());
    const readings: Reading[] = [];
    source.on('reading', (r) => readings.push(r));
    await source.open();
    await pty.write(`${formatImuLine({ deviceMs: 1, ax: 1, ay: 0, az: 9.81 })}\r\n`);
    await eventually(() => readings.length === 3, 'a sample before the disconnect', 5_000);

    await pty.stop();
    await eventually(() => source.state === 'reconnecting', 'the source to notice', 5_000);
    await pty.start();
    await eventually(() => source.state === 'open', 'the source to reopen', 10_000);
    // The board restarted too: its clock begins again.
    await pty.write(`${formatImuLine({ deviceMs: 0, ax: 2, ay: 0, az: 9.81 })}\r\n`);
    await eventually(() => readings.length === 6, 'a sample after reconnecting', 5_000);
    expect(readings.filter((r) => r.name === 'imu.accel_x').map((r) => r.value)).toEqual([1, 2]);
    expect(source.stats).toMatchObject({ disconnects: 1, reconnects: 1 });
  });
});
