import { describe, expect, it } from 'vitest';
import { ImuClock } from '../../src/imu/imu-clock.js';

const START = 1_750_000_000_000_000;
const noReplay = () => {
  throw new Error('a live clock must not ask for a replay start');
};

describe('ImuClock on a live line', () => {
  it('keeps the device spacing from the offset of the first sample', () => {
    const clock = new ImuClock();
    expect(clock.stamp(1000, START + 3_000, noReplay)).toBe(START + 3_000);
    // Arrived 8 ms after it was taken this time: the device spacing (10 ms) is kept.
    expect(clock.stamp(1010, START + 21_000, noReplay)).toBe(START + 13_000);
  });

  it('moves to a lower latency when a line arrives faster than the first did', () => {
    const clock = new ImuClock();
    clock.stamp(1000, START + 5_000, noReplay);
    expect(clock.stamp(1010, START + 12_000, noReplay)).toBe(START + 12_000);
    expect(clock.stamp(1020, START + 30_000, noReplay)).toBe(START + 22_000);
  });

  it('keeps the device spacing of lines that came in one read', () => {
    const clock = new ImuClock();
    const read = START + 50_000;
    const times = [1000, 1010, 1020, 1030].map((t) => clock.stamp(t, read, noReplay));
    expect(times.map((t) => t - times[0]!)).toEqual([0, 10_000, 20_000, 30_000]);
    // The next read refines the offset from its first line.
    expect(clock.stamp(1040, START + 45_000, noReplay)).toBe(START + 45_000);
  });

  it('resynchronises when the lines drift later than resyncUs', () => {
    const clock = new ImuClock(500_000);
    clock.stamp(1000, START, noReplay);
    expect(clock.stamp(2000, START + 1_400_000, noReplay)).toBe(START + 1_000_000);
    expect(clock.stamp(3000, START + 2_600_000, noReplay)).toBe(START + 2_600_000);
  });

  it('starts over when the device clock goes backwards (reset or wrap)', () => {
    const clock = new ImuClock();
    clock.stamp(4_294_967_000, START, noReplay);
    expect(clock.stamp(5, START + 400_000, noReplay)).toBe(START + 400_000);
    expect(clock.stamp(15, START + 411_000, noReplay)).toBe(START + 410_000);
  });
});

describe('ImuClock in a replay', () => {
  it('places the first sample at the replay start and keeps the spacing', () => {
    const clock = new ImuClock();
    const start = () => START;
    expect(clock.stamp(5000, undefined, start)).toBe(START);
    expect(clock.stamp(5010, undefined, start)).toBe(START + 10_000);
    expect(clock.stamp(6000, undefined, start)).toBe(START + 1_000_000);
  });

  it('continues from the last time after a device reset', () => {
    const clock = new ImuClock();
    clock.stamp(5000, undefined, () => START);
    clock.stamp(5010, undefined, () => START);
    expect(clock.stamp(0, undefined, () => START)).toBe(START + 10_000);
    expect(clock.stamp(10, undefined, () => START)).toBe(START + 20_000);
  });
});
