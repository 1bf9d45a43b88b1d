import { describe, expect, it } from 'vitest';
import {
  addSeq,
  emptySeqWindow,
  handledThrough,
  type SeqWindow,
  seqStatus,
} from '../src/seq-window.js';

const add = (w: SeqWindow, ...seqs: number[]) => seqs.reduce((acc, s) => addSeq(acc, s, 100), w);
const status = (w: SeqWindow, ...seqs: number[]) => seqs.map((s) => seqStatus(w, s, 100));

describe('seq window', () => {
  it('should keep an in-order stream as one range', () => {
    const w = add(emptySeqWindow, 1, 2, 3, 4, 5);
    expect(w.ranges).toEqual([[1, 5]]);
    expect(status(w, 0, 1, 5, 6)).toEqual(['new', 'seen', 'seen', 'new']);
  });

  it('should take a resent seq that comes after later ones, once', () => {
    // 5 was in flight when the gateway died; 6 and 7 got through; the device resends 5.
    let w = add(emptySeqWindow, 1, 2, 3, 4, 6, 7);
    expect(w.ranges).toEqual([
      [1, 4],
      [6, 7],
    ]);
    expect(status(w, 5)).toEqual(['new']);
    w = add(w, 5);
    expect(w.ranges).toEqual([[1, 7]]);
    expect(status(w, 5)).toEqual(['seen']);
  });

  it('should call a seq older than the span behind, not handled, and stay small', () => {
    let w = emptySeqWindow;
    for (let s = 1; s <= 10_000; s += s % 7 === 0 ? 2 : 1) w = addSeq(w, s, 100);
    // Nothing is resent from that far back: a counter that started again (seq-streams.ts).
    expect(status(w, 10, 9_900, 9_901)).toEqual(['behind', 'behind', 'seen']);
    expect(w.ranges.length).toBeLessThanOrEqual(16);
    expect(w.ranges[0]?.[0]).toBeGreaterThan(9_900 - 100);
  });

  it('should survive a JSON snapshot', () => {
    const w = add(emptySeqWindow, 3, 9, 4, 8);
    const back = JSON.parse(JSON.stringify(w)) as SeqWindow;
    expect(status(back, 2, 3, 4, 5, 8, 9, 10)).toEqual([
      'new',
      'seen',
      'seen',
      'new',
      'seen',
      'seen',
      'new',
    ]);
  });

  it('should tell how far the handled seqs run from a seq, a range at a time', () => {
    const w = add(emptySeqWindow, 3, 4, 5, 7, 8);
    expect([2, 3, 5, 6, 7, 9].map((s) => handledThrough(w, s, 100))).toEqual([1, 5, 5, 5, 8, 8]);
    expect(handledThrough(emptySeqWindow, 42, 100)).toBe(41);
  });

  it('should handle seqs from 0 to 2^53 − 1 and jumps between them in O(ranges)', () => {
    const max = Number.MAX_SAFE_INTEGER;
    let w = add(emptySeqWindow, 0, 1);
    w = addSeq(w, 2 ** 40, 100);
    // Everything up to 100 below the jump is behind; the window is one range again.
    expect(w.ranges).toEqual([[2 ** 40, 2 ** 40]]);
    expect(handledThrough(w, 2, 100)).toBe(2 ** 40 - 100);
    expect(status(w, 1, 2 ** 40 - 100, 2 ** 40 - 99, 2 ** 40)).toEqual([
      'behind',
      'behind',
      'new',
      'seen',
    ]);
    w = add(w, max - 1, max);
    expect(w.ranges).toEqual([[max - 1, max]]);
    expect(handledThrough(w, max - 1, 100)).toBe(max);
    expect(status(w, max, 0)).toEqual(['seen', 'behind']);
  });
});
