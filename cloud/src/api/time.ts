import { WIRE_TIME_END_MS, WIRE_TIME_MIN_MS } from '@fleetline/proto';

/**
 * Times the API takes: RFC 3339 date-times (§5.6), `2026-12-05T08:00:00Z` or with an offset
 * and a fraction, from 1970-01-01T00:00:00Z to 2100-01-01T00:00:00Z — what the wire carries
 * (proto time-range.ts), so whatever the API accepts it can store, pass on and answer.
 *
 * Stricter than the JSON-schema "date-time" format on purpose. That format allows a leap
 * second (`23:59:60`, RFC 3339 §5.7), but Date, POSIX time and every store count no leap
 * seconds: Date.parse gave NaN, which reached SQLite as NULL. And Date.parse alone accepts
 * days that do not exist (`2026-02-30` is read as March 2). So the fields are checked one by
 * one, and the instant computed from them.
 */

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** The format's name in the API's schemas (it replaces the JSON-schema one). */
export const TIME_FORMAT = 'date-time';

export const TIME_FORMAT_MESSAGE = `must be an RFC 3339 time from 1970-01-01T00:00:00Z to 2100-01-01T00:00:00Z, e.g. 2026-12-05T08:00:00Z or 2026-12-05T16:00:00+08:00 (seconds 00–59: no leap second)`;

const daysIn = (year: number, month: number) =>
  month === 2
    ? (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
      ? 29
      : 28
    : [4, 6, 9, 11].includes(month)
      ? 30
      : 31;

/** Epoch ms of an API time, or undefined when it is not one. */
export function parseApiTime(text: string): number | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as number[] as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMin = 0;
  if (!m[8]) {
    const [oh, om] = [Number(m[10]), Number(m[11])];
    if (oh > 23 || om > 59) return undefined;
    offsetMin = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  // Outside the range anyway; and Date.UTC would read years 0–99 as 1900–1999.
  if (year < 1969 || year > 2100) return undefined;
  const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const t = Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMin * 60_000;
  return t >= WIRE_TIME_MIN_MS && t <= WIRE_TIME_END_MS ? t : undefined;
}

/** The format as ajv takes it. */
export const timeFormat = {
  type: 'string' as const,
  validate: (text: string) => parseApiTime(text) !== undefined,
};

const DAY_MS = 86_400_000;
/** An epoch-ms time as the API answers it (ISO 8601, UTC). */
export const isoTime = (ms: number) => new Date(ms).toISOString();

/**
 * [from, to) of a request from its optional `from` and `to` (times the schema has checked):
 * `to` defaults to `defaultToMs` (about now), `from` to `defaultSpanMs` before `to`. Or the 400
 * message naming what is wrong: `from` not before `to`, or a range wider than `maxDays` — on
 * Cassandra each day of a range is a query of its own, so a request from 1970 to 2100 would be
 * 47,000 of them, one after another.
 */
export function timeRange(
  q: { from?: string | undefined; to?: string | undefined },
  defaults: { spanMs: number; toMs: number },
  maxDays: number,
): { fromMs: number; toMs: number } | string {
  const toMs = q.to ? (parseApiTime(q.to) as number) : defaults.toMs;
  const fromMs = q.from ? (parseApiTime(q.from) as number) : toMs - defaults.spanMs;
  const to = q.to ? isoTime(toMs) : `now, ${isoTime(toMs)}`;
  if (!(fromMs < toMs)) return `from (${isoTime(fromMs)}) must be before to (${to})`;
  if (toMs - fromMs > maxDays * DAY_MS) {
    return `from (${isoTime(fromMs)}) is more than ${maxDays} days before to (${to}); a range may span at most ${maxDays} days (HTTP_MAX_RANGE_DAYS): narrow it`;
  }
  return { fromMs, toMs };
}
