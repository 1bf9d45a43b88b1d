import type { Logger } from './logger.js';
import { TokenBuckets } from './token-buckets.js';

/**
 * Log lines about what can come in floods, limited: a flood of refused connects or publishes
 * (the gateway's refusals) must not become a flood of log lines (one per refusal filled disks
 * and hid everything else). Each key — the address or device the line is about — may write
 * `perKeyPerMinute` lines a minute (that many at once), and all keys together `perMinute`. A
 * line that is left out is counted: the next line written for its key says how many of that
 * key's lines were left out before it (`leftOut`), and every `summaryEveryMs`, and at close,
 * one line tells how many lines of each message were left out and for which keys most (at
 * most 10), so the log still names who is refused and how often, with bounded lines.
 */

export interface LimitedLogOptions {
  perKeyPerMinute?: number;
  perMinute?: number;
  summaryEveryMs?: number;
  now?: () => number;
}

const TOP_KEYS = 10;

export class LimitedLog {
  private readonly perKey: TokenBuckets;
  private readonly overall: TokenBuckets;
  /** Lines left out since the last summary, by message, and by key. */
  private leftOutByMessage = new Map<string, number>();
  private leftOutByKey = new Map<string, number>();
  /** Lines left out per key since that key's last written line. */
  private pending = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly logger: Logger,
    o: LimitedLogOptions = {},
  ) {
    const perKey = o.perKeyPerMinute ?? 10;
    const overall = o.perMinute ?? 100;
    this.perKey = new TokenBuckets(perKey / 60, perKey, o.now);
    this.overall = new TokenBuckets(overall / 60, overall, o.now);
    this.timer = setInterval(() => this.summarise(), o.summaryEveryMs ?? 60_000);
    this.timer.unref();
  }

  warn(key: string, fields: Record<string, unknown>, msg: string): void {
    this.write('warn', key, fields, msg);
  }

  info(key: string, fields: Record<string, unknown>, msg: string): void {
    this.write('info', key, fields, msg);
  }

  /** Writes the summary of what was left out, and stops. */
  close(): void {
    clearInterval(this.timer);
    this.summarise();
  }

  private write(
    level: 'warn' | 'info',
    key: string,
    fields: Record<string, unknown>,
    msg: string,
  ): void {
    // The key's own budget first, so one noisy key cannot use up everyone's.
    if (this.perKey.allow(key) && this.overall.allow('')) {
      const leftOut = this.pending.get(key);
      this.pending.delete(key);
      this.logger[level](leftOut ? { ...fields, leftOut } : fields, msg);
      return;
    }
    this.leftOutByMessage.set(msg, (this.leftOutByMessage.get(msg) ?? 0) + 1);
    this.leftOutByKey.set(key, (this.leftOutByKey.get(key) ?? 0) + 1);
    this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
  }

  private summarise(): void {
    if (this.leftOutByMessage.size === 0) return;
    const top = [...this.leftOutByKey]
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP_KEYS)
      .map(([key, lines]) => ({ key, lines }));
    this.logger.warn(
      {
        suppressed: Object.fromEntries(this.leftOutByMessage),
        keys: this.leftOutByKey.size,
        top,
      },
      'log lines left out',
    );
    this.leftOutByMessage = new Map();
    this.leftOutByKey = new Map();
    // What each key has pending is told with its next line, or forgotten with the summary.
    this.pending = new Map();
  }
}
