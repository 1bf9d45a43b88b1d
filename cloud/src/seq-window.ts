/**
 * Which seqs of one device have been handled, for dedup by (device, seq). Seqs mostly come in
 * order, but not always: a device resends what was not acknowledged when its gateway died,
 * after later ones got through. So this is a set, kept as sorted disjoint ranges (normally
 * one), over the last `span` seqs below the highest; anything older counts as handled. Plain
 * data, snapshotted with the actor. Pure.
 */

export interface SeqWindow {
  /** Handled seqs as [from, to] inclusive ranges, ascending, disjoint, not adjacent. */
  readonly ranges: readonly (readonly [number, number])[];
}

export const emptySeqWindow: SeqWindow = { ranges: [] };

export const SEQ_SPAN = 4096;

export function seenSeq(w: SeqWindow, seq: number, span = SEQ_SPAN): boolean {
  const high = w.ranges.at(-1)?.[1];
  if (high === undefined) return false;
  if (seq <= high - span) return true;
  return w.ranges.some(([from, to]) => seq >= from && seq <= to);
}

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
