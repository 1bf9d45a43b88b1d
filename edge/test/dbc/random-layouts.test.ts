import { seededRandom } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import { networkStartBit } from '../../src/dbc/bit-layout.js';
import { compileDecoder } from '../../src/dbc/decoder.js';
import { compileEncoder } from '../../src/dbc/encoder.js';
import { parseDbc } from '../../src/dbc/parser.js';
import { dbc, randomBytes, referenceRaw } from './helpers.js';

/**
 * Random signal layouts (every length 1..64, both byte orders, signed and unsigned, any start
 * bit that fits) checked against the bit-by-bit oracle, and encoded back.
 */
describe('random signal layouts', () => {
  const random = seededRandom(20240611);
  const pick = (n: number) => Math.floor(random() * n);

  const layouts: { start: number; length: number; order: 0 | 1; signed: boolean; bytes: number }[] =
    [];
  for (let length = 1; length <= 64; length++) {
    for (let k = 0; k < 6; k++) {
      const bytes = Math.max(Math.ceil(length / 8) + pick(3), 1) + (length > 56 ? 1 : 0);
      const frameBits = 8 * Math.min(bytes, 64);
      const order = (k % 2) as 0 | 1;
      let start: number;
      if (order === 1) {
        start = pick(frameBits - length + 1);
      } else {
        // Any MSB position whose run of `length` bits ends inside the frame.
        const network = pick(frameBits - length + 1);
        start = 8 * Math.floor(network / 8) + 7 - (network % 8);
        expect(networkStartBit(start)).toBe(network);
      }
      layouts.push({ start, length, order, signed: k >= 2 && k < 4 ? true : pick(2) === 1, bytes });
    }
  }

  it('should decode every layout like the oracle', () => {
    for (const l of layouts) {
      const text = dbc(
        `BO_ 1 M: ${l.bytes} ECU`,
        ` SG_ S : ${l.start}|${l.length}@${l.order}${l.signed ? '-' : '+'} (1,0) [0|0] "" ECU`,
      );
      const decoder = compileDecoder(parseDbc(text, 'random.dbc').messages[0]!);
      for (let i = 0; i < 10; i++) {
        const data = randomBytes(random, l.bytes);
        const expected = referenceRaw(
          data,
          l.start,
          l.length,
          l.order ? 'little_endian' : 'big_endian',
          l.signed,
        );
        const value = decoder.decode(data).S!;
        expect(BigInt(value), JSON.stringify(l)).toBe(expected);
        // Numbers whenever the value is a safe integer, bigint only beyond.
        expect(typeof value, JSON.stringify(l)).toBe(
          expected >= -(2n ** 53n - 1n) && expected <= 2n ** 53n - 1n ? 'number' : 'bigint',
        );
      }
    }
  });

  it('should encode every layout to exactly the signal bits it decodes from', () => {
    for (const l of layouts) {
      const text = dbc(
        `BO_ 1 M: ${l.bytes} ECU`,
        ` SG_ S : ${l.start}|${l.length}@${l.order}${l.signed ? '-' : '+'} (1,0) [0|0] "" ECU`,
      );
      const message = parseDbc(text, 'random.dbc').messages[0]!;
      const decoder = compileDecoder(message);
      const encoder = compileEncoder(message);
      // The signal's own bits: all ones, from encoding -1 (signed) or the largest value.
      const mask = encoder.encode({ S: l.signed ? -1 : 2n ** BigInt(l.length) - 1n });
      const maskBits = mask.reduce((n, b) => n + b.toString(2).replaceAll('0', '').length, 0);
      expect(maskBits, JSON.stringify(l)).toBe(l.length);
      for (let i = 0; i < 10; i++) {
        const data = randomBytes(random, l.bytes);
        const encoded = encoder.encode(decoder.decode(data));
        expect(encoded, JSON.stringify(l)).toEqual(data.map((b, j) => b & mask[j]!));
      }
    }
  });
});
