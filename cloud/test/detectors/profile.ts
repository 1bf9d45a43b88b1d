import { type Sample, type SignalName, signalId } from '@fleetline/proto';

/** Samples of one signal every `periodMs` from `startMs`, one per value. */
export function series(
  name: SignalName,
  startMs: number,
  periodMs: number,
  values: readonly number[],
): Sample[] {
  const id = signalId(name);
  return values.map((value, i) => ({ signalId: id, timeMs: startMs + i * periodMs, value }));
}

/** `count` values going linearly from `from` to `to`. */
export function ramp(from: number, to: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => from + ((to - from) * i) / Math.max(1, count - 1));
}

export const hold = (value: number, count: number): number[] => Array(count).fill(value);

/** Merges sample lists into one stream in time order, as an actor receives them. */
export function merged(...lists: Sample[][]): Sample[] {
  return lists.flat().sort((a, b) => a.timeMs - b.timeMs);
}

/** Runs a detector over samples in batches of `batch`, carrying its state. */
export function runInBatches<
  S,
  F extends { raised: readonly unknown[]; cleared: readonly unknown[] },
>(
  detector: { initial: S; step(state: S, samples: readonly Sample[]): { state: S; findings: F } },
  samples: readonly Sample[],
  batch: number,
) {
  let state = detector.initial;
  const raised: F['raised'][number][] = [];
  const cleared: F['cleared'][number][] = [];
  for (let i = 0; i < samples.length; i += batch) {
    const r = detector.step(state, samples.slice(i, i + batch));
    state = r.state;
    raised.push(...r.findings.raised);
    cleared.push(...r.findings.cleared);
  }
  return { state, raised, cleared };
}
