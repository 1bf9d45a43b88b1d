/**
 * Which seqs of one device's stream have been handled, for dedup by (device, epoch, seq).
 * Seqs mostly come in order, but not always: a device resends what was not acknowledged when
 * its gateway died, after later ones got through. So this is a set, kept as sorted disjoint
 * ranges (normally one), over the last `span` seqs up to the highest. Plain data, snapshotted
 * with the actor. Pure, and every function costs O(ranges), never O(seqs): a seq may be
 * anything from 0 to 2^53 − 1, and jump by as much.
 *
 * A seq more than `span` below the highest is `behind`: not a redelivery, since a device
 * re-sends at most its in-flight window (the agent's is at most 1,000) and the processor
 * replays at most a consumer batch (2,000 records) past a snapshot, both well inside the span.
 * What comes that far behind is a counter that started again (see seq-streams.ts).
 */

export interface SeqWindow {
  /** Handled seqs as [from, to] inclusive ranges, ascending, disjoint, not adjacent. */
  readonly ranges: readonly (readonly [number, number])[];
}

export const emptySeqWindow: SeqWindow = { ranges: [] };

export const SEQ_SPAN = 4096;

export type SeqStatus = 'new' | 'seen' | 'behind';

/** The highest seq handled, if any. */
export function highestSeq(w: SeqWindow): number | undefined {
  return w.ranges.at(-1)?.[1];
}

export function seqStatus(w: SeqWindow, seq: number, span = SEQ_SPAN): SeqStatus {
  const high = highestSeq(w);
  if (high === undefined) return 'new';
  if (seq <= high - span) return 'behind';
  return w.ranges.some(([from, to]) => seq >= from && seq <= to) ? 'seen' : 'new';
}

/** Adds a seq that is not behind (a behind one would fall outside the window at once). */
export function addSeq(w: SeqWindow, seq: number, span = SEQ_SPAN): SeqWindow {
  const ranges: [number, number][] = [];
  let placed = false;
  for (const [from, to] of w.ranges) {
    if (placed || seq > to + 1) {
      ranges.push([from, to]);
      continue;
    }
    if (seq < from - 1) {
      ranges.push([seq, seq], [from, to]);
    } else {
      ranges.push([Math.min(from, seq), Math.max(to, seq)]);
    }
    placed = true;
  }
  if (!placed) ranges.push([seq, seq]);
  // Merge ranges that the new seq made adjacent.
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged.at(-1);
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  const floor = (merged.at(-1)?.[1] ?? seq) - span;
  return {
    ranges: merged
      .filter(([, to]) => to > floor)
      .map(([from, to]) => [Math.max(from, floor + 1), to]),
  };
}

/**
 * The end of the run of seqs from `seq` on that are handled or behind — nothing will be waited
 * for there: `seq − 1` when `seq` itself is neither. One pass over the ranges.
 */
export function handledThrough(w: SeqWindow, seq: number, span = SEQ_SPAN): number {
  const high = highestSeq(w);
  if (high === undefined) return seq - 1;
  let through = Math.max(seq - 1, high - span);
  for (const [from, to] of w.ranges) {
    if (from > through + 1) break;
    if (to > through) through = to;
  }
  return through;
}
