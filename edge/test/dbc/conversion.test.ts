import { describe, expect, it } from 'vitest';
import {
  conversionKind,
  integerToPhysical,
  roundHalfEven,
  toPhysical,
  toRaw,
} from '../../src/dbc/conversion.js';

describe('conversion', () => {
  it('should pick the conversion cantools picks from scale, offset and value type', () => {
    expect(conversionKind({ scale: 1, offset: 0, valueType: 'integer' })).toBe('identity');
    expect(conversionKind({ scale: 1, offset: 0, valueType: 'float32' })).toBe('identity');
    expect(conversionKind({ scale: 2, offset: -40, valueType: 'integer' })).toBe('integer');
    expect(conversionKind({ scale: 2, offset: -40, valueType: 'float64' })).toBe('linear');
    expect(conversionKind({ scale: 0.5, offset: 0, valueType: 'integer' })).toBe('linear');
    expect(conversionKind({ scale: 1, offset: 0.5, valueType: 'integer' })).toBe('linear');
  });

  it('should compute linear values as raw * scale + offset in doubles', () => {
    expect(toPhysical('linear', 18, 0.1, -40)).toBe(-38.2);
    expect(toPhysical('linear', 3, 0.1, 0)).toBe(0.30000000000000004);
    // A bigint raw is rounded to the nearest double first, as Python's int * float does.
    expect(toPhysical('linear', 2n ** 64n - 1n, 0.5, 0)).toBe(2 ** 63);
  });

  it('should keep integer conversions exact and switch to bigint only past 2^53', () => {
    expect(integerToPhysical(1000, 3, -7)).toBe(2993);
    expect(integerToPhysical(2 ** 52, 2, -1)).toBe(2 ** 53 - 1);
    expect(integerToPhysical(2 ** 52, 2, 0)).toBe(2n ** 53n);
    expect(integerToPhysical(2 ** 53 - 1, 3, 0)).toBe(3n * (2n ** 53n - 1n));
    expect(integerToPhysical(-(2n ** 63n), 1, -1)).toBe(-(2n ** 63n) - 1n);
    expect(integerToPhysical(2n ** 60n, -1, 2 ** 60)).toBe(0);
  });

  it('should round half to even like Python round()', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5].map(roundHalfEven)).toEqual([0, 2, 2, 0, -2, -2]);
    expect([2.4999999999999996, 2.6, -2.6, 1e300].map(roundHalfEven)).toEqual([2, 3, -3, 1e300]);
    expect(Object.is(roundHalfEven(-0.4), 0)).toBe(true);
  });

  it('should invert conversions like cantools numeric_scaled_to_raw', () => {
    expect(toRaw('linear', -38.2, 0.1, -40, false)).toBe(18);
    expect(toRaw('linear', 1.25, 0.5, 0, false)).toBe(2); // 2.5 -> 2
    expect(toRaw('linear', 1.25, 0.5, 0, true)).toBe(2.5);
    expect(toRaw('identity', 2.5, 1, 0, false)).toBe(2);
    expect(toRaw('integer', 36893488147419103231n, 2, 1, false)).toBe(2n ** 64n - 1n);
    expect(toRaw('integer', 10, 4, 0, false)).toBe(2); // 2.5 -> 2
    expect(toRaw('identity', 2 ** 60, 1, 0, false)).toBe(2n ** 60n);
    expect(toRaw('linear', Number.POSITIVE_INFINITY, 0.5, 0, false)).toBeUndefined();
    expect(toRaw('linear', Number.POSITIVE_INFINITY, 0.5, 0, true)).toBe(Number.POSITIVE_INFINITY);
    expect(toRaw('linear', 1, 0, 0, false)).toBeUndefined();
  });
});
