/**
 * The clocks Aliyun's SMS API speaks: UTC ISO 8601 to the second for the `Timestamp` common
 * parameter, and China Standard Time (Asia/Shanghai, UTC+8 all year, no daylight saving) for
 * the dates of sent messages (QuerySendDetails' `SendDate`, its records' `SendDate`) and for
 * the natural day and month of the console's send quotas. Pure.
 */

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** `2017-07-12T02:42:19Z`: the form of the `Timestamp` parameter (no fraction of a second). */
export function isoTimestamp(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** The `Timestamp` parameter read back, or undefined when it is not of that form. */
export function parseIsoTimestamp(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) || isoTimestamp(ms) !== text ? undefined : ms;
}

/** The moment as Shanghai's wall clock, in a Date whose UTC fields read it. */
const shanghaiWallClock = (ms: number) => new Date(ms + SHANGHAI_OFFSET_MS);
const two = (n: number) => String(n).padStart(2, '0');

/** `20261205`: the Shanghai date of the moment, as QuerySendDetails takes `SendDate`. */
export function shanghaiDate(ms: number): string {
  const d = shanghaiWallClock(ms);
  return `${d.getUTCFullYear()}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}`;
}

/** `2026-12-05 08:14:00`: Shanghai wall-clock time, as the send records show it. */
export function shanghaiDateTime(ms: number): string {
  const d = shanghaiWallClock(ms);
  const date = `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`;
  return `${date} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

/** The start (UTC ms) of the Shanghai day a `yyyyMMdd` date names, or undefined if none. */
export function shanghaiDayStart(date: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(date);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - SHANGHAI_OFFSET_MS;
  return shanghaiDate(ms) === date ? ms : undefined;
}

/**
 * The Shanghai dates an attempt from `fromMs` to `toMs` may be filed under: one, or two when
 * it straddled midnight (a push sent at 23:59:59.9 can be recorded on the next day).
 */
export function shanghaiDatesBetween(fromMs: number, toMs: number): string[] {
  const dates: string[] = [];
  const first = shanghaiDayStart(shanghaiDate(fromMs)) ?? fromMs;
  // QuerySendDetails keeps 30 days: no attempt is looked for further back than that.
  for (let day = first; day <= toMs && dates.length <= 30; day += DAY_MS)
    dates.push(shanghaiDate(day));
  return dates.length > 0 ? dates : [shanghaiDate(fromMs)];
}

/** How long from `ms` until the next Shanghai midnight: a natural-day quota's reset. */
export function msUntilNextShanghaiDay(ms: number): number {
  const start = shanghaiDayStart(shanghaiDate(ms)) ?? ms;
  return start + DAY_MS - ms;
}

/** How long from `ms` until the first of the next Shanghai month: a monthly quota's reset. */
export function msUntilNextShanghaiMonth(ms: number): number {
  const d = shanghaiWallClock(ms);
  const next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - SHANGHAI_OFFSET_MS;
  return next - ms;
}
