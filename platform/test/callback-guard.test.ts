import { describe, expect, it } from 'vitest';
import { CALLBACK_ERRORS_METRIC, callbackGuard, Registry } from '../src/index.js';

/** A throw in a timer or event callback is logged and counted, never an uncaught exception. */

function rig(logIntervalMs = 10_000) {
  const lines: { details: Record<string, unknown>; message: string }[] = [];
  const metrics = new Registry();
  let t = 0;
  const guard = callbackGuard({
    logger: { error: (details, message) => lines.push({ details: { ...details }, message }) },
    metrics,
    logIntervalMs,
    now: () => t,
  });
  const counted = async (where: string) =>
    (await metrics.getSingleMetric(CALLBACK_ERRORS_METRIC)?.get())?.values.find(
      (v) => v.labels.where === where,
    )?.value ?? 0;
  return { guard, lines, metrics, counted, tick: (ms: number) => (t += ms) };
}

describe('callbackGuard', () => {
  it('should keep a throwing timer from ending the process, counting and logging it', async () => {
    const { guard, lines, counted } = rig();
    await new Promise<void>((resolve) => {
      setTimeout(
        guard.wrap('test.timer', () => {
          resolve();
          throw new RangeError('Invalid time value');
        }),
        1,
      );
    });
    expect(await counted('test.timer')).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.message).toBe('callback failed; carrying on');
    expect(lines[0]?.details.where).toBe('test.timer');
    expect((lines[0]?.details.err as Error | undefined)?.message).toBe('Invalid time value');
  });

  it('should count a rejected promise the callback returns', async () => {
    const { guard, counted } = rig();
    guard.run('test.async', async () => {
      throw new Error('later');
    });
    await new Promise((r) => setImmediate(r));
    expect(await counted('test.async')).toBe(1);
  });

  it('should pass the arguments through and return nothing', () => {
    const { guard } = rig();
    const got: unknown[] = [];
    const wrapped = guard.wrap('test.args', (a: number, b: string) => {
      got.push(a, b);
      return 'ignored';
    });
    expect(wrapped(1, 'x')).toBeUndefined();
    expect(got).toEqual([1, 'x']);
  });

  it('should log one line per place per interval, saying how many were not logged', async () => {
    const { guard, lines, counted, tick } = rig(1000);
    const fail = guard.wrap('test.loop', () => {
      throw new Error('again');
    });
    for (let i = 0; i < 5; i++) fail();
    guard.run('test.other', () => {
      throw new Error('elsewhere');
    });
    expect(lines.map((l) => l.details.where)).toEqual(['test.loop', 'test.other']);
    tick(1000);
    fail();
    expect(lines).toHaveLength(3);
    expect(lines[2]?.details.notLoggedSince).toBe(4);
    expect(await counted('test.loop')).toBe(6);
  });

  it('should share one counter between guards of one registry', async () => {
    const metrics = new Registry();
    const logger = { error: () => {} };
    const a = callbackGuard({ logger, metrics });
    const b = callbackGuard({ logger, metrics });
    for (const g of [a, b]) {
      g.run('shared', () => {
        throw new Error('x');
      });
    }
    const values = (await metrics.getSingleMetric(CALLBACK_ERRORS_METRIC)?.get())?.values;
    expect(values).toEqual([expect.objectContaining({ labels: { where: 'shared' }, value: 2 })]);
  });
});
