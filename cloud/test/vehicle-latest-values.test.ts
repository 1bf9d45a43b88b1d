import type { SampleRow } from '@fleetline/platform';
import { describe, expect, it } from 'vitest';
import { LatestValueCache } from '../src/vehicle-latest-values.js';

const row = (signalId: number, timeMs: number, value = timeMs): SampleRow => ({
  deviceId: 'veh',
  signalId,
  timeMs,
  value,
});

describe('the latest-value cache', () => {
  it('should hold the newest value of each signal and the latest time heard from', () => {
    const cache = new LatestValueCache();
    expect(cache.empty).toBe(true);
    cache.hold([row(1, 10), row(2, 5)], 100);
    cache.hold([row(1, 8), row(2, 5, 55)], 90);
    expect(cache.empty).toBe(false);
    // An older value does not replace a newer one; one as old does.
    expect(cache.take(1000)).toEqual({ latest: [row(1, 10), row(2, 5, 55)], seenMs: 100 });
    expect(cache.empty).toBe(true);
  });

  it('should be due once the interval since the last write has passed', () => {
    const cache = new LatestValueCache();
    expect(cache.due(5_000, 10_000)).toBe(false);
    expect(cache.due(10_000, 10_000)).toBe(true);
    cache.take(10_000);
    expect(cache.due(19_999, 10_000)).toBe(false);
    expect(cache.due(20_000, 10_000)).toBe(true);
    expect(cache.due(20_000, 0)).toBe(true);
  });

  it('should take back what a failed write carried, newer values that came meanwhile winning, and be due at once', () => {
    const cache = new LatestValueCache();
    cache.hold([row(1, 10), row(2, 10)], 100);
    const taken = cache.take(50_000);
    cache.hold([row(1, 20)], 90);
    cache.putBack(taken);
    expect(cache.due(50_001, 10_000)).toBe(true);
    expect(cache.take(60_000)).toEqual({ latest: [row(1, 20), row(2, 10)], seenMs: 100 });
    // Without a last-seen time held or taken, none is written.
    cache.hold([row(3, 1)], undefined);
    expect(cache.take(70_000).seenMs).toBeUndefined();
  });
});
