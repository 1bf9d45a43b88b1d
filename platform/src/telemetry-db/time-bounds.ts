import { DAY_MS, dayOf } from './days.js';

/**
 * Which times a time-series table can hold rows of, for a database that keeps partitions of a
 * day (or of an hour) and reads a range partition by partition (Cassandra): a read walks only
 * the days that can hold rows, so a range from 1970 to 2100 costs a few dozen days, not
 * 47,000. Pure.
 *
 * - Samples and events are kept `ttlDays` after their own time (0: for good). Counting from
 *   the row's time rather than from its write makes a row's life the same on every adapter
 *   (SQLite deletes by time too) and puts a floor under the days that can hold rows; a row
 *   written when it is past that already is not written at all.
 * - No row is later than `maxAheadMs` after now: the gateway refuses device times further
 *   ahead of its clock (DEVICE_CLOCK_MAX_AHEAD_SECONDS), and the processor's own times are now.
 * Clocks of the processes that write and read differ a little: both ends get CLOCK_SKEW_MS.
 */

export interface RowTimes {
  /** Rows are kept this many days after their time; 0: for good. */
  readonly ttlDays: number;
  /** No row's time is further ahead of now than this. */
  readonly maxAheadMs: number;
}

export const CLOCK_SKEW_MS = 3_600_000;

/**
 * The seconds a row of time `timeMs` has left at `nowMs` (a Cassandra TTL), 0 when it is kept
 * for good, or undefined when it is past its time already.
 */
export function ttlSecondsLeft(timeMs: number, nowMs: number, ttlDays: number): number | undefined {
  if (ttlDays <= 0) return 0;
  const left = Math.ceil((timeMs + ttlDays * DAY_MS - nowMs) / 1000);
  return left > 0 ? left : undefined;
}

/**
 * The day partitions of [fromMs, toMs) that can hold rows at `nowMs`, first and last
 * (inclusive), or undefined when none can.
 */
export function daysToRead(
  fromMs: number,
  toMs: number,
  nowMs: number,
  times: RowTimes,
): { first: number; last: number } | undefined {
  if (!(toMs > fromMs)) return undefined;
  let first = dayOf(fromMs);
  if (times.ttlDays > 0) {
    first = Math.max(first, dayOf(nowMs - times.ttlDays * DAY_MS - CLOCK_SKEW_MS));
  }
  const last = Math.min(dayOf(toMs - 1), dayOf(nowMs + times.maxAheadMs + CLOCK_SKEW_MS));
  return first <= last ? { first, last } : undefined;
}
