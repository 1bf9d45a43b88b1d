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

/** Whether a seq was seen, on either topic (a held batch's seq counts as seen). */
export type Accounted = (seq: number) => boolean;

/**
 * A new batch (its seq already marked as seen). Returns the batches now ready for the
 * detectors, in order: none while it waits, several when it closes a gap.
 */
export function admit(
  state: ReorderState,
  batch: HeldBatch,
  accounted: Accounted,
  windowMs: number,
): { state: ReorderState; ready: HeldBatch[] } {
  const next = state.next ?? batch.seq;
  if (batch.seq < next) {
    // Behind a gap given up already: too late to wait for, it goes on as it is.
    return { state, ready: [batch] };
  }
  const held = [...state.held, batch].sort((a, b) => a.seq - b.seq);
  return release({ next, held }, accounted, batch.receivedAtMs, windowMs);
}

/**
 * Releases what no longer waits: the batches below the first seq not accounted for, and
 * those that waited longer than `windowMs` by `nowMs` (with everything below them).
 */
export function release(
  state: ReorderState,
  accounted: Accounted,
  nowMs: number,
  windowMs: number,
): { state: ReorderState; ready: HeldBatch[] } {
  if (state.next === undefined) return { state, ready: [] };
  let next = state.next;
  let held = state.held;
  const ready: HeldBatch[] = [];
  for (;;) {
    while (accounted(next)) next++;
    let n = 0;
    while (n < held.length && (held[n] as HeldBatch).seq < next) n++;
    if (n > 0) {
      ready.push(...held.slice(0, n));
      held = held.slice(n);
    }
    // The gap under the first waiting batch is given up once any batch waited too long.
    const overdue = held.some((h) => h.receivedAtMs + windowMs <= nowMs);
    if (!overdue || held.length === 0) break;
    next = (held[0] as HeldBatch).seq;
  }
  return { state: { next, held }, ready };
}
