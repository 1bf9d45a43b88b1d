import { describe, expect, it } from 'vitest';
import { admit, emptyReorder, type HeldBatch, type ReorderState, release } from '../src/reorder.js';

const batch = (seq: number, receivedAtMs = 1000): HeldBatch => ({
  seq,
  samples: [{ signalId: 1, timeMs: seq * 1000, value: seq }],
  receivedAtMs,
});

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
      const r = admit(state, batch(a.telemetry, a.at), (s) => seen.has(s), windowMs);
      state = r.state;
      out.push(...r.ready.map((b) => b.seq));
    } else if ('event' in a) {
      seen.add(a.event);
      const r = release(state, (s) => seen.has(s), 0, windowMs);
      state = r.state;
      out.push(...r.ready.map((b) => b.seq));
    } else {
      const r = release(state, (s) => seen.has(s), a.tick, windowMs);
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
    const first = admit(emptyReorder, batch(1), (s) => seen.has(s), 30_000);
    const held = admit(first.state, batch(3), (s) => seen.has(s), 30_000);
    expect(held.ready).toEqual([]);
    const restored = JSON.parse(JSON.stringify(held.state)) as ReorderState;
    seen.add(2);
    const after = admit(restored, batch(2), (s) => seen.has(s), 30_000);
    expect(after.ready.map((b) => b.seq)).toEqual([2, 3]);
  });
});
