import type { Sample } from '@fleetline/proto';

/**
 * Per-signal collection policies: which of the (possibly very many) samples a signal produces
 * go into telemetry. Pure and clock-free: decisions use the samples' own times.
 *
 * - period: at most one sample per period — the first one at or after each period has elapsed
 *   since the last one taken.
 * - change: a sample is taken when it differs from the last one taken by more than the
 *   deadband, but not sooner than minIntervalMs after it; heartbeatMs (optional) takes one
 *   anyway when nothing was taken for that long, so a steady signal still shows it is alive.
 */

export type CollectionPolicy =
  | { kind: 'period'; periodMs: number }
  | { kind: 'change'; deadband: number; minIntervalMs?: number; heartbeatMs?: number };

interface LastTaken {
  timeMs: number;
  value: number;
}

export class Collector {
  private readonly last = new Map<number, LastTaken>();

  constructor(private readonly policyOf: (signalId: number) => CollectionPolicy) {}

  /** Whether the sample goes into telemetry; remembers it when it does. */
  take(sample: Sample): boolean {
    const last = this.last.get(sample.signalId);
    const policy = this.policyOf(sample.signalId);
    if (last && sample.timeMs < last.timeMs) return false; // out of order: keep time monotonic
    let take: boolean;
    if (!last) {
      take = true;
    } else if (policy.kind === 'period') {
      take = sample.timeMs - last.timeMs >= policy.periodMs;
    } else {
      const elapsed = sample.timeMs - last.timeMs;
      const changed = Math.abs(sample.value - last.value) > policy.deadband;
      take =
        (changed && elapsed >= (policy.minIntervalMs ?? 0)) ||
        (policy.heartbeatMs !== undefined && elapsed >= policy.heartbeatMs);
    }
    if (take) this.last.set(sample.signalId, { timeMs: sample.timeMs, value: sample.value });
    return take;
  }
}
