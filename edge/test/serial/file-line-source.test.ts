import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileLineSource } from '../../src/serial/file-line-source.js';
import type { Reading } from '../../src/signals/reading.js';
import { TestDecoder } from './fakes.js';

const dir = mkdtempSync(join(tmpdir(), 'fleetline-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content, 'latin1');
  return path;
}

/** Resolves on `end`. (events.once would also reject on the first `error` event, i.e. the first refused line.) */
const ended = (source: FileLineSource) =>
  new Promise<void>((resolve) => source.once('end', resolve));

function replay(path: string, options: { pace?: number; maxPauseMs?: number } = {}) {
  const decoder = new TestDecoder();
  const source = new FileLineSource({ file: path, decoder, ...options });
  const readings: Reading[] = [];
  source.on('reading', (r) => readings.push(r));
  return { source, decoder, readings };
}

describe('FileLineSource', () => {
  it('replays every line, skips comments and blank lines, and ends', async () => {
    const path = file('plain.log', '# header\n  # indented comment\nv=1\r\n\r\nv=2\nbad\nv=3');
    const { source, decoder, readings } = replay(path);
    const end = ended(source);
    await source.open();
    await end;
    // The last line has no line ending and is still read.
    expect(readings.map((r) => r.value)).toEqual([1, 2, 3]);
    expect(source.stats).toEqual({ lines: 4, readings: 3, errors: 1 });
    expect(decoder.ends).toBe(1);
    expect(source.name).toBe('replay:plain.log');
  });

  it('decodes replayed lines without a receive time', async () => {
    const { source, readings } = replay(file('time.log', 'v=5\n'));
    await source.open();
    await source.done;
    expect(readings[0]!.timeUs).toBe(5_000);
  });

  it('paces readings by their timestamps when asked to', async () => {
    // Readings 0, 150 and 300 ms apart by their own clock.
    const { source, readings } = replay(file('paced.log', 'v=1000\nv=1150\nv=1300\n'), {
      pace: 1,
    });
    const emittedAt: number[] = [];
    source.on('reading', () => emittedAt.push(performance.now()));
    await source.open();
    await source.done;
    expect(readings).toHaveLength(3);
    const spacing = emittedAt[2]! - emittedAt[0]!;
    // Timers may fire late but never early (1 ms of slack for timer rounding).
    expect(spacing).toBeGreaterThanOrEqual(299);
  });

  it('replays as fast as possible by default', async () => {
    const lines = Array.from({ length: 50 }, (_, i) => `v=${i * 60_000}`).join('\n');
    const { source, readings } = replay(file('fast.log', lines));
    const started = performance.now();
    await source.open();
    await source.done;
    expect(readings).toHaveLength(50);
    // 49 minutes of data; paced, this would take 49 minutes.
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('stops a paced replay promptly on close and still ends', async () => {
    const { source, readings } = replay(file('slow.log', 'v=0\nv=60000\nv=120000\n'), {
      pace: 1,
      maxPauseMs: 60_000,
    });
    const end = ended(source);
    await source.open();
    const started = performance.now();
    await source.close();
    await end;
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(readings.length).toBeLessThanOrEqual(3);
  });

  it('rejects open() for a file that does not exist', async () => {
    const { source } = replay(join(dir, 'missing.log'));
    await expect(source.open()).rejects.toMatchObject({
      code: 'EDGE_SERIAL_UNAVAILABLE',
      message: expect.stringMatching(/missing\.log.*ENOENT/),
    });
  });

  it('counts each over-long line once', async () => {
    const decoder = new TestDecoder();
    const source = new FileLineSource({
      file: file('long.log', `v=1\n${'y'.repeat(5000)}\nv=2\n`),
      decoder,
      maxLineBytes: 100,
    });
    await source.open();
    await source.done;
    expect(source.stats).toEqual({ lines: 2, readings: 2, errors: 1 });
  });
});
