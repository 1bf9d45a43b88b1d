/**
 * Each robot's send budget, so the adapter holds back before WeCom refuses (45009): at most
 * `perMinute` posts in any 60 seconds, per robot key.
 *
 * A sliding log of the last `perMinute` post times rather than a token bucket: a bucket of 20
 * refilled at 20 a minute lets through 20 at once and 20 more over the next minute, nearly 40
 * in one minute, past the robot's limit however WeCom counts its minute. The log never lets a
 * 21st post into any 60-second span, and is just as small (20 numbers per robot).
 */
export class RobotBudgets {
  private readonly logs = new Map<string, number[]>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
    private readonly windowMs = 60_000,
  ) {}

  /**
   * Spends one post of the robot's budget: 0 when it may post now, else how many ms until it
   * may (and nothing is spent).
   */
  take(robotKey: string): number {
    const now = this.now();
    const log = this.logs.get(robotKey) ?? [];
    while (log.length > 0 && (log[0] ?? 0) <= now - this.windowMs) log.shift();
    if (log.length >= this.perMinute) return (log[0] ?? now) + this.windowMs - now;
    log.push(now);
    this.logs.set(robotKey, log);
    this.prune(now);
    return 0;
  }

  /** WeCom said 45009 anyway (another process posts with the same robot): spend the rest. */
  exhaust(robotKey: string): void {
    const now = this.now();
    this.logs.set(
      robotKey,
      Array.from({ length: this.perMinute }, () => now),
    );
  }

  /** Forgets robots idle for a window, so the map stays as large as the active ones. */
  private prune(now: number): void {
    if (this.logs.size <= 1_000) return;
    for (const [key, log] of this.logs)
      if ((log.at(-1) ?? 0) <= now - this.windowMs) this.logs.delete(key);
  }
}
