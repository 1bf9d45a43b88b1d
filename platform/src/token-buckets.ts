/**
 * A token bucket per key (a source address, a device id): `burst` at once, refilled at
 * `perSecond`. The gateway limits with it new connections per address — a device reconnecting
 * after a dropped link is never near the limit; a client in a reconnect loop or a flood from
 * one address is refused before any MQTT parsing or password hashing — failed password checks
 * per address and per device id, and the bytes each device publishes; LimitedLog, the log
 * lines written per key. Keys whose buckets are full again are forgotten, so the table stays
 * small.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; atMs: number }>();
  private lastSweepMs = 0;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether the key has `cost` tokens left (and takes them if so). */
  allow(key: string, cost = 1): boolean {
    const b = this.refilled(key);
    if (b.tokens < cost) return false;
    b.tokens -= cost;
    return true;
  }

  /** The tokens the key has now, taking none. */
  available(key: string): number {
    return this.buckets.has(key) ? this.refilled(key).tokens : this.burst;
  }

  /** Gives back tokens taken for something that turned out not to count (up to the burst). */
  refund(key: string, cost = 1): void {
    const b = this.buckets.get(key);
    if (b) b.tokens = Math.min(this.burst, b.tokens + cost);
  }

  get size(): number {
    return this.buckets.size;
  }

  private refilled(key: string): { tokens: number; atMs: number } {
    const nowMs = this.now();
    this.sweep(nowMs);
    const b = this.buckets.get(key) ?? { tokens: this.burst, atMs: nowMs };
    b.tokens = Math.min(this.burst, b.tokens + ((nowMs - b.atMs) / 1000) * this.perSecond);
    b.atMs = nowMs;
    this.buckets.set(key, b);
    return b;
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
