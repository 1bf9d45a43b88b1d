import { describe, expect, it } from 'vitest';
import { TokenBuckets } from '../src/token-buckets.js';

describe('TokenBuckets', () => {
  it('should allow a burst, then the refill rate, per address', () => {
    let now = 0;
    const limiter = new TokenBuckets(2, 5, () => now);
    const burst = Array.from({ length: 7 }, () => limiter.allow('10.0.0.1'));
    expect(burst).toEqual([true, true, true, true, true, false, false]);
    expect(limiter.allow('10.0.0.2')).toBe(true); // another address has its own bucket
    now += 500; // one token back at 2/s
    expect(limiter.allow('10.0.0.1')).toBe(true);
    expect(limiter.allow('10.0.0.1')).toBe(false);
    now += 10_000;
    expect(Array.from({ length: 6 }, () => limiter.allow('10.0.0.1'))).toEqual([
      true,
      true,
      true,
      true,
      true,
      false,
    ]);
  });

  it('should forget addresses whose buckets are full again', () => {
    let now = 0;
    const limiter = new TokenBuckets(1, 2, () => now);
    for (let i = 0; i < 100; i++) limiter.allow(`10.0.${i >> 8}.${i & 255}`);
    expect(limiter.size).toBe(100);
    now += 120_000;
    limiter.allow('10.1.0.1');
    expect(limiter.size).toBe(1);
  });

  it('should take and give back tokens by cost, never past the burst', () => {
    let now = 0;
    const bytes = new TokenBuckets(100, 1000, () => now);
    expect(bytes.allow('dev-1', 600)).toBe(true);
    expect(bytes.allow('dev-1', 600)).toBe(false); // 400 left: nothing taken
    expect(bytes.available('dev-1')).toBe(400);
    bytes.refund('dev-1', 5000);
    expect(bytes.available('dev-1')).toBe(1000);
    expect(bytes.available('dev-2')).toBe(1000); // asking creates nothing
    expect(bytes.size).toBe(1);
    expect(bytes.allow('dev-1', 1001)).toBe(false); // more than the burst: never
    now += 1000;
    expect(bytes.allow('dev-1', 1000)).toBe(true);
  });
});
