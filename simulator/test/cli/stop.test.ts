import { describe, expect, it } from 'vitest';
import { lineStart, untilStopped } from '../../src/cli/stop.js';

describe('untilStopped', () => {
  it('should end when the signal is raised, or at once if it was', async () => {
    const controller = new AbortController();
    const ended = untilStopped(undefined, controller.signal);
    controller.abort();
    await ended;
    await untilStopped(3600, controller.signal);
  });

  it('should end after the duration without a signal', async () => {
    const started = Date.now();
    await untilStopped(0.05, undefined);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });
});

describe('lineStart', () => {
  it('should erase the progress line on a terminal only', () => {
    expect(lineStart(true)).toBe('\r\x1b[2K');
    expect(lineStart(false)).toBe('');
  });
});
