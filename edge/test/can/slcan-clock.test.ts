import { describe, expect, it } from 'vitest';
import { SlcanClock } from '../../src/can/slcan-clock.js';

const H = 1_764_000_000_000_000; // a host receive time, epoch µs
const ms = 1000;
const s = 1_000_000;

describe('SLCAN time stamp clock', () => {
  it('stamps the first frame with its host receive time', () => {
    expect(new SlcanClock().toEpochUs(12_345, H)).toBe(H);
  });

  it("keeps the adapter's spacing when the host reads frames in late batches", () => {
    const clock = new SlcanClock();
    expect(clock.toEpochUs(1000, H)).toBe(H);
    expect(clock.toEpochUs(1010, H + 12 * ms)).toBe(H + 10 * ms);
    expect(clock.toEpochUs(1020, H + 25 * ms)).toBe(H + 20 * ms);
  });

  it('carries on across the wrap at 60000 ms', () => {
    const clock = new SlcanClock();
    clock.toEpochUs(59_990, H);
    expect(clock.toEpochUs(10, H + 21 * ms)).toBe(H + 20 * ms);
  });

  it('counts whole minutes of silence from the host clock', () => {
    const clock = new SlcanClock();
    clock.toEpochUs(1000, H);
    // 500 ms on the adapter's counter, but the host saw a minute more pass.
    expect(clock.toEpochUs(1500, H + 60 * s + 501 * ms)).toBe(H + 60 * s + 500 * ms);
    // The same counter value two minutes later is two minutes later, not the same time.
    expect(clock.toEpochUs(1500, H + 180 * s + 502 * ms)).toBe(H + 180 * s + 500 * ms);
  });

  it('never stamps a frame later than the host received it, and learns from the prompt frame', () => {
    const clock = new SlcanClock();
    // The first frame reached the host 5 ms late, so the mapping starts 5 ms fast.
    clock.toEpochUs(0, H + 5 * ms);
    // This one came promptly: it cannot be later than its host time; the offset is corrected.
    expect(clock.toEpochUs(10, H + 10 * ms)).toBe(H + 10 * ms);
    // A later, delayed frame is placed by the corrected offset.
    expect(clock.toEpochUs(20, H + 30 * ms)).toBe(H + 20 * ms);
  });

  it('re-anchors on the host time once a slow adapter clock falls behind by more than the skew', () => {
    const clock = new SlcanClock(1000);
    let host = H;
    let adapter = 0;
    clock.toEpochUs(adapter, host);
    const behind: number[] = [];
    for (let i = 0; i < 30; i++) {
      // The adapter counts 1000 ms while the host counts 1100: 10 % slow, to show it quickly.
      adapter = (adapter + 1000) % 60_000;
      host += 1100 * ms;
      const t = clock.toEpochUs(adapter, host);
      behind.push(host - t);
    }
    expect(Math.max(...behind)).toBeLessThanOrEqual(1000 * ms);
    expect(behind).toContain(0); // it did re-anchor
    expect(behind.slice(0, 9)).toEqual(Array.from({ length: 9 }, (_, i) => (i + 1) * 100 * ms));
  });
});
