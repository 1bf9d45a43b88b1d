import fc from 'fast-check';
import { utf8 } from '../protobuf-wire.js';

/**
 * Extreme field values: the numbers a device may send for seqs, times, ids and doubles, at
 * every edge their wire types have, and string bytes that are not even UTF-8 — with the
 * times that are extreme but still valid.
 */

/** 2^53 − 1 as a bigint: the largest seq a JavaScript number holds exactly. */
export const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const U64 = (1n << 64n) - 1n;
/** The largest epoch ms a JavaScript Date holds (ECMA-262 §21.4.1.22). */
export const MAX_DATE_MS = 8.64e15;

/** uint64 values as a device may send them for seq: 0, 1, 2^40, 2^53 ± 1, 2^64 − 1 … */
export const extremeUint64: fc.Arbitrary<bigint> = fc.oneof(
  fc.constantFrom(0n, 1n, 2n, 1n << 32n, 1n << 40n, MAX_SAFE - 1n, MAX_SAFE, MAX_SAFE + 1n),
  fc.constantFrom(1n << 63n, U64 - 1n, U64),
  fc.bigInt(0n, U64),
  fc.bigInt(0n, 1n << 20n),
);

/** int64 values for epoch-ms fields: 0, −1, −2^63, 9e15, past the Date range, 2^63 − 1 … */
export const extremeInt64: fc.Arbitrary<bigint> = fc.oneof(
  fc.constantFrom(0n, 1n, -1n, -(1n << 63n), (1n << 63n) - 1n, MAX_SAFE, MAX_SAFE + 1n),
  fc.constantFrom(9_000_000_000_000_000n, 8_640_000_000_000_000n, 8_640_000_000_000_001n),
  // Plausible times now, so that messages also get past the time checks.
  fc.bigInt(1_500_000_000_000n, 4_200_000_000_000n),
  fc.bigInt(-(1n << 63n), (1n << 63n) - 1n),
);

/** uint32 values (signal ids, time offsets, intervals) and what overflows them on the wire. */
export const extremeUint32: fc.Arbitrary<bigint> = fc.oneof(
  fc.constantFrom(0n, 1n, 1000n, 0xffff_ffffn, 0x1_0000_0000n, U64),
  fc.bigInt(0n, 0xffff_ffffn),
  fc.bigInt(0n, 40n),
);

/** Doubles at every edge IEEE 754 has: NaN, ±∞, −0, subnormals, the largest finite. */
export const extremeDouble: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -0,
    0,
    Number.MIN_VALUE,
    -Number.MIN_VALUE,
    2.2250738585072014e-308, // smallest normal
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
    Number.MAX_SAFE_INTEGER,
  ),
  fc.double(),
  fc.double({ min: -200, max: 200, noNaN: true }),
);

/** Enum values on the wire: known ones, unknown ones, negative (a ten-byte varint). */
export const extremeEnum = (known: number): fc.Arbitrary<bigint> =>
  fc.oneof(
    fc.bigInt(0n, BigInt(known)),
    fc.constantFrom(BigInt(known + 1), 99n, -1n, 0x7fff_ffffn, U64),
  );

/** The bytes of a string field: valid ids and text, and what is not UTF-8 at all. */
export const hostileStringBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  // constantFrom shrinks towards its first value: a short, valid one.
  fc.constantFrom(
    utf8('a'),
    utf8(''),
    utf8('a'.repeat(64)),
    utf8('a'.repeat(65)), // one past the device id limit (and agent_version's, a trigger name's)
    utf8('a'.repeat(128)),
    utf8('a'.repeat(129)), // one past command_id's, condition_key's and a setting key's limit
    utf8('\u{1F697}'.repeat(64)), // 64 characters in 128 UTF-16 units
    utf8('\u{1F697}'.repeat(65)),
    utf8('b'.repeat(4097)), // one past a setting value's limit
    utf8('veh/../+/#'),
    utf8('车辆-0001'), // non-ASCII
    utf8('veh\u0000nul'),
    utf8('\u{1F697}'), // astral plane, a surrogate pair in UTF-16
    Uint8Array.of(0xed, 0xa0, 0x80), // a lone high surrogate (U+D800) as bytes
    Uint8Array.of(0x61, 0xed, 0xbf, 0xbf, 0x62), // a lone low surrogate (U+DFFF) inside text
    Uint8Array.of(0xc0, 0x80), // overlong NUL
    Uint8Array.of(0xe2, 0x82), // truncated sequence
    Uint8Array.of(0xff, 0xfe),
    utf8('x'.repeat(100_000)), // huge
  ),
  fc.string({ unit: 'grapheme', maxLength: 40 }).map(utf8),
  fc.uint8Array({ maxLength: 24 }),
);

/** A device id that passes the topic scheme, mostly — so that decoding gets past it. */
export const deviceIdBytes = (deviceId: string): fc.Arbitrary<Uint8Array> =>
  fc.oneof({ weight: 4, arbitrary: fc.constant(utf8(deviceId)) }, hostileStringBytes);

// ── extreme but valid: what passes the wire contract, at its edges ───────────────────────

/** Epoch ms the contract accepts, at its edges: 1970, now, the far end of what a Date holds. */
export const extremeValidTimeMs: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, 1, 86_400_000, 1_764_000_000_000, MAX_DATE_MS - 0xffff_ffff, MAX_DATE_MS),
  fc.integer({ min: 1_700_000_000_000, max: 1_800_000_000_000 }),
  fc.integer({ min: 0, max: MAX_DATE_MS }),
);
