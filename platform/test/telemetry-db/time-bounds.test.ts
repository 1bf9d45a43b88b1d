import { describe, expect, it } from 'vitest';
import { DAY_MS, dayOf } from '../../src/telemetry-db/days.js';
import { CLOCK_SKEW_MS, daysToRead, ttlSecondsLeft } from '../../src/telemetry-db/time-bounds.js';

const now = Date.UTC(2026, 11, 6, 12, 0, 0);

describe('ttlSecondsLeft', () => {
  it('should count a row’s life from its own time, and say when it is over already', () => {
    expect(ttlSecondsLeft(now, now, 30)).toBe(30 * 86_400);
    expect(ttlSecondsLeft(now - 29 * DAY_MS, now, 30)).toBe(86_400);
    expect(ttlSecondsLeft(now - 30 * DAY_MS + 1, now, 30)).toBe(1);
    expect(ttlSecondsLeft(now - 30 * DAY_MS, now, 30)).toBeUndefined();
    expect(ttlSecondsLeft(now + DAY_MS, now, 30)).toBe(31 * 86_400);
    // 0: kept for good (Cassandra's TTL 0), whatever the time.
    expect(ttlSecondsLeft(0, now, 0)).toBe(0);
  });
});

describe('daysToRead', () => {
  const times = { ttlDays: 30, maxAheadMs: DAY_MS };

  it('should walk only the days between the TTL’s horizon and the clock allowance', () => {
    const all = daysToRead(Date.UTC(1970, 0, 1), Date.UTC(2100, 0, 1), now, times);
    expect(all).toEqual({
      first: dayOf(now - 30 * DAY_MS - CLOCK_SKEW_MS),
      last: dayOf(now + DAY_MS + CLOCK_SKEW_MS),
    });
    expect(all!.last - all!.first + 1).toBeLessThanOrEqual(33);
    // Without a TTL, only the end is bounded.
    expect(daysToRead(0, Date.UTC(2100, 0, 1), now, { ...times, ttlDays: 0 })).toEqual({
      first: 0,
      last: dayOf(now + DAY_MS + CLOCK_SKEW_MS),
    });
  });

  it('should keep a range inside those days as it is, [from, to) to its days', () => {
    const from = now - 3 * DAY_MS;
    expect(daysToRead(from, now, now, times)).toEqual({ first: dayOf(from), last: dayOf(now) });
    // `to` is exclusive: a range ending at midnight does not read the day it ends on.
    const midnight = dayOf(now) * DAY_MS;
    expect(daysToRead(midnight - 1000, midnight, now, times)).toEqual({
      first: dayOf(now) - 1,
      last: dayOf(now) - 1,
    });
  });

  it('should read nothing of a range wholly past the horizon or ahead of the allowance, or empty', () => {
    expect(daysToRead(0, now - 40 * DAY_MS, now, times)).toBeUndefined();
    expect(daysToRead(now + 3 * DAY_MS, now + 4 * DAY_MS, now, times)).toBeUndefined();
    expect(daysToRead(now, now, now, times)).toBeUndefined();
  });
});
