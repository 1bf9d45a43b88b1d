/**
 * Reconnect delays: exponential from `initialMs`, capped at `maxMs`. No jitter: one process
 * reopens one local device, so there is no herd of clients to spread out, and fixed delays
 * keep the behaviour predictable to test.
 */
export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly factor: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = Object.freeze({
  initialMs: 250,
  maxMs: 10_000,
  factor: 2,
});

/** Delay before reconnect attempt `attempt` (0 for the first attempt after a loss). */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const delay = options.initialMs * options.factor ** Math.max(0, attempt);
  return Math.min(options.maxMs, Number.isFinite(delay) ? delay : options.maxMs);
}
