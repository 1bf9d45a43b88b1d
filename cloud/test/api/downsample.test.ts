import { describe, expect, it } from 'vitest';
import { bucketWidthMs, Downsampler, downsample } from '../../src/api/downsample.js';

const t0 = Date.UTC(2026, 10, 25, 8, 0, 0);
const at = (offsetMs: number, value: number) => ({ timeMs: t0 + offsetMs, value });

describe('downsample', () => {
  it('should answer each bucket’s start, mean, min, max and count', () => {
    // 100 samples, one per ms, value = offset: 10 buckets of 10 ms.
    const samples = Array.from({ length: 100 }, (_, i) => at(i, i));
    const buckets = downsample(samples, { fromMs: t0, toMs: t0 + 100, maxPoints: 10 });
    expect(buckets).toHaveLength(10);
    expect(buckets[0]).toEqual({ t: t0, v: 4.5, min: 0, max: 9, n: 10 });
    expect(buckets[9]).toEqual({ t: t0 + 90, v: 94.5, min: 90, max: 99, n: 10 });
    const uneven = downsample([at(0, -3), at(1, 10), at(2, 2), at(3, 0.5)], {
      fromMs: t0,
      toMs: t0 + 4,
      maxPoints: 1,
    });
    expect(uneven).toEqual([{ t: t0, v: 9.5 / 4, min: -3, max: 10, n: 4 }]);
  });

  it('should put a sample on a boundary into the bucket it starts, and leave out empty buckets', () => {
    // [t0, t0 + 60 s) in 6 buckets of 10 s.
    const range = { fromMs: t0, toMs: t0 + 60_000, maxPoints: 6 };
    const buckets = downsample(
      [
        at(-1, 1000), // before from: not counted
        at(0, 1), // the first ms of bucket 0
        at(9_999, 3), // the last ms of bucket 0
        at(10_000, 5), // the first ms of bucket 1
        at(45_000, 7), // bucket 4; buckets 2, 3 and 5 stay empty
        at(60_000, 1000), // at to: not counted
      ],
      range,
    );
    expect(buckets).toEqual([
      { t: t0, v: 2, min: 1, max: 3, n: 2 },
      { t: t0 + 10_000, v: 5, min: 5, max: 5, n: 1 },
      { t: t0 + 40_000, v: 7, min: 7, max: 7, n: 1 },
    ]);
    expect(downsample([], range)).toEqual([]);
  });

  it('should use whole-ms buckets of equal width, never more than maxPoints', () => {
    expect(bucketWidthMs({ fromMs: 0, toMs: 1000, maxPoints: 10 })).toBe(100);
    expect(bucketWidthMs({ fromMs: 0, toMs: 1001, maxPoints: 10 })).toBe(101);
    expect(bucketWidthMs({ fromMs: 0, toMs: 5, maxPoints: 100 })).toBe(1);
    for (const [span, maxPoints] of [
      [3_600_000, 7],
      [86_400_001, 999],
      [13, 4],
      [10_000, 10_000],
      [1, 1],
    ] as const) {
      const samples = Array.from({ length: Math.min(span, 20_000) }, (_, i) =>
        at(Math.floor((i * span) / Math.min(span, 20_000)), i),
      );
      const buckets = downsample(samples, { fromMs: t0, toMs: t0 + span, maxPoints });
      const width = bucketWidthMs({ fromMs: t0, toMs: t0 + span, maxPoints });
      expect(buckets.length).toBeLessThanOrEqual(maxPoints);
      expect(buckets.reduce((n, b) => n + b.n, 0)).toBe(samples.length);
      expect(buckets.every((b) => (b.t - t0) % width === 0)).toBe(true);
    }
  });

  it('should not depend on the order or the paging of the samples', () => {
    const samples = Array.from({ length: 1000 }, (_, i) => at(i * 37, Math.sin(i)));
    const range = { fromMs: t0, toMs: t0 + 37_000, maxPoints: 13 };
    const whole = downsample(samples, range);
    const paged = new Downsampler(range);
    for (let i = 0; i < samples.length; i += 100) paged.add(samples.slice(i, i + 100));
    expect(paged.buckets()).toEqual(whole);
    const shuffled = [...samples].reverse();
    const again = downsample(shuffled, range);
    expect(again.map((b) => [b.t, b.n, b.min, b.max])).toEqual(
      whole.map((b) => [b.t, b.n, b.min, b.max]),
    );
    for (const [i, b] of again.entries()) expect(b.v).toBeCloseTo(whole[i]!.v, 12);
  });

  it('should refuse an empty range or no points', () => {
    expect(() => downsample([], { fromMs: t0, toMs: t0, maxPoints: 10 })).toThrow(RangeError);
    expect(() => downsample([], { fromMs: t0, toMs: t0 + 10, maxPoints: 0 })).toThrow(/maxPoints/);
  });
});
