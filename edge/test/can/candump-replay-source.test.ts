import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach } from '../../../test-support/cleanup.js';
import {
  type CandumpReplayOptions,
  CandumpReplaySource,
} from '../../src/can/candump-replay-source.js';
import { epochMicros } from '../../src/can/source-base.js';
import { CanLineError, CanSourceUnavailableError, EdgeConfigError } from '../../src/errors.js';
import { SourceRecorder } from './source-recorder.js';

const cleanup = cleanupAfterEach();

async function logFile(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fleetline-replay-'));
  cleanup.defer(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'drive.log');
  await writeFile(path, text);
  return path;
}

async function replay(text: string, options: Omit<CandumpReplayOptions, 'path'> = {}) {
  const path = await logFile(text);
  const source = new CandumpReplaySource({ path, ...options });
  cleanup.defer(() => source.close());
  const recorder = new SourceRecorder(source);
  // Arrival time of each frame on the host, to check pacing.
  const arrivals: number[] = [];
  source.on('frame', () => arrivals.push(epochMicros()));
  return { path, source, recorder, arrivals };
}

describe('candump log replay', () => {
  it('names the file and line number of every line that does not parse', async () => {
    const { path, source, recorder } = await replay(
      [
        '(1700000000.000000) can0 123#11',
        'DROPCOUNT: dropped 3 CAN frames on can0 socket (total drops 3)',
        '(1700000000.001000) can0 123#1',
        '(1700000000.002000) can0 124#22',
      ].join('\n'),
    );
    await source.open();
    await recorder.untilEnd();

    expect(recorder.frames.map((f) => f.id)).toEqual([0x123, 0x124]);
    expect(recorder.errors.map((e) => (e as CanLineError).details.line)).toEqual([2, 3]);
    expect(recorder.errors[0]).toBeInstanceOf(CanLineError);
    expect(recorder.errors[0]?.message).toBe(
      `${path}:2: not a candump -L line "(seconds.micros) iface frame"`,
    );
    expect(source.stats).toEqual({ frames: 2, errors: 2 });
  });

  it('skips blank lines and reads CRLF line ends without counting either as errors', async () => {
    const { source, recorder } = await replay(
      '\r\n(1700000000.000000) can0 123#11\r\n\r\n   \n(1700000000.000001) can0 124#22\r\n',
    );
    await source.open();
    await recorder.untilEnd();

    expect(recorder.frames.map((f) => f.id)).toEqual([0x123, 0x124]);
    expect(source.stats.errors).toBe(0);
  });

  it('keeps the logged time of each frame by default', async () => {
    const { source, recorder } = await replay(
      '(1700000000.000001) can0 123#11\n(1700000001.5) can0 123#22\n',
    );
    await source.open();
    await recorder.untilEnd();

    expect(recorder.frames.map((f) => f.timeUs)).toEqual([
      1_700_000_000_000_001, 1_700_000_001_500_000,
    ]);
  });

  it('shifts times to the start of replay with time: now, keeping their spacing', async () => {
    const before = epochMicros();
    const { source, recorder } = await replay(
      '(1600000000.000000) can0 123#11\n(1600000000.250000) can0 123#22\n',
      { time: 'now' },
    );
    await source.open();
    await recorder.untilEnd();
    const after = epochMicros();

    const [first, second] = recorder.frames.map((f) => f.timeUs) as [number, number];
    expect(first).toBeGreaterThanOrEqual(before);
    expect(first).toBeLessThanOrEqual(after);
    expect(second - first).toBe(250_000);
  });

  it('replays an hour-long log at once when not paced', async () => {
    const { source, recorder } = await replay(
      '(1700000000.000000) can0 123#11\n(1700003600.000000) can0 123#22\n',
    );
    await source.open();
    await recorder.untilEnd(2000);
    expect(recorder.frames).toHaveLength(2);
  });

  it('paces frames by their log time in real time, sped up by the speed factor', async () => {
    // 0, 400 and 800 ms in the log; at speed 4 they are due 100 ms apart.
    const { source, recorder, arrivals } = await replay(
      [
        '(1700000000.000000) can0 100#01',
        '(1700000000.400000) can0 100#02',
        '(1700000000.800000) can0 100#03',
      ].join('\n'),
      { pace: 'realtime', speed: 4 },
    );
    const openedAt = epochMicros();
    await source.open();
    await recorder.untilEnd();

    // The schedule is anchored to the start of the replay, not to the previous frame (a late
    // frame does not push the others back), so each frame is measured from before open(): it
    // may come late on a busy machine, never early (2 ms for timer rounding).
    const [, b, c] = arrivals as [number, number, number];
    expect(b - openedAt).toBeGreaterThanOrEqual(98_000);
    expect(c - openedAt).toBeGreaterThanOrEqual(198_000);
    // Unsped, the last frame would come 800 ms after the first.
    expect(c - openedAt).toBeLessThan(600_000);
  });

  it('streams a large log to the end in order', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => {
      const id = (i % 0x7ff).toString(16).toUpperCase().padStart(3, '0');
      return `(1700000000.${String(i).padStart(6, '0')}) can0 ${id}#${(i & 0xff).toString(16).padStart(2, '0')}`;
    });
    const { source, recorder } = await replay(`${lines.join('\n')}\n`);
    await source.open();
    await recorder.untilEnd(10_000);

    expect(source.stats).toEqual({ frames: 20_000, errors: 0 });
    expect(recorder.frames.every((f, i) => f.data[0] === (i & 0xff))).toBe(true);
  });

  it('fails open with CanSourceUnavailableError when the log cannot be read', async () => {
    const path = await logFile('');
    const source = new CandumpReplaySource({ path: `${path}.missing` });
    await expect(source.open()).rejects.toBeInstanceOf(CanSourceUnavailableError);
  });

  it('reports a read failure as CanSourceUnavailableError, then ends', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fleetline-replay-'));
    cleanup.defer(() => rm(dir, { recursive: true, force: true }));
    const source = new CandumpReplaySource({ path: dir }); // a folder opens, but reads fail
    cleanup.defer(() => source.close());
    const recorder = new SourceRecorder(source);
    await source.open();
    await recorder.untilEnd();

    expect(recorder.events).toEqual(['error', 'end']);
    expect(recorder.errors[0]).toBeInstanceOf(CanSourceUnavailableError);
    expect(recorder.errors[0]?.message).toMatch(/EISDIR/);
  });

  it('ends at once for an empty log', async () => {
    const { source, recorder } = await replay('');
    await source.open();
    await recorder.untilEnd();
    expect(recorder.events).toEqual(['end']);
  });

  it('refuses a speed that is not a positive number with EdgeConfigError', () => {
    for (const speed of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new CandumpReplaySource({ path: 'x.log', speed })).toThrow(EdgeConfigError);
    }
  });
});
