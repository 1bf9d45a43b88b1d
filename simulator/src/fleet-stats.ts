/**
 * Latencies of a fleet run in a log-bucketed histogram: constant memory however long the run,
 * each value kept to within 1 % (buckets grow by 1 % from 0.01 ms; 10 minutes and more share
 * the last one). Percentiles are nearest-rank over the buckets.
 */
export class LatencyHistogram {
  private static readonly minMs = 0.01;
  private static readonly growth = 1.01;
  private static readonly logGrowth = Math.log(LatencyHistogram.growth);
  private static readonly buckets =
    Math.ceil(Math.log(600_000 / LatencyHistogram.minMs) / LatencyHistogram.logGrowth) + 1;

  private readonly counts = new Float64Array(LatencyHistogram.buckets);
  private n = 0;
  private maxMs = 0;

  get count(): number {
    return this.n;
  }

  record(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    const i = LatencyHistogram.indexOf(ms);
    this.counts[i] = (this.counts[i] ?? 0) + 1;
    this.n++;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  private static indexOf(ms: number): number {
    if (ms <= LatencyHistogram.minMs) return 0;
    const i = Math.floor(Math.log(ms / LatencyHistogram.minMs) / LatencyHistogram.logGrowth) + 1;
    return Math.min(i, LatencyHistogram.buckets - 1);
  }

  /** The upper bound of bucket i (values in it are at most this, and over 1/1.01 of it). */
  private static upperOf(i: number): number {
    return LatencyHistogram.minMs * LatencyHistogram.growth ** i;
  }

  /**
   * The p-th percentile (0 < p ≤ 100) in ms, rounded to 0.01 ms: the smallest recorded value
   * at least p % of the values do not exceed, to within 1 %; undefined when nothing is recorded.
   */
  percentile(p: number): number | undefined {
    if (!(p > 0 && p <= 100)) throw new RangeError(`percentile ${p} is not in (0, 100]`);
    if (this.n === 0) return undefined;
    const rank = Math.ceil((p / 100) * this.n);
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i] as number;
      if (seen >= rank) {
        const v = Math.min(LatencyHistogram.upperOf(i), this.maxMs);
        return Math.round(v * 100) / 100;
      }
    }
    return Math.round(this.maxMs * 100) / 100;
  }
}

/** Counts of a fleet run at one moment. */
export interface FleetRunStats {
  /** Vehicles the run is to have. */
  target: number;
  /** Vehicles created so far (the ramp's progress). */
  started: number;
  /** Vehicles connected now. */
  connected: number;
  /** Vehicles that have been connected at least once. */
  everConnected: number;
  /** Batches published. */
  sent: number;
  /** Batches acknowledged (PUBACK). */
  acked: number;
  /** Batches whose publish failed. */
  failed: number;
  /** Published, neither acknowledged nor failed yet. */
  inFlight: number;
}

/** Messages per second between two snapshots. */
export function ratePerS(
  before: { acked: number; atMs: number },
  after: { acked: number; atMs: number },
): number {
  const dt = after.atMs - before.atMs;
  return dt > 0 ? ((after.acked - before.acked) * 1000) / dt : 0;
}
