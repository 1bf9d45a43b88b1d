import { describe, expect, it } from 'vitest';
import { signalId } from '../src/index.js';
import { earliestTime } from '../src/series.js';

describe('earliestTime', () => {
  const speed = signalId('Vehicle.Speed');

  it('should give the earliest sample time, in any order, and undefined for no samples', () => {
    expect(earliestTime([])).toBeUndefined();
    const times = [30, 10, 20];
    expect(earliestTime(times.map((timeMs) => ({ signalId: speed, timeMs, value: 0 })))).toBe(10);
  });
});
