import { describe, expect, it } from 'vitest';
import { OncePerInterval } from '../src/once-per-interval.js';

describe('OncePerInterval', () => {
  it('should give each key one turn per interval, and count the times left out', () => {
    let now = 0;
    const once = new OncePerInterval(1000, () => now);
    expect(once.take('a')).toEqual({ leftOut: 0 });
    expect(once.take('b')).toEqual({ leftOut: 0 }); // another key has its own interval
    now = 999;
    expect(once.take('a')).toBeUndefined();
    expect(once.take('a')).toBeUndefined();
    now = 1000;
    expect(once.take('a')).toEqual({ leftOut: 2 });
    expect(once.take('a')).toBeUndefined();
    now = 5000;
    expect(once.take('a')).toEqual({ leftOut: 1 });
    expect(once.take('b')).toEqual({ leftOut: 0 });
  });

  it('should measure the interval from the last turn, not from the first', () => {
    let now = 0;
    const once = new OncePerInterval(1000, () => now);
    once.take();
    now = 1500;
    expect(once.take()).toEqual({ leftOut: 0 });
    now = 2400;
    expect(once.take()).toBeUndefined();
  });
});
