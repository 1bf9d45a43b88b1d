import { describe, expect, it } from 'vitest';
import {
  admit,
  emptyReorder,
  type HeldBatch,
  type NextUnaccounted,
  type ReorderState,
  release,
  releaseAll,
} from '../src/reorder.js';
import { admitSeq, nextUnaccounted, type SeqStreams } from '../src/seq-streams.js';

const batch = (seq: number, receivedAtMs = 1000): HeldBatch => ({
  seq,
  samples: [{ signalId: 1, timeMs: seq * 1000, value: seq }],
  receivedAtMs,
});

/** The first seq from `from` on that is not in `seen`. */
const notIn =
  (seen: ReadonlySet<number>): NextUnaccounted =>
  (from) => {
    let n = from;
    while (seen.has(n)) n++;
    return n;
  };

/** Feeds batches and events as the actor does, returning the seqs in detection order. */
function run(
  arrivals: ({ telemetry: number; at?: number } | { event: number } | { tick: number })[],
  windowMs = 30_000,
): number[] {
  const seen = new Set<number>();
  let state: ReorderState = emptyReorder;
  const out: number[] = [];
  for (const a of arrivals) {
    if ('telemetry' in a) {
      seen.add(a.telemetry);
      const r = admit(state, batch(a.telemetry, a.at), notIn(seen), windowMs);
      state = r.state;
      out.push(...r.ready.map((b) => b.seq));
    } else if ('event' in a) {
      seen.add(a.event);
      const r = release(state, notIn(seen), 0, windowMs);
      state = r.state;
      out.push(...r.ready.map((b) => b.seq));
    } else {
      const r = release(state, notIn(seen), a.tick, windowMs);
      state = r.state;
      out.push(...r.ready.map((b) => b.seq));
    }
  }
  return out;
}

describe('reorder', () => {
  it('should pass batches in order straight through', () => {
    expect(run([{ telemetry: 1 }, { telemetry: 2 }, { telemetry: 3 }])).toEqual([1, 2, 3]);
  });

  it('should hold batches behind a gap and release them in order when it closes', () => {
    expect(run([{ telemetry: 1 }, { telemetry: 3 }, { telemetry: 4 }])).toEqual([1]);
    expect(run([{ telemetry: 1 }, { telemetry: 3 }, { telemetry: 4 }, { telemetry: 2 }])).toEqual([
      1, 2, 3, 4,
    ]);
  });

  it('should count an event’s seq as accounted for (the device numbers both from one counter)', () => {
    expect(run([{ telemetry: 1 }, { telemetry: 3 }])).toEqual([1]);
    expect(run([{ telemetry: 1 }, { telemetry: 3 }, { event: 2 }])).toEqual([1, 3]);
    expect(run([{ telemetry: 1 }, { event: 2 }, { telemetry: 3 }])).toEqual([1, 3]);
  });

  it('should give a gap up after the window, by arrival time or by the clock', () => {
    expect(
      run([
        { telemetry: 1, at: 0 },
        { telemetry: 3, at: 1000 },
        { telemetry: 4, at: 2000 },
        { telemetry: 5, at: 31_000 },
      ]),
    ).toEqual([1, 3, 4, 5]);
    expect(run([{ telemetry: 1, at: 0 }, { telemetry: 3, at: 1000 }, { tick: 20_000 }])).toEqual([
      1,
    ]);
    expect(run([{ telemetry: 1, at: 0 }, { telemetry: 3, at: 1000 }, { tick: 31_000 }])).toEqual([
      1, 3,
    ]);
  });

  it('should pass a batch from behind a gap given up as it comes, once', () => {
    expect(
      run([
        { telemetry: 1, at: 0 },
        { telemetry: 3, at: 1000 },
        { tick: 40_000 },
        { telemetry: 2, at: 41_000 },
        { telemetry: 4, at: 42_000 },
      ]),
    ).toEqual([1, 3, 2, 4]);
  });

  it('should survive a JSON round trip of its state', () => {
    const seen = new Set([1, 3]);
    const first = admit(emptyReorder, batch(1), notIn(seen), 30_000);
    const held = admit(first.state, batch(3), notIn(seen), 30_000);
    expect(held.ready).toEqual([]);
    const restored = JSON.parse(JSON.stringify(held.state)) as ReorderState;
    seen.add(2);
    const after = admit(restored, batch(2), notIn(seen), 30_000);
    expect(after.ready.map((b) => b.seq)).toEqual([2, 3]);
  });
});

describe('reorder at extreme seqs', () => {
  /**
   * Batches and events through real seq windows, as the actor keeps them; every question to
   * the windows is counted, so walking a gap seq by seq fails at once instead of hanging.
   */
  function runStream(arrivals: ({ telemetry: number } | { event: number } | { tick: number })[]) {
    let streams: SeqStreams = [];
    let state: ReorderState = emptyReorder;
    let asked = 0;
    const next: NextUnaccounted = (from) => {
      if (++asked > 1000) throw new Error('the reorder buffer walks the seqs one by one');
      return nextUnaccounted(streams[0] as SeqStreams[number], from);
    };
    const out: number[] = [];
    for (const a of arrivals) {
      if ('tick' in a) {
        const r = release(state, next, a.tick, 30_000);
        state = r.state;
        out.push(...r.ready.map((b) => b.seq));
        continue;
      }
      const topic = 'telemetry' in a ? 'telemetry' : 'events';
      const seq = 'telemetry' in a ? a.telemetry : a.event;
      const v = admitSeq(streams, { topic, epoch: 0, seq, timeMs: 0 });
      if (v.kind === 'duplicate') continue;
      streams = v.streams;
      const r =
        topic === 'telemetry'
          ? admit(state, batch(seq), next, 30_000)
          : release(state, next, 0, 30_000);
      state = r.state;
      out.push(...r.ready.map((b) => b.seq));
    }
    return { out, asked, state };
  }

  it('should go past a gap of 2^40 in a few steps', () => {
    // What lies within the window below the jump could still come (a resend) and is waited
    // for, as any gap; everything below the window is given up at once.
    const r = runStream([
      { telemetry: 1 },
      { telemetry: 2 ** 40 },
      { telemetry: 2 ** 40 + 1 },
      { tick: 29_000 },
      { tick: 31_000 },
      { telemetry: 2 ** 40 + 2 },
    ]);
    expect(r.out).toEqual([1, 2 ** 40, 2 ** 40 + 1, 2 ** 40 + 2]);
    expect(r.asked).toBeLessThan(10);
  });

  it('should go past a gap that an event far ahead leaves', () => {
    const r = runStream([{ telemetry: 1 }, { telemetry: 3 }, { event: 2 ** 45 }, { telemetry: 4 }]);
    expect(r.out).toEqual([1, 3, 4]);
  });

  it('should take 0 and 2^53 − 1', () => {
    const max = Number.MAX_SAFE_INTEGER;
    const r = runStream([
      { telemetry: 0 },
      { telemetry: max - 1 },
      { telemetry: max },
      { tick: 31_000 },
    ]);
    expect(r.out).toEqual([0, max - 1, max]);
    expect(r.asked).toBeLessThan(10);
    expect(r.state.next).toBe(2 ** 53);
  });

  it('should let everything held go, in order, when its stream ends', () => {
    const seen = new Set([1, 4, 3]);
    let state = admit(emptyReorder, batch(1), notIn(seen), 30_000).state;
    state = admit(state, batch(4), notIn(seen), 30_000).state;
    state = admit(state, batch(3), notIn(seen), 30_000).state;
    expect(releaseAll(state).map((b) => b.seq)).toEqual([3, 4]);
  });
});
