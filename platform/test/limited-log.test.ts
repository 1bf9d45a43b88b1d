import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { LimitedLog } from '../src/limited-log.js';

type Line = {
  msg: string;
  leftOut?: number;
  suppressed?: Record<string, number>;
  keys?: number;
  top?: { key: string; lines: number }[];
};

function capture() {
  const lines: Line[] = [];
  const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
  return { lines, logger };
}

describe('LimitedLog', () => {
  it('should write a key’s lines up to its budget, then count what it leaves out', () => {
    let now = 0;
    const { lines, logger } = capture();
    const log = new LimitedLog(logger, { perKeyPerMinute: 2, perMinute: 100, now: () => now });
    for (let i = 0; i < 5; i++) log.warn('10.0.0.1', { i }, 'connection refused');
    log.warn('10.0.0.2', {}, 'connection refused'); // another key has its own budget
    expect(lines.map((l) => l.msg)).toEqual(Array(3).fill('connection refused'));
    // A minute on, the key's next line says how many of its lines were left out before it.
    now += 60_000;
    log.warn('10.0.0.1', {}, 'connection refused');
    expect(lines.at(-1)?.leftOut).toBe(3);
    log.close();
  });

  it('should bound all keys together, and sum up what it left out at close', () => {
    const { lines, logger } = capture();
    const log = new LimitedLog(logger, { perKeyPerMinute: 10, perMinute: 4, now: () => 0 });
    for (let i = 0; i < 20; i++) log.warn(`dev-${i % 5}`, {}, 'payload refused, dead-lettered');
    log.info('dev-9', {}, 'client connection closed on error');
    expect(lines).toHaveLength(4);
    log.close();
    const summary = lines.at(-1);
    expect(summary?.msg).toBe('log lines left out');
    expect(summary?.suppressed).toEqual({
      'payload refused, dead-lettered': 16,
      'client connection closed on error': 1,
    });
    expect(summary?.keys).toBe(6);
    // dev-0…dev-3 wrote a line each; dev-4 wrote none and lost four.
    expect(summary?.top?.[0]).toEqual({ key: 'dev-4', lines: 4 });
    log.close(); // nothing new: no second summary
    expect(lines).toHaveLength(5);
  });
});
