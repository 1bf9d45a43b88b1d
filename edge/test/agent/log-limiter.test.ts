import { describe, expect, it } from 'vitest';
import { LogLimiter } from '../../src/agent/log-limiter.js';

describe('LogLimiter', () => {
  it('should allow perWindow lines per key in a window and refuse the rest', () => {
    const limiter = new LogLimiter(3, 60_000);
    const allowed = [0, 1, 2, 3, 4].map((i) => limiter.allow('gnss', 1000 + i));
    expect(allowed).toEqual([true, true, true, false, false]);
  });

  it('should count each key on its own', () => {
    const limiter = new LogLimiter(1, 60_000);
    expect(limiter.allow('gnss', 0)).toBe(true);
    expect(limiter.allow('gnss', 1)).toBe(false);
    expect(limiter.allow('imu', 2)).toBe(true);
    expect(limiter.allow('can', 3)).toBe(true);
  });

  it('should open a new window once windowMs has passed since the first line of the last', () => {
    const limiter = new LogLimiter(2, 60_000);
    expect(limiter.allow('can', 0)).toBe(true);
    expect(limiter.allow('can', 10)).toBe(true);
    expect(limiter.allow('can', 59_999)).toBe(false);
    expect(limiter.allow('can', 60_000)).toBe(true);
    expect(limiter.allow('can', 60_001)).toBe(true);
    expect(limiter.allow('can', 60_002)).toBe(false);
  });
});
