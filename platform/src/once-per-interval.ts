/**
 * At most once per key per interval, counting the rest: for a log line about a fault that
 * recurs at every tick or record (a callback that throws on each timer tick, records that do
 * not decode), so that it is written once per interval and says how many were left out.
 *
 * Not LimitedLog: that one is for floods from many keys (addresses, devices) — a budget per
 * key and one in all, bursts, summaries on a timer. This one is for a few fixed places in the
 * code, each with one recurring fault: no budget, no timer, nothing to close.
 */
export class OncePerInterval {
  private readonly last = new Map<string, { atMs: number; leftOut: number }>();

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Whether the key's turn is now — and if so, how many times it was left out since its last
   * turn — or undefined: left out, and counted.
   */
  take(key = ''): { leftOut: number } | undefined {
    const t = this.now();
    const seen = this.last.get(key);
    if (seen && t - seen.atMs < this.intervalMs) {
      seen.leftOut++;
      return undefined;
    }
    this.last.set(key, { atMs: t, leftOut: 0 });
    return { leftOut: seen?.leftOut ?? 0 };
  }
}
