import type { SampleRow } from './samples.js';

/**
 * A vehicle's latest value of each signal. Writes keep, per (device, signal), the value with
 * the latest sample time, whatever order they arrive in (a replayed batch cannot move it back).
 */
export interface LatestValueTable {
  writeLatest(rows: readonly SampleRow[]): Promise<void>;
  /** Every signal's latest value for the vehicle, ordered by signal id. */
  latestValues(deviceId: string): Promise<SampleRow[]>;
}
