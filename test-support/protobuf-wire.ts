/**
 * A protobuf *wire* writer for tests (https://protobuf.dev/programming-guides/encoding/).
 *
 * The generated encoders cannot say what an attacker can: a uint64 of 2^64 − 1 exactly, an
 * int64 of −2^63, a string whose bytes are not UTF-8 (a lone UTF-16 surrogate), a length
 * prefix that lies, a field number the schema does not know. This writer puts on the wire
 * exactly the fields it is given, in order.
 */

/** One field on the wire, in any of the four wire types a proto3 message uses. */
export type WireField =
  | { readonly n: number; readonly varint: bigint }
  | { readonly n: number; readonly i64: bigint | number }
  | { readonly n: number; readonly i32: number }
  | { readonly n: number; readonly len: Uint8Array }
  /** Bytes appended as they are: a tag and value of any kind, or garbage. */
  | { readonly raw: Uint8Array };

/** Base-128 varint of the low 64 bits (a negative int64 takes ten bytes, as protobuf does). */
export function varint(value: bigint): Uint8Array {
  let v = BigInt.asUintN(64, value);
  const out: number[] = [];
  do {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v === 0n ? byte : byte | 0x80);
  } while (v !== 0n);
  return Uint8Array.from(out);
}

/** ZigZag, as sint64 fields carry their values. */
export const zigzag = (v: bigint): bigint => BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));

/** A field's key: its number and wire type. */
export const tag = (n: number, wireType: number) => varint((BigInt(n) << 3n) | BigInt(wireType));

/** The bytes of a message made of these fields, in this order. */
export function wire(fields: readonly WireField[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const f of fields) {
    if ('raw' in f) {
      parts.push(f.raw);
    } else if ('varint' in f) {
      parts.push(tag(f.n, 0), varint(f.varint));
    } else if ('i64' in f) {
      const b = Buffer.alloc(8);
      if (typeof f.i64 === 'number') b.writeDoubleLE(f.i64);
      else b.writeBigUInt64LE(BigInt.asUintN(64, f.i64));
      parts.push(tag(f.n, 1), b);
    } else if ('len' in f) {
      parts.push(tag(f.n, 2), varint(BigInt(f.len.length)), f.len);
    } else {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(f.i32 >>> 0);
      parts.push(tag(f.n, 5), b);
    }
  }
  return Buffer.concat(parts);
}

/** A packed repeated varint field's payload. */
export const packedVarints = (values: readonly bigint[]): Uint8Array =>
  Buffer.concat(values.map(varint));

/** A packed repeated double field's payload. */
export function packedDoubles(values: readonly number[]): Uint8Array {
  const b = Buffer.alloc(values.length * 8);
  for (const [i, v] of values.entries()) b.writeDoubleLE(v, i * 8);
  return b;
}

export const utf8 = (s: string): Uint8Array => Buffer.from(s, 'utf8');

/** One series of a batch: offsets (ms, each after the previous) and values as q on the wire. */
export interface WireSeries {
  signalId: number;
  offsetsMs: readonly number[];
  q: readonly number[];
}

/**
 * A TelemetryBatch written field by field (not through the codec): so that what the codec
 * would refuse to encode — a base time past what a Date holds, say — can still be sent.
 */
export function telemetryWire(b: {
  deviceId: string;
  seq: bigint;
  baseTimeMs: bigint;
  series: readonly WireSeries[];
}): Uint8Array {
  return wire([
    { n: 1, len: utf8(b.deviceId) },
    { n: 2, varint: b.seq },
    { n: 3, varint: b.baseTimeMs },
    ...b.series.map((s) => ({
      n: 4,
      len: wire([
        { n: 1, varint: BigInt(s.signalId) },
        { n: 2, len: packedVarints(s.offsetsMs.map(BigInt)) },
        { n: 4, len: packedVarints(s.q.map((q) => zigzag(BigInt(q)))) },
      ]),
    })),
  ]);
}
