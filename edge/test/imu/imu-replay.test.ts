import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ImuLineError } from '../../src/errors.js';
import { ImuDecoder } from '../../src/imu/imu-decoder.js';
import { formatImuLine } from '../../src/imu/imu-line.js';
import { ImuReplaySource } from '../../src/imu/imu-sources.js';
import type { Reading } from '../../src/signals/reading.js';

const dir = mkdtempSync(join(tmpdir(), 'fleetline-imu-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const START = Date.UTC(2025, 4, 1, 8, 0, 0) * 1000;

function file(name: string, lines: readonly string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\r\n')}\r\n`, 'latin1');
  return path;
}

async function replay(source: ImuReplaySource) {
  const readings: Reading[] = [];
  const errors: ImuLineError[] = [];
  const at: number[] = [];
  source.on('reading', (r) => {
    readings.push(r);
    at.push(performance.now());
  });
  source.on('error', (e) => errors.push(e as ImuLineError));
  await source.open();
  await source.done;
  return { readings, errors, at };
}

describe('ImuDecoder', () => {
  it('turns a line into the three acceleration readings in m/s²', () => {
    const decoded = new ImuDecoder().decode('$IMU,123456,0.120,-0.034,9.807*57', START);
    expect(decoded).toEqual({
      readings: [
        { name: 'imu.accel_x', value: 0.12, timeUs: START },
        { name: 'imu.accel_y', value: -0.034, timeUs: START },
        { name: 'imu.accel_z', value: 9.807, timeUs: START },
      ],
      errors: [],
    });
  });

  it('returns a bad line as an error instead of throwing', () => {
    const decoded = new ImuDecoder().decode('$IMU,1,2', START);
    expect(decoded.readings).toEqual([]);
    expect((decoded.errors[0] as ImuLineError).details.reason).toBe('no-checksum');
  });
});

describe('ImuReplaySource', () => {
  it('replays a capture from its start time, skipping comments and counting bad lines', async () => {
    const path = file('drive.imu', [
      '# IMU capture, 100 Hz',
      formatImuLine({ deviceMs: 50_000, ax: 0.1, ay: 0, az: 9.81 }),
      '',
      formatImuLine({ deviceMs: 50_010, ax: -3.2, ay: 1.5, az: 9.79 }),
      '$IMU,50020,0.1,0.0,9.81*00',
      'garbage',
      formatImuLine({ deviceMs: 50_030, ax: 0, ay: 0, az: 9.81 }),
    ]);
    const source = new ImuReplaySource({ file: path, startUs: START });
    const { readings, errors } = await replay(source);
    expect(
      readings.filter((r) => r.name === 'imu.accel_x').map((r) => [r.timeUs - START, r.value]),
    ).toEqual([
      [0, 0.1],
      [10_000, -3.2],
      [30_000, 0],
    ]);
    expect(readings.filter((r) => r.name === 'imu.accel_y').map((r) => r.value)).toEqual([
      0, 1.5, 0,
    ]);
    expect(errors.map((e) => e.details.reason)).toEqual(['checksum', 'format']);
    expect(source.stats).toEqual({ lines: 5, readings: 9, errors: 2 });
  });

  it('paces samples by their device time when asked to', async () => {
    const lines = [0, 100, 200, 300].map((t) =>
      formatImuLine({ deviceMs: t, ax: 0, ay: 0, az: 9.81 }),
    );
    const source = new ImuReplaySource({ file: file('paced.imu', lines), startUs: START, pace: 1 });
    const { readings, at } = await replay(source);
    expect(readings).toHaveLength(12);
    // 300 ms of samples (1 ms of slack for timer rounding).
    expect(at.at(-1)! - at[0]!).toBeGreaterThanOrEqual(299);
  });
});
