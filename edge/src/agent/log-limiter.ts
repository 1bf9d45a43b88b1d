/**
 * Allows `perWindow` log lines per key in each window of `windowMs`: every bad input is
 * counted in the metrics, but the log gets at most a few lines a minute per input, so a
 * babbling device cannot fill a small board's disk.
 *
 * The server packages share platform's limiter; the agent keeps this small one of its own
 * because edge never imports platform (it installs on a vehicle without server drivers).
 */
export class LogLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  constructor(
    private readonly perWindow: number,
    private readonly windowMs: number,
  ) {}

  allow(key: string, now = Date.now()): boolean {
    const w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      this.windows.set(key, { start: now, count: 1 });
      return true;
    }
    w.count++;
    return w.count <= this.perWindow;
  }
}
