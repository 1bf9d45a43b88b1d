import fc from 'fast-check';
import { tag, utf8, varint, wire } from '../protobuf-wire.js';

// Damage done to whole encodings: cut, changed, extended, lying about their lengths.

/**
 * A message's bytes, intact or damaged the ways a link or an attacker damages them: cut
 * short, a byte changed, garbage appended, a field's length prefix lying, everything
 * replaced by noise.
 */
export function damaged(message: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    { weight: 4, arbitrary: message },
    message.chain((b) => fc.nat(b.length).map((cut) => b.subarray(0, cut))),
    message.chain((b) =>
      b.length === 0
        ? fc.constant(b)
        : fc.tuple(fc.nat(b.length - 1), fc.integer({ min: 0, max: 255 })).map(([i, v]) => {
            const copy = Uint8Array.from(b);
            copy[i] = v;
            return copy;
          }),
    ),
    fc
      .tuple(message, fc.uint8Array({ minLength: 1, maxLength: 16 }))
      .map(([b, tail]) => Buffer.concat([b, tail])),
    fc.uint8Array({ maxLength: 256 }),
  );
}

/**
 * Length-delimited fields whose length prefix claims far more than follows — e.g. a packed
 * repeated field "of 2^31 elements" in a few bytes. A decoder must refuse them without
 * trying to make room for what they claim.
 */
export const lyingLengths: readonly { what: string; bytes: Uint8Array }[] = [
  { n: 4, what: 'series of 2^31 bytes' },
  { n: 1, what: 'device_id of 2^32 − 1 bytes' },
].map(({ n, what }) => ({
  what,
  bytes: Buffer.concat([
    tag(n, 2),
    varint(n === 4 ? 1n << 31n : 0xffff_ffffn),
    Uint8Array.of(1, 2, 3),
  ]),
}));

/** A series whose packed value_delta field claims 2^31 elements (in a batch). */
export const packedClaimingTwoToThe31 = wire([
  { n: 1, len: utf8('veh-1') },
  { n: 2, varint: 1n },
  { n: 3, varint: 1_764_000_000_000n },
  {
    n: 4,
    len: Buffer.concat([
      wire([
        { n: 1, varint: 1n },
        { n: 2, varint: 0n },
        { n: 3, varint: 1000n },
      ]),
      tag(4, 2),
      varint(1n << 31n),
      Uint8Array.of(2, 2, 2, 2),
    ]),
  },
]);
