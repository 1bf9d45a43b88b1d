import { InvalidMessageError } from './errors.js';

/**
 * The times the wire carries: every epoch-millisecond time of every message (batch base time,
 * each sample time, event, window, trigger, status, command, alert and service times) lies in
 * [WIRE_TIME_MIN_MS, WIRE_TIME_END_MS) — 1970-01-01 up to, not including, 2100-01-01 UTC.
 *
 * Why a fixed range: protobuf int64 and uint32 offsets carry times far past what the rest of
 * the system holds. A JavaScript Date holds ±8.64e15 ms (ECMA-262 §21.4.1.1), past which
 * `toISOString()` throws; Cassandra's timestamp and SQLite's integer hold more, but every
 * answer of the API is an ISO 8601 string made by a Date. 2100 is far enough for any real
 * clock and far from every limit, so sums of a valid time and an offset (at most 2^32 ms,
 * about 50 days) stay well inside what Date holds. Before 1970 no device clock reads a real
 * time; small times (a clock that was never set) are in range here and left to the gateway,
 * which knows the time it received them at.
 */

export const WIRE_TIME_MIN_MS = 0;
/** 2100-01-01T00:00:00Z, the first time past the range. */
export const WIRE_TIME_END_MS = 4_102_444_800_000;

/** True for an integer epoch-ms time in [WIRE_TIME_MIN_MS, WIRE_TIME_END_MS). */
export function isWireTime(t: number): boolean {
  return Number.isSafeInteger(t) && t >= WIRE_TIME_MIN_MS && t < WIRE_TIME_END_MS;
}

/** What is wrong with a time outside the range, for an error message naming `field`. */
export function wireTimeProblem(t: number, field: string): string {
  return `${field} ${t} is outside the wire's time range: integer epoch ms from 0 (1970-01-01T00:00:00Z) to before ${WIRE_TIME_END_MS} (2100-01-01T00:00:00Z)`;
}

/** Every time on the wire is a wire time: throws InvalidMessageError naming `field`. */
export function checkWireTime(t: number, field: string): void {
  if (!isWireTime(t)) throw new InvalidMessageError(wireTimeProblem(t, field));
}

/** An expiry is a wire time, or 0 for "never". */
export function checkExpiry(t: number, field: string): void {
  if (t !== 0) checkWireTime(t, field);
}
