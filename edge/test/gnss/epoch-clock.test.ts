import { describe, expect, it } from 'vitest';
import { EpochClock } from '../../src/gnss/epoch-clock.js';
import { nearestDayTime } from '../../src/gnss/utc.js';
import { iso, isoOf } from './helpers.js';

const tod = (h: number, m: number, s: number, ms = 0) =>
  (((h * 60 + m) * 60 + s) * 1000 + ms) * 1000;

describe('nearestDayTime', () => {
  it('puts a time of day on the day that brings it closest to the reference', () => {
    expect(isoOf(nearestDayTime(tod(12, 0, 0), iso('2024-06-09T11:00:00Z')))).toBe(
      '2024-06-09T12:00:00.000Z',
    );
    expect(isoOf(nearestDayTime(tod(23, 59, 58), iso('2024-06-10T00:00:05Z')))).toBe(
      '2024-06-09T23:59:58.000Z',
    );
    expect(isoOf(nearestDayTime(tod(0, 0, 1), iso('2024-06-09T23:59:59Z')))).toBe(
      '2024-06-10T00:00:01.000Z',
    );
  });
});

describe('EpochClock', () => {
  it('uses the date of a valid RMC in a replay, however old', () => {
    const clock = new EpochClock();
    const stamp = clock.stamp(tod(13, 56, 51, 997), { year: 2009, month: 12, day: 5 }, undefined);
    expect(stamp).toEqual({ timeUs: iso('2009-12-05T13:56:51.997Z'), dateSource: 'receiver' });
  });

  it('believes a receiver date within a day of the host clock on a live port', () => {
    const clock = new EpochClock();
    const host = iso('2024-06-09T00:06:54.300Z');
    const stamp = clock.stamp(tod(0, 6, 53), { year: 2024, month: 6, day: 9 }, host);
    expect(stamp).toEqual({ timeUs: iso('2024-06-09T00:06:53Z'), dateSource: 'receiver' });
  });

  it('replaces a week-rollover date with the host date on a live port', () => {
    // A receiver with the 1024-week bug reports 2005-10-23 for 2025-06-08 while claiming a fix.
    const clock = new EpochClock();
    const host = iso('2025-06-08T10:00:01Z');
    const stamp = clock.stamp(tod(10, 0, 0), { year: 2005, month: 10, day: 23 }, host);
    expect(stamp).toEqual({ timeUs: iso('2025-06-08T10:00:00Z'), dateSource: 'host' });
  });

  it('takes the day before from the host just after midnight', () => {
    const clock = new EpochClock();
    const stamp = clock.stamp(tod(23, 59, 59, 500), undefined, iso('2025-01-01T00:00:00.700Z'));
    expect(stamp && isoOf(stamp.timeUs)).toBe('2024-12-31T23:59:59.500Z');
  });

  it('dates a replayed epoch without a date from the previous one, across midnight', () => {
    const clock = new EpochClock();
    clock.stamp(tod(23, 59, 59), { year: 2019, month: 4, day: 6 }, undefined);
    const stamp = clock.stamp(tod(0, 0, 0), undefined, undefined);
    expect(stamp).toEqual({ timeUs: iso('2019-04-07T00:00:00Z'), dateSource: 'previous' });
  });

  it('has no answer for a replayed epoch before any date', () => {
    expect(new EpochClock().stamp(tod(7, 41, 50), undefined, undefined)).toBeUndefined();
  });

  it('ignores a host clock that was never set', () => {
    const clock = new EpochClock();
    const unset = iso('1970-01-01T00:05:00Z');
    expect(clock.stamp(tod(7, 41, 50), undefined, unset)).toBeUndefined();
    const stamp = clock.stamp(tod(7, 41, 51), { year: 2015, month: 2, day: 25 }, unset);
    expect(stamp?.dateSource).toBe('receiver');
  });

  it('follows the skew option', () => {
    const clock = new EpochClock({ maxReceiverSkewUs: 1_000_000 });
    const host = iso('2024-06-09T00:06:55Z');
    expect(clock.stamp(tod(0, 6, 53), { year: 2024, month: 6, day: 9 }, host)?.dateSource).toBe(
      'host',
    );
  });

  it('dates a held epoch backwards from the one that followed it', () => {
    const clock = new EpochClock();
    expect(clock.backdate(tod(23, 59, 59), iso('2020-01-01T00:00:01Z'))).toEqual({
      timeUs: iso('2019-12-31T23:59:59Z'),
      dateSource: 'following',
    });
  });
});
