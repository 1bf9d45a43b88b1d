/**
 * Downsampling of a time series for charts: [fromMs, toMs) is cut into buckets of one whole
 * number of milliseconds each, as few as fit maxPoints, and each bucket with samples becomes
 * one point: its start, the mean, min and max of its values, and how many there were. Buckets
 * without samples are left out. Pure: same samples and range, same buckets.
 */

export interface TimedValue {
  readonly timeMs: number;
  readonly value: number;
}

export interface Bucket {
  /** Start of the bucket, epoch ms; the bucket is [t, t + width). */
  readonly t: number;
  /** Mean of the bucket's values. */
  readonly v: number;
  readonly min: number;
  readonly max: number;
  /** How many samples fell into the bucket (at least 1). */
  readonly n: number;
}

export interface BucketRange {
  /** Inclusive, epoch ms. */
  readonly fromMs: number;
  /** Exclusive, epoch ms; must be after fromMs. */
  readonly toMs: number;
  /** At most this many buckets (at least 1). */
  readonly maxPoints: number;
}

/**
 * The width of each bucket: the smallest whole number of milliseconds with which
 * ceil((toMs - fromMs) / width) ≤ maxPoints buckets cover the range. The last bucket may
 * reach past toMs; no sample does.
 */
export function bucketWidthMs(range: BucketRange): number {
  if (!(range.toMs > range.fromMs)) throw new RangeError('toMs must be after fromMs');
  if (!(Number.isInteger(range.maxPoints) && range.maxPoints >= 1)) {
    throw new RangeError('maxPoints must be a positive integer');
  }
  return Math.max(1, Math.ceil((range.toMs - range.fromMs) / range.maxPoints));
}

/** Accumulates samples into buckets, page by page, in memory proportional to maxPoints. */
export class Downsampler {
  readonly widthMs: number;
  private readonly count: number;
  private readonly sum: Float64Array;
  private readonly min: Float64Array;
  private readonly max: Float64Array;
  private readonly n: Float64Array;

  constructor(private readonly range: BucketRange) {
    this.widthMs = bucketWidthMs(range);
    this.count = Math.ceil((range.toMs - range.fromMs) / this.widthMs);
    this.sum = new Float64Array(this.count);
    this.min = new Float64Array(this.count).fill(Number.POSITIVE_INFINITY);
    this.max = new Float64Array(this.count).fill(Number.NEGATIVE_INFINITY);
    this.n = new Float64Array(this.count);
  }

  /** Adds samples in any order; samples outside [fromMs, toMs) are ignored. */
  add(samples: Iterable<TimedValue>): void {
    const { fromMs, toMs } = this.range;
    for (const s of samples) {
      if (s.timeMs < fromMs || s.timeMs >= toMs) continue;
      const i = Math.floor((s.timeMs - fromMs) / this.widthMs);
      this.sum[i]! += s.value;
      if (s.value < this.min[i]!) this.min[i] = s.value;
      if (s.value > this.max[i]!) this.max[i] = s.value;
      this.n[i]! += 1;
    }
  }

  /** The buckets holding samples, in time order. */
  buckets(): Bucket[] {
    const out: Bucket[] = [];
    for (let i = 0; i < this.count; i++) {
      const n = this.n[i]!;
      if (n === 0) continue;
      out.push({
        t: this.range.fromMs + i * this.widthMs,
        v: this.sum[i]! / n,
        min: this.min[i]!,
        max: this.max[i]!,
        n,
      });
    }
    return out;
  }
}

/** The samples of [fromMs, toMs) in at most maxPoints buckets of equal width. */
export function downsample(samples: Iterable<TimedValue>, range: BucketRange): Bucket[] {
  const d = new Downsampler(range);
  d.add(samples);
  return d.buckets();
}
