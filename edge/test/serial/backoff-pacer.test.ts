import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from '../../src/serial/backoff.js';
import { Pacer } from '../../src/serial/pacer.js';

describe('backoffDelay', () => {
  it('doubles from the initial delay and stays at the cap', () => {
    const delays = [0, 1, 2, 3, 4, 5, 6, 7, 100].map((n) => backoffDelay(n));
    expect(delays).toEqual([250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
    expect(DEFAULT_BACKOFF.maxMs).toBe(10_000);
  });

  it('follows the given options', () => {
    const options = { initialMs: 10, maxMs: 35, factor: 3 };
    expect([0, 1, 2].map((n) => backoffDelay(n, options))).toEqual([10, 30, 35]);
  });
});

describe('Pacer', () => {
  it('spaces readings as their timestamps say at real-time speed', () => {
    const pacer = new Pacer(1);
    expect(pacer.delayFor(1_000_000, 5_000)).toBe(0);
    expect(pacer.delayFor(1_250_000, 5_000)).toBe(250);
    // The caller waited 250 ms; the next reading is 1 s after the first.
    expect(pacer.delayFor(2_000_000, 5_250)).toBe(750);
  });

  it('divides the waits by the speed', () => {
    const pacer = new Pacer(10);
    pacer.delayFor(0, 0);
    expect(pacer.delayFor(1_000_000, 0)).toBe(100);
  });

  it('does not wait for readings with the same timestamp', () => {
    const pacer = new Pacer(1);
    pacer.delayFor(7_000_000, 100);
    expect(pacer.delayFor(7_000_000, 100)).toBe(0);
  });

  it('shortens a long gap to maxPauseMs and paces on from there', () => {
    const pacer = new Pacer(1, 2_000);
    pacer.delayFor(0, 0);
    expect(pacer.delayFor(3_600_000_000, 0)).toBe(2_000);
    expect(pacer.delayFor(3_601_000_000, 2_000)).toBe(1_000);
  });

  it('emits at once when time goes backwards, and restarts when far behind', () => {
    const pacer = new Pacer(1, 1_000);
    pacer.delayFor(3_700_000_000, 0);
    expect(pacer.delayFor(3_699_700_000, 0)).toBe(0);
    // An hour back: pacing restarts from this reading instead of racing to catch up.
    expect(pacer.delayFor(100_000_000, 0)).toBe(0);
    expect(pacer.delayFor(100_500_000, 0)).toBe(500);
  });

  it('refuses a speed that is not positive', () => {
    expect(() => new Pacer(0)).toThrow(RangeError);
  });
});
