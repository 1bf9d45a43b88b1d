import type { SampleRow } from '@fleetline/platform';

/**
 * A vehicle's latest values and last-seen time held back between writes. They are caches of
 * what the samples say — the samples themselves are written with every batch — so a vehicle
 * at 1 Hz need not rewrite a dozen rows every second: what is held is written once the
 * interval has passed since the last write, and when the actor stops. A write that fails
 * puts what it took back (newer values that came meanwhile win) and is due again at once.
 * No I/O: the actor writes what `take` hands it.
 */

/** What one write of the cache carries. */
export interface HeldValues {
  readonly latest: readonly SampleRow[];
  readonly seenMs: number | undefined;
}

export class LatestValueCache {
  private latest = new Map<number, SampleRow>();
  private seenMs: number | undefined;
  private writtenMs = 0;

  /** Holds newer values (a value as old as the one held replaces it) and a last-seen time. */
  hold(latest: Iterable<SampleRow>, seenMs: number | undefined): void {
    for (const row of latest) {
      const held = this.latest.get(row.signalId);
      if (!held || held.timeMs <= row.timeMs) this.latest.set(row.signalId, row);
    }
    if (seenMs !== undefined) this.seenMs = Math.max(this.seenMs ?? 0, seenMs);
  }

  /** Whether the interval since the last write has passed. */
  due(nowMs: number, intervalMs: number): boolean {
    return nowMs - this.writtenMs >= intervalMs;
  }

  get empty(): boolean {
    return this.latest.size === 0 && this.seenMs === undefined;
  }

  /** Everything held, for a write starting at nowMs; the cache is empty after. */
  take(nowMs: number): HeldValues {
    const taken = { latest: [...this.latest.values()], seenMs: this.seenMs };
    this.latest = new Map();
    this.seenMs = undefined;
    this.writtenMs = nowMs;
    return taken;
  }

  /** A write of `taken` failed: held again, and due at once. */
  putBack(taken: HeldValues): void {
    for (const row of taken.latest) {
      const held = this.latest.get(row.signalId);
      if (!held || held.timeMs < row.timeMs) this.latest.set(row.signalId, row);
    }
    if (taken.seenMs !== undefined) this.seenMs = Math.max(this.seenMs ?? 0, taken.seenMs);
    this.writtenMs = 0;
  }
}
