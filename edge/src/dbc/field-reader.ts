import { bitChunks } from './bit-layout.js';
import type { SignalValue } from './conversion.js';
import type { DbcSignal } from './model.js';

/**
 * Compiles the raw-value reader of one signal: a function from frame bytes to the signal's
 * raw value, with the byte runs (bit-layout.ts) worked out once.
 *
 *   - Integers up to 53 bits are summed as doubles, exact (run * 2^bit); signed ones are
 *     sign-extended by subtracting 2^length when the top bit is set (two's complement, as
 *     bitstruct's `s<n>` format in cantools).
 *   - 54..64-bit integers are read as two 32-bit halves and come back as a number while they
 *     fit 53 bits, else as a bigint, so no digit is lost.
 *   - float32/float64 signals reinterpret the raw bits as an IEEE-754 value (bitstruct `f32` /
 *     `f64`), whatever the byte order.
 *
 * The caller guarantees the frame holds the message's bytes (decoder.ts checks the length).
 */
export type FieldReader = (data: Uint8Array) => SignalValue;

const scratch = new DataView(new ArrayBuffer(8));
const TWO_32 = 2 ** 32;

export function compileFieldReader(
  signal: Pick<DbcSignal, 'startBit' | 'length' | 'byteOrder' | 'signed' | 'valueType'>,
): FieldReader {
  const { length, signed } = signal;
  const chunks = bitChunks(signal.startBit, signal.length, signal.byteOrder);

  if (signal.valueType === 'float32') {
    const readBits = sumReader(chunks, 0);
    return (data) => {
      scratch.setUint32(0, readBits(data));
      return scratch.getFloat32(0);
    };
  }

  if (signal.valueType === 'float64' || length > 53) {
    const readLow = sumReader(
      chunks.filter((c) => c.valueBit < 32),
      0,
    );
    const readHigh = sumReader(
      chunks.filter((c) => c.valueBit >= 32),
      32,
    );
    if (signal.valueType === 'float64') {
      return (data) => {
        scratch.setUint32(0, readHigh(data));
        scratch.setUint32(4, readLow(data));
        return scratch.getFloat64(0);
      };
    }
    const highBits = length - 32;
    const highHalf = 2 ** (highBits - 1);
    const highFull = 2 ** highBits;
    return (data) => {
      let high = readHigh(data);
      const low = readLow(data);
      if (signed && high >= highHalf) high -= highFull;
      // |high| < 2^21 keeps high * 2^32 + low within 53 bits.
      if (high < 2097152 && high > -2097152) return high * TWO_32 + low;
      return BigInt(high) * 4294967296n + BigInt(low);
    };
  }

  const read = sumReader(chunks, 0);
  if (!signed) return read;
  const half = 2 ** (length - 1);
  const full = 2 ** length;
  return (data) => {
    const v = read(data);
    return v >= half ? v - full : v;
  };
}

/** Sums the runs, each weighted 2^(valueBit - base); specialised for the common shapes. */
function sumReader(
  chunks: readonly { byte: number; shift: number; mask: number; valueBit: number }[],
  base: number,
): (data: Uint8Array) => number {
  const bytes = chunks.map((c) => c.byte);
  const shifts = chunks.map((c) => c.shift);
  const masks = chunks.map((c) => c.mask);
  const weights = chunks.map((c) => 2 ** (c.valueBit - base));
  const n = chunks.length;
  if (n === 0) return () => 0;
  const [b0, s0, m0] = [bytes[0]!, shifts[0]!, masks[0]!];
  if (n === 1) {
    if (s0 === 0 && m0 === 0xff) return (d) => d[b0]!;
    return (d) => (d[b0]! >> s0) & m0;
  }
  const [b1, s1, m1, w1] = [bytes[1]!, shifts[1]!, masks[1]!, weights[1]!];
  if (n === 2) return (d) => ((d[b0]! >> s0) & m0) + ((d[b1]! >> s1) & m1) * w1;
  const [b2, s2, m2, w2] = [bytes[2]!, shifts[2]!, masks[2]!, weights[2]!];
  if (n === 3) {
    return (d) => ((d[b0]! >> s0) & m0) + ((d[b1]! >> s1) & m1) * w1 + ((d[b2]! >> s2) & m2) * w2;
  }
  return (d) => {
    let v = (d[b0]! >> s0) & m0;
    for (let i = 1; i < n; i++) v += ((d[bytes[i]!]! >> shifts[i]!) & masks[i]!) * weights[i]!;
    return v;
  };
}
