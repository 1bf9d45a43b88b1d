import { describe, expect, it } from 'vitest';
import { decodedSignalsJson, signalValueJson } from '../../src/dbc/json.js';

describe('signal values as JSON', () => {
  it('should print integers past 2^53 with all their digits', () => {
    expect(signalValueJson(18446744073709551615n)).toBe('18446744073709551615');
    expect(signalValueJson(-(2n ** 63n))).toBe('-9223372036854775808');
  });

  it('should print doubles as JavaScript does, -0 with its sign, and non-finite values as null', () => {
    expect(signalValueJson(-38.2)).toBe('-38.2');
    expect(signalValueJson(2 ** 63)).toBe('9223372036854776000');
    expect(signalValueJson(1e21)).toBe('1e+21');
    expect(signalValueJson(-0)).toBe('-0');
    expect(signalValueJson(Number.NaN)).toBe('null');
    expect(signalValueJson(Number.NEGATIVE_INFINITY)).toBe('null');
  });

  it('should write an object in key order that JSON.parse reads back', () => {
    const text = decodedSignalsJson({ B: 1, 'A"quoted': -0.5, C: 2n ** 64n });
    expect(text).toBe('{"B":1,"A\\"quoted":-0.5,"C":18446744073709551616}');
    expect(Object.keys(JSON.parse(text))).toEqual(['B', 'A"quoted', 'C']);
    expect(decodedSignalsJson({})).toBe('{}');
  });
});
