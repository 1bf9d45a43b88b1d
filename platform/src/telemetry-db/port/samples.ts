/** Samples: one value of one signal of one vehicle at one time, read back by time range. */

export interface SampleRow {
  readonly deviceId: string;
  readonly signalId: number;
  /** Epoch ms; together with device and signal the row's identity. */
  readonly timeMs: number;
  readonly value: number;
}

export interface SampleQuery {
  readonly deviceId: string;
  readonly signalId: number;
  /** Inclusive, epoch ms. */
  readonly fromMs: number;
  /** Exclusive, epoch ms. */
  readonly toMs: number;
  /** At most this many samples, the earliest first. */
  readonly limit: number;
}

export interface StoredSample {
  readonly timeMs: number;
  readonly value: number;
}

/** Samples of one signal in [fromMs, toMs), summarised in buckets of equal width. */
export interface SampleBucketQuery {
  readonly deviceId: string;
  readonly signalId: number;
  /** Inclusive, epoch ms; the first bucket starts here. */
  readonly fromMs: number;
  /** Exclusive, epoch ms. */
  readonly toMs: number;
  /** Whole ms ≥ 1: bucket i is [fromMs + i·widthMs, fromMs + (i + 1)·widthMs). */
  readonly widthMs: number;
  /** At most this many samples are read; a range holding more is not summarised. */
  readonly maxSamples: number;
}

export interface SampleBucket {
  /** Start of the bucket, epoch ms. */
  readonly startMs: number;
  /** How many samples fell into it (at least 1: empty buckets are left out). */
  readonly count: number;
  readonly mean: number;
  readonly min: number;
  readonly max: number;
}

export interface SampleTable {
  /** Upserts samples; a row with the same (device, signal, time) is overwritten. */
  writeSamples(rows: readonly SampleRow[]): Promise<void>;
  /** Samples of one signal of one vehicle in [fromMs, toMs), ordered by time. */
  querySamples(query: SampleQuery): Promise<StoredSample[]>;
  /**
   * The buckets holding samples, in time order, summarised where the data is (so a chart of a
   * long range does not carry every sample out of the database); undefined when the range
   * holds more than maxSamples. Optional: without it, callers page through querySamples.
   */
  bucketSamples?(query: SampleBucketQuery): Promise<SampleBucket[] | undefined>;
}
