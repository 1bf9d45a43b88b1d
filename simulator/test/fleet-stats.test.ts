import { describe, expect, it } from 'vitest';
import { LatencyHistogram, ratePerS } from '../src/fleet-stats.js';

describe('LatencyHistogram', () => {
  it('should answer nearest-rank percentiles to within 1 %', () => {
    const h = new LatencyHistogram();
    expect(h.percentile(50)).toBeUndefined();
    for (let i = 1; i <= 1000; i++) h.record(i);
    expect(h.count).toBe(1000);
    const p50 = h.percentile(50) as number;
    const p99 = h.percentile(99) as number;
    expect(p50).toBeGreaterThanOrEqual(500);
    expect(p50).toBeLessThanOrEqual(505);
    expect(p99).toBeGreaterThanOrEqual(990);
    expect(p99).toBeLessThanOrEqual(1000);
    expect(h.percentile(100)).toBe(1000);
    expect(p50).toBeLessThanOrEqual(p99);
  });

  it('should keep tiny and huge values and ignore nonsense', () => {
    const h = new LatencyHistogram();
    h.record(0);
    h.record(0.003);
    h.record(3_600_000);
    h.record(Number.NaN);
    h.record(-1);
    expect(h.count).toBe(3);
    expect(h.percentile(50)).toBe(0.01);
    expect(h.percentile(100)).toBeGreaterThanOrEqual(600_000);
    expect(() => h.percentile(0)).toThrow(RangeError);
    expect(() => h.percentile(101)).toThrow(RangeError);
  });

  it('should be exact for one repeated value', () => {
    const h = new LatencyHistogram();
    for (let i = 0; i < 10; i++) h.record(2.5);
    expect(h.percentile(50)).toBe(2.5);
    expect(h.percentile(99)).toBe(2.5);
  });
});

describe('ratePerS', () => {
  it('should be acknowledgements per second between two moments', () => {
    expect(ratePerS({ acked: 10, atMs: 1000 }, { acked: 60, atMs: 3000 })).toBe(25);
    expect(ratePerS({ acked: 10, atMs: 1000 }, { acked: 60, atMs: 1000 })).toBe(0);
  });
});
