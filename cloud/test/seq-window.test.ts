import { describe, expect, it } from 'vitest';
import { addSeq, emptySeqWindow, type SeqWindow, seenSeq } from '../src/seq-window.js';

const add = (w: SeqWindow, ...seqs: number[]) => seqs.reduce((acc, s) => addSeq(acc, s, 100), w);

describe('seq window', () => {
  it('should keep an in-order stream as one range', () => {
    const w = add(emptySeqWindow, 1, 2, 3, 4, 5);
    expect(w.ranges).toEqual([[1, 5]]);
    expect([0, 1, 5, 6].map((s) => seenSeq(w, s, 100))).toEqual([false, true, true, false]);
  });

  it('should take a resent seq that comes after later ones, once', () => {
    // 5 was in flight when the gateway died; 6 and 7 got through; the device resends 5.
    let w = add(emptySeqWindow, 1, 2, 3, 4, 6, 7);
    expect(w.ranges).toEqual([
      [1, 4],
      [6, 7],
    ]);
    expect(seenSeq(w, 5, 100)).toBe(false);
    w = add(w, 5);
    expect(w.ranges).toEqual([[1, 7]]);
    expect(seenSeq(w, 5, 100)).toBe(true);
  });

  it('should count anything older than the span as handled, and stay small', () => {
    let w = emptySeqWindow;
    for (let s = 1; s <= 10_000; s += s % 7 === 0 ? 2 : 1) w = addSeq(w, s, 100);
    expect(seenSeq(w, 10, 100)).toBe(true); // long gone
    expect(w.ranges.length).toBeLessThanOrEqual(16);
    expect(w.ranges[0]?.[0]).toBeGreaterThan(9_900 - 100);
  });

  it('should survive a JSON snapshot', () => {
    const w = add(emptySeqWindow, 3, 9, 4, 8);
    const back = JSON.parse(JSON.stringify(w)) as SeqWindow;
    expect([2, 3, 4, 5, 8, 9, 10].map((s) => seenSeq(back, s, 100))).toEqual([
      false,
      true,
      true,
      false,
      true,
      true,
      false,
    ]);
  });
});
