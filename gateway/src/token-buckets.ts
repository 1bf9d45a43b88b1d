/**
 * A token bucket per key (a source address, say): `burst` at once, refilled at `perSecond`.
 * The gateway limits new connections per address with it — a device reconnecting after a
 * dropped link is never near the limit; a client in a reconnect loop or a flood from one
 * address is refused before any MQTT parsing or password hashing — and the log lines such
 * refusals write. Keys whose buckets are full again are forgotten, so the table stays small.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; atMs: number }>();
  private lastSweepMs = 0;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether the key has a token left (and takes it if so). */
  allow(key: string): boolean {
    const nowMs = this.now();
    this.sweep(nowMs);
    const b = this.buckets.get(key) ?? { tokens: this.burst, atMs: nowMs };
    b.tokens = Math.min(this.burst, b.tokens + ((nowMs - b.atMs) / 1000) * this.perSecond);
    b.atMs = nowMs;
    this.buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  get size(): number {
    return this.buckets.size;
  }

  /** Drops buckets that have refilled completely: they hold no information. */
  private sweep(nowMs: number): void {
    if (nowMs - this.lastSweepMs < 60_000) return;
    this.lastSweepMs = nowMs;
    const fullAfterMs = (this.burst / this.perSecond) * 1000;
    for (const [key, b] of this.buckets) {
      if (nowMs - b.atMs >= fullAfterMs) this.buckets.delete(key);
    }
  }
}
