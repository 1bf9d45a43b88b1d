import type { Logger } from '@fleetline/platform';

/**
 * Retries an operation whose errors say they are retryable (`retryable: true`), with
 * exponential backoff and jitter, until the deadline; any other error is thrown at once.
 */
export async function withRetry<T>(
  op: () => Promise<T>,
  deadlineMs = 30_000,
  firstDelayMs = 100,
): Promise<T> {
  const until = Date.now() + deadlineMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await op();
    } catch (err) {
      const delay = backoffMs(attempt, firstDelayMs);
      if (!isRetryable(err) || Date.now() + delay > until) throw err;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

export const isRetryable = (err: unknown): boolean =>
  (err as { retryable?: boolean } | undefined)?.retryable === true;

const backoffMs = (attempt: number, firstDelayMs: number) =>
  Math.min(5000, firstDelayMs * 2 ** attempt) * (0.5 + Math.random() / 2);

/**
 * Waits out an outage of a dependency (the telemetry database, the log) instead of failing:
 * operations passed to `run` are retried for as long as their errors are retryable, so a consumer
 * whose effects cannot be made durable simply stops making progress — it commits nothing, fetches
 * nothing new (its batch is still in hand) and loses nothing — and carries on where it was
 * when the dependency is back. Failing the batch instead would stop the process (the consumer
 * cannot skip a batch), and a process restarted during an outage only fails again.
 *
 * An outage is logged once when it starts and once when it ends, not per attempt; `waiting`
 * tells how many operations are waiting now (a gauge). `stop()` ends every wait: the waiting
 * operations reject with their last error, so a process can shut down during an outage.
 */
export class OutageGate {
  private waitingOps = 0;
  private since: number | undefined;
  private stopped = false;
  private readonly wakers = new Set<() => void>();

  constructor(
    private readonly what: string,
    private readonly logger: Logger,
    /** The first pause between attempts; it doubles up to 5 s. */
    private readonly firstDelayMs = 100,
  ) {}

  get waiting(): number {
    return this.waitingOps;
  }

  async run<T>(op: () => Promise<T>): Promise<T> {
    let counted = false;
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          return await op();
        } catch (err) {
          if (!isRetryable(err) || this.stopped) throw err;
          if (!counted) {
            counted = true;
            if (this.waitingOps++ === 0) {
              this.since = Date.now();
              this.logger.warn(
                { err: (err as Error).message },
                `${this.what} unavailable; waiting for it (nothing is lost meanwhile)`,
              );
            }
          }
          await this.pause(backoffMs(Math.min(attempt, 16), this.firstDelayMs));
          if (this.stopped) throw err;
        }
      }
    } finally {
      if (counted && --this.waitingOps === 0) {
        this.logger.info(
          { outageMs: Date.now() - (this.since ?? Date.now()) },
          this.stopped
            ? `${this.what} wait ended by stop`
            : `${this.what} available again; carrying on`,
        );
        this.since = undefined;
      }
    }
  }

  /** Ends every wait now and every later one at once. */
  stop(): void {
    this.stopped = true;
    for (const wake of this.wakers) wake();
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakers.add(wake);
    });
  }
}
