/** Calls counted per window of the clock (a minute, a day in Beijing), refused past a limit. */
export class WindowCounter {
  private window = Number.NaN;
  private count = 0;

  constructor(
    private readonly limit: number,
    private readonly windowOf: (now: number) => number,
  ) {}

  /** Counts a call at `now`; false when the window's limit is reached (the call is refused). */
  take(now: number): boolean {
    const window = this.windowOf(now);
    if (window !== this.window) {
      this.window = window;
      this.count = 0;
    }
    if (this.count >= this.limit) return false;
    this.count++;
    return true;
  }
}

export const minuteOf = (now: number) => Math.floor(now / 60_000);

/** The day in China Standard Time (UTC+8), by which WeChat counts daily quotas. */
export const beijingDayOf = (now: number) => Math.floor((now + 8 * 3_600_000) / 86_400_000);
