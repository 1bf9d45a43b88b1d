import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GnssReplaySource } from '../../src/gnss/gnss-sources.js';
import { withChecksum } from '../../src/serial/xor-checksum.js';
import type { Reading } from '../../src/signals/reading.js';
import { isoOf } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'fleetline-gnss-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A capture of `count` epochs `stepMs` apart (RMC + GGA), with a comment header. */
function capture(name: string, count: number, stepMs: number): string {
  const lines = ['# synthetic capture'];
  for (let i = 0; i < count; i++) {
    const t = new Date(Date.UTC(2024, 5, 9, 12, 0, 0) + i * stepMs);
    const hh = (n: number) => String(n).padStart(2, '0');
    const time = `${hh(t.getUTCHours())}${hh(t.getUTCMinutes())}${hh(t.getUTCSeconds())}.${String(t.getUTCMilliseconds()).padStart(3, '0')}`;
    lines.push(withChecksum(`GPRMC,${time},A,4808.9993,N,01135.0798,E,1.0,90.0,090624,,,A`));
    lines.push(withChecksum(`GPGGA,${time},4808.9993,N,01135.0798,E,1,08,0.9,500.0,M,47.0,M,,`));
  }
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\r\n')}\r\n`);
  return path;
}

async function run(source: GnssReplaySource) {
  const readings: Reading[] = [];
  const at: number[] = [];
  source.on('reading', (r) => {
    readings.push(r);
    at.push(performance.now());
  });
  await source.open();
  await source.done;
  return { readings, at };
}

describe('GnssReplaySource', () => {
  it('replays a capture as fast as possible and emits the last epoch at the end', async () => {
    const source = new GnssReplaySource({ file: capture('fast.log', 3, 1000) });
    const { readings } = await run(source);
    expect(readings.filter((r) => r.name === 'gnss.latitude').map((r) => isoOf(r.timeUs))).toEqual([
      '2024-06-09T12:00:00.000Z',
      '2024-06-09T12:00:01.000Z',
      '2024-06-09T12:00:02.000Z',
    ]);
    expect(source.name).toBe('replay:fast.log');
  });

  it('paces epochs by their sentence times when asked to', async () => {
    const source = new GnssReplaySource({ file: capture('paced.log', 3, 200), pace: 1 });
    const { readings, at } = await run(source);
    const first = readings.findIndex((r) => r.name === 'gnss.latitude');
    const last = readings.map((r) => r.name).lastIndexOf('gnss.latitude');
    expect(last).toBeGreaterThan(first);
    // The epochs are 400 ms apart by their clock (1 ms of slack for timer rounding).
    expect(at[last]! - at[first]!).toBeGreaterThanOrEqual(399);
  });

  it('paces faster with a higher speed', async () => {
    const source = new GnssReplaySource({ file: capture('fast10.log', 3, 2000), pace: 10 });
    const { readings, at } = await run(source);
    expect(readings.length).toBeGreaterThan(0);
    // 4 s of data at 10x: at least 400 ms, well under 4 s.
    const spread = at.at(-1)! - at[0]!;
    expect(spread).toBeGreaterThanOrEqual(399);
    expect(spread).toBeLessThan(3000);
  });
});
