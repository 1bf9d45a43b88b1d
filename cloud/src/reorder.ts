import type { Sample } from '@fleetline/proto';

/**
 * Puts a vehicle's telemetry back in seq order before its detectors see it. A device numbers
 * its telemetry and events from one counter, and a batch can reach the log after later ones:
 * when a gateway dies holding it, the device sends it again on reconnecting, while the later
 * batches it had sent through another path are already in. Detectors with dwell times and
 * edges (overheat, harsh braking, the crash rule) would read such a batch as time running
 * backwards. So a batch whose predecessors are not all accounted for (seen on either topic)
 * waits, up to `windowMs` of arrival time; after that the gap is given up for lost and what
 * waited goes on. Samples are stored at once whatever happens here: only detection waits.
 * One stream of seqs (one epoch of the device's counter) at a time: when the counter starts
 * again, what waited is let go (see `releaseAll`). Gaps are skipped a range at a time, so a
 * seq that jumps by 2^40 costs what a step of one does.
 * Pure; the state is plain data, kept in the actor's snapshot.
 */

export interface HeldBatch {
  readonly seq: number;
  readonly samples: readonly Sample[];
  readonly receivedAtMs: number;
}

export interface ReorderState {
  /** The lowest seq not accounted for yet; undefined before the first batch. */
  readonly next?: number;
  /** Batches waiting for a gap below them, by seq. */
  readonly held: readonly HeldBatch[];
}

export const emptyReorder: ReorderState = { held: [] };

/**
 * The first seq at or after `from` not accounted for: neither seen on either topic (a held
 * batch's seq counts as seen) nor given up.
 */
export type NextUnaccounted = (from: number) => number;

/**
 * A new batch (its seq already marked as seen). Returns the batches now ready for the
 * detectors, in order: none while it waits, several when it closes a gap.
 */
export function admit(
  state: ReorderState,
  batch: HeldBatch,
  nextUnaccounted: NextUnaccounted,
  windowMs: number,
): { state: ReorderState; ready: HeldBatch[] } {
  const next = state.next ?? batch.seq;
  if (batch.seq < next) {
    // Behind a gap given up already: too late to wait for, it goes on as it is.
    return { state, ready: [batch] };
  }
  const held = [...state.held];
  let at = held.length;
  while (at > 0 && (held[at - 1] as HeldBatch).seq > batch.seq) at--;
  held.splice(at, 0, batch);
  return release({ next, held }, nextUnaccounted, batch.receivedAtMs, windowMs);
}

/**
 * Releases what no longer waits: the batches below the first seq not accounted for, and
 * those that waited longer than `windowMs` by `nowMs` (with everything below them).
 */
export function release(
  state: ReorderState,
  nextUnaccounted: NextUnaccounted,
  nowMs: number,
  windowMs: number,
): { state: ReorderState; ready: HeldBatch[] } {
  if (state.next === undefined) return { state, ready: [] };
  const held = state.held;
  // The gaps under a batch that waited too long are given up, and so are those below it.
  let lastOverdue = -1;
  held.forEach((h, i) => {
    if (h.receivedAtMs + windowMs <= nowMs) lastOverdue = i;
  });
  let next = state.next;
  let n = 0;
  for (;;) {
    next = nextUnaccounted(next);
    while (n < held.length && (held[n] as HeldBatch).seq < next) n++;
    if (n > lastOverdue || n >= held.length) break;
    // The gap under the first batch still held is given up: it goes, and on from there.
    next = (held[n] as HeldBatch).seq + 1;
    n++;
  }
  if (n === 0) return { state: { next, held }, ready: [] };
  return { state: { next, held: held.slice(n) }, ready: held.slice(0, n) };
}

/** The stream ended (its device's counter started again): everything held goes, in order. */
export function releaseAll(state: ReorderState): HeldBatch[] {
  return [...state.held];
}
