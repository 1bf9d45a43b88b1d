import type { Sample } from '@fleetline/proto';

/**
 * Collects samples into telemetry batches bounded by time and by sample count. Pure logic:
 * the caller owns the clock and the sequence numbers.
 */
export class SampleBatcher {
  private samples: Sample[] = [];
  private openedAtMs: number | undefined;

  constructor(
    private readonly maxAgeMs: number,
    private readonly maxSamples: number,
  ) {}

  add(sample: Sample, nowMs: number): void {
    if (this.openedAtMs === undefined) this.openedAtMs = nowMs;
    this.samples.push(sample);
  }

  /** Whether the open batch should be closed now. */
  due(nowMs: number): boolean {
    if (this.samples.length === 0 || this.openedAtMs === undefined) return false;
    return this.samples.length >= this.maxSamples || nowMs - this.openedAtMs >= this.maxAgeMs;
  }

  /** Takes the open batch's samples (possibly none) and starts a new batch. */
  take(): Sample[] {
    const out = this.samples;
    this.samples = [];
    this.openedAtMs = undefined;
    return out;
  }

  get size(): number {
    return this.samples.length;
  }
}
