import fc from 'fast-check';
import {
  packedDoubles,
  packedVarints,
  tag,
  telemetryWire,
  utf8,
  varint,
  type WireField,
  wire,
  zigzag,
} from './protobuf-wire.js';

/**
 * Hostile input for property-based tests: what a device (or anything else that can write to
 * a topic) may put on the wire, at the extremes of every field — and bytes that are not a
 * valid encoding at all.
 *
 * Messages are built with the wire writer of ./protobuf-wire.ts rather than the generated
 * encoders, which cannot say what an attacker can (see there).
 *
 * Field numbers are those of proto/schema/fleetline/telemetry/v1/*.proto.
 */

// ── extreme values ───────────────────────────────────────────────────────────────────────

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
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

/** Usually the field, sometimes left out (proto3: absent is the default value). */
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.option(arb, { freq: 5, nil: undefined });

const present = <T extends WireField>(f: T | undefined): f is T => f !== undefined;

// ── hostile messages, one arbitrary per wire message ─────────────────────────────────────

/** A SignalSeries at the extremes: ids, offsets, intervals, and many values. */
export const hostileSeries: fc.Arbitrary<Uint8Array> = fc
  .record({
    signalId: maybe(fc.oneof(fc.bigInt(1n, 33n), extremeUint32)),
    times: maybe(fc.array(extremeUint32, { maxLength: 40 })),
    packedTimes: fc.boolean(),
    interval: maybe(extremeUint32),
    deltas: maybe(
      fc.oneof(
        fc.array(fc.bigInt(-1000n, 1000n), { maxLength: 40 }),
        fc.array(extremeInt64, { maxLength: 8 }),
      ),
    ),
    doubles: maybe(fc.array(extremeDouble, { maxLength: 40 })),
  })
  .map((s) =>
    wire(
      [
        s.signalId === undefined ? undefined : { n: 1, varint: s.signalId },
        ...(s.times === undefined
          ? []
          : s.packedTimes
            ? [{ n: 2, len: packedVarints(s.times) }]
            : s.times.map((t) => ({ n: 2, varint: t }))),
        s.interval === undefined ? undefined : { n: 3, varint: s.interval },
        s.deltas === undefined
          ? undefined
          : { n: 4, len: packedVarints(s.deltas.map((d) => zigzag(d))) },
        s.doubles === undefined ? undefined : { n: 5, len: packedDoubles(s.doubles) },
      ].filter(present),
    ),
  );

/** Fields no version of the schema has: a newer agent's, or noise. Decoders skip them. */
export const unknownFields: fc.Arbitrary<WireField[]> = fc.array(
  fc.oneof(
    fc.record({ n: fc.integer({ min: 20, max: (1 << 29) - 1 }), varint: extremeUint64 }),
    fc.record({ n: fc.integer({ min: 20, max: 1000 }), i64: extremeDouble }),
    fc.record({ n: fc.integer({ min: 20, max: 1000 }), i32: fc.integer() }),
    fc.record({ n: fc.integer({ min: 20, max: 1000 }), len: fc.uint8Array({ maxLength: 16 }) }),
  ),
  { maxLength: 3 },
);

const seriesFields = (n: number) =>
  fc.array(hostileSeries, { maxLength: 6 }).map((list) => list.map((len) => ({ n, len })));

/** TelemetryBatch (device_id 1, seq 2, base_time_ms 3, series 4) for this device. */
export const hostileTelemetryFields = (deviceId: string): fc.Arbitrary<WireField[]> =>
  fc
    .tuple(
      maybe(deviceIdBytes(deviceId)),
      maybe(extremeUint64),
      maybe(extremeInt64),
      seriesFields(4),
      unknownFields,
    )
    .map(([id, seq, base, series, unknown]) =>
      [
        id && { n: 1, len: id },
        seq === undefined ? undefined : { n: 2, varint: seq },
        base === undefined ? undefined : { n: 3, varint: base },
        ...series,
        ...unknown,
      ].filter(present),
    );

/** SAE J2012 codes, well and badly formed. */
const troubleCode: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.stringMatching(/^[PCBU][0-3][0-9A-F]{3}$/).map(utf8),
  fc.constantFrom(utf8('P0301'), utf8('U0100'), utf8(''), utf8('X9999'), utf8('P03011234')),
  hostileStringBytes,
);

const collision = fc
  .tuple(
    maybe(extremeEnum(2)),
    maybe(extremeDouble),
    maybe(extremeDouble),
    maybe(extremeEnum(5)),
    maybe(extremeDouble),
    maybe(extremeDouble),
    maybe(extremeDouble),
    maybe(extremeInt64),
    seriesFields(9),
  )
  .map(([severity, peakG, deltaV, direction, lat, lon, speed, windowBase, window]) =>
    wire(
      [
        severity === undefined ? undefined : { n: 1, varint: severity },
        peakG === undefined ? undefined : { n: 2, i64: peakG },
        deltaV === undefined ? undefined : { n: 3, i64: deltaV },
        direction === undefined ? undefined : { n: 4, varint: direction },
        lat === undefined ? undefined : { n: 5, i64: lat },
        lon === undefined ? undefined : { n: 6, i64: lon },
        speed === undefined ? undefined : { n: 7, i64: speed },
        windowBase === undefined ? undefined : { n: 8, varint: windowBase },
        ...window,
      ].filter(present),
    ),
  );

const triggerCapture = fc
  .tuple(
    maybe(hostileStringBytes),
    maybe(extremeInt64),
    maybe(extremeUint64),
    maybe(extremeInt64),
    seriesFields(5),
  )
  .map(([name, at, related, windowBase, window]) =>
    wire(
      [
        name && { n: 1, len: name },
        at === undefined ? undefined : { n: 2, varint: at },
        related === undefined ? undefined : { n: 3, varint: related },
        windowBase === undefined ? undefined : { n: 4, varint: windowBase },
        ...window,
      ].filter(present),
    ),
  );

/** Event (device_id 1, seq 2, time_ms 3, one of collision 10 / trouble_codes 11 / trigger_capture 12). */
export const hostileEventFields = (deviceId: string): fc.Arbitrary<WireField[]> =>
  fc
    .tuple(
      maybe(deviceIdBytes(deviceId)),
      maybe(extremeUint64),
      maybe(extremeInt64),
      fc.array(
        fc.oneof(
          collision.map((len) => ({ n: 10, len })),
          fc
            .array(troubleCode, { maxLength: 20 })
            .map((codes) => ({ n: 11, len: wire(codes.map((len) => ({ n: 1, len }))) })),
          triggerCapture.map((len) => ({ n: 12, len })),
        ),
        { maxLength: 2 },
      ),
      unknownFields,
    )
    .map(([id, seq, time, payloads, unknown]) =>
      [
        id && { n: 1, len: id },
        seq === undefined ? undefined : { n: 2, varint: seq },
        time === undefined ? undefined : { n: 3, varint: time },
        ...payloads,
        ...unknown,
      ].filter(present),
    );

/** DeviceStatus (device_id 1, time_ms 2, state 3, agent_version 4). */
export const hostileStatusFields = (deviceId: string): fc.Arbitrary<WireField[]> =>
  fc
    .tuple(
      maybe(deviceIdBytes(deviceId)),
      maybe(extremeInt64),
      maybe(extremeEnum(2)),
      maybe(hostileStringBytes),
      unknownFields,
    )
    .map(([id, time, state, version, unknown]) =>
      [
        id && { n: 1, len: id },
        time === undefined ? undefined : { n: 2, varint: time },
        state === undefined ? undefined : { n: 3, varint: state },
        version && { n: 4, len: version },
        ...unknown,
      ].filter(present),
    );

const mapEntry = (key: Uint8Array, value: WireField) => wire([{ n: 1, len: key }, value]);

/**
 * Map entries: a few with hostile keys and values, or many with short distinct keys — past
 * the limits on entries (64 settings, 32 evidence values) and up to them.
 */
const mapEntries = <V>(
  value: fc.Arbitrary<V>,
  many: number,
  small: fc.Arbitrary<V>,
): fc.Arbitrary<(readonly [Uint8Array, V])[]> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.array(fc.tuple(hostileStringBytes, value), { maxLength: 4 }) },
    fc
      .tuple(fc.integer({ min: many - 2, max: many + 2 }), small)
      .map(([n, v]) => Array.from({ length: n }, (_, i) => [utf8(`k${i}`), v] as const)),
  );

/** Command (command_id 1, device_id 2, issued_at_ms 3, expires_at_ms 4, ping 10, set_config 11). */
export const hostileCommandFields = (deviceId: string): fc.Arbitrary<WireField[]> =>
  fc
    .tuple(
      maybe(hostileStringBytes),
      maybe(deviceIdBytes(deviceId)),
      maybe(extremeInt64),
      maybe(extremeInt64),
      fc.oneof(
        fc.constant([] as WireField[]),
        fc.constant([{ n: 10, len: new Uint8Array() }]),
        mapEntries(hostileStringBytes, 64, fc.constant(utf8('5000'))).map((entries) => [
          {
            n: 11,
            len: wire(entries.map(([k, v]) => ({ n: 1, len: mapEntry(k, { n: 2, len: v }) }))),
          },
        ]),
      ),
      unknownFields,
    )
    .map(([commandId, id, issued, expires, action, unknown]) =>
      [
        commandId && { n: 1, len: commandId },
        id && { n: 2, len: id },
        issued === undefined ? undefined : { n: 3, varint: issued },
        expires === undefined ? undefined : { n: 4, varint: expires },
        ...action,
        ...unknown,
      ].filter(present),
    );

const evidenceValue: fc.Arbitrary<Uint8Array> = fc.oneof(
  extremeDouble.map((v) => wire([{ n: 1, i64: v }])),
  hostileStringBytes.map((s) => wire([{ n: 2, len: s }])),
  fc.constant(new Uint8Array()),
);

/** AlertChange (alert_id 1, device_id 2, type 3, severity 4, transition 5, condition_key 6, time_ms 7, evidence 8, clears_when 9). */
export const hostileAlertChangeFields = (deviceId: string): fc.Arbitrary<WireField[]> =>
  fc
    .tuple(
      fc.tuple(maybe(hostileStringBytes), maybe(deviceIdBytes(deviceId))),
      fc.tuple(maybe(extremeEnum(10)), maybe(extremeEnum(3)), maybe(extremeEnum(2))),
      fc.tuple(maybe(hostileStringBytes), maybe(extremeInt64), maybe(hostileStringBytes)),
      mapEntries(
        evidenceValue,
        32,
        fc.constantFrom(wire([{ n: 1, i64: 1.5 }]), wire([{ n: 2, len: utf8('edge') }])),
      ),
      unknownFields,
    )
    .map(([[alertId, id], [type, severity, transition], [key, time, clears], evidence, unknown]) =>
      [
        alertId && { n: 1, len: alertId },
        id && { n: 2, len: id },
        type === undefined ? undefined : { n: 3, varint: type },
        severity === undefined ? undefined : { n: 4, varint: severity },
        transition === undefined ? undefined : { n: 5, varint: transition },
        key && { n: 6, len: key },
        time === undefined ? undefined : { n: 7, varint: time },
        ...evidence.map(([k, v]) => ({ n: 8, len: mapEntry(k, { n: 2, len: v }) })),
        clears && { n: 9, len: clears },
        ...unknown,
      ].filter(present),
    );

/** ServiceUpdate (device_id 1, time_ms 2, plan 3 {four doubles}, serviced 4 {service_id, odometer_km}). */
export const hostileServiceUpdateFields = (deviceId: string): fc.Arbitrary<WireField[]> =>
  fc
    .tuple(
      maybe(deviceIdBytes(deviceId)),
      maybe(extremeInt64),
      fc.oneof(
        fc.constant([] as WireField[]),
        fc
          .array(extremeDouble, { minLength: 4, maxLength: 4 })
          .map((d) => [{ n: 3, len: wire(d.map((v, i) => ({ n: i + 1, i64: v }))) }]),
        fc.tuple(hostileStringBytes, extremeDouble).map(([id, km]) => [
          {
            n: 4,
            len: wire([
              { n: 1, len: id },
              { n: 2, i64: km },
            ]),
          },
        ]),
      ),
      unknownFields,
    )
    .map(([id, time, change, unknown]) =>
      [
        id && { n: 1, len: id },
        time === undefined ? undefined : { n: 2, varint: time },
        ...change,
        ...unknown,
      ].filter(present),
    );

// ── damage done to whole encodings ───────────────────────────────────────────────────────

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

// ── extreme but valid: what passes the wire contract, at its edges ───────────────────────

/** Epoch ms the contract accepts, at its edges: 1970, now, the far end of what a Date holds. */
export const extremeValidTimeMs: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, 1, 86_400_000, 1_764_000_000_000, MAX_DATE_MS - 0xffff_ffff, MAX_DATE_MS),
  fc.integer({ min: 1_700_000_000_000, max: 1_800_000_000_000 }),
  fc.integer({ min: 0, max: MAX_DATE_MS }),
);

// ── what a hostile registered device publishes ───────────────────────────────────────────

export type UplinkKind = 'telemetry' | 'events' | 'status';

export interface HostilePublish {
  kind: UplinkKind;
  payload: Uint8Array;
  /** What it is, for a failure report. */
  what: string;
}

/**
 * What one registered device, turned hostile, publishes on its own topics: garbage and damaged
 * encodings of every uplink message, and batches that are valid on the wire but extreme —
 * seq 2^53 − 1, jumps of 2^40, a counter starting again, times from 1970 to 9e15.
 */
export function hostileUplink(deviceId: string): fc.Arbitrary<HostilePublish> {
  const garbage = (kind: UplinkKind, fields: fc.Arbitrary<WireField[]>) =>
    damaged(fields.map(wire)).map((payload) => ({ kind, payload, what: `damaged ${kind}` }));
  const extremeBatch = fc
    .record({
      seq: fc.constantFrom(0n, 1n, 2n, 1n << 40n, (1n << 40n) + 1n, MAX_SAFE),
      baseTimeMs: fc.oneof(
        fc.constantFrom(0n, 1n, 9_000_000_000_000_000n, MAX_SAFE, BigInt(MAX_DATE_MS)),
        fc.bigInt(1_700_000_000_000n, 1_800_000_000_000n),
      ),
      series: fc.array(
        fc.record({
          signalId: fc.integer({ min: 1, max: 32 }),
          offsetsMs: fc.array(fc.oneof(fc.nat(1000), fc.constant(0xffff_ffff)), {
            minLength: 1,
            maxLength: 4,
          }),
          q: fc.array(fc.integer({ min: -100_000, max: 100_000 }), { minLength: 4, maxLength: 4 }),
        }),
        { maxLength: 3 },
      ),
    })
    .map((b) => {
      const series = b.series.map((s) => ({ ...s, q: s.q.slice(0, s.offsetsMs.length) }));
      return {
        kind: 'telemetry' as const,
        payload: telemetryWire({ deviceId, ...b, series }),
        what: `telemetry seq ${b.seq} at ${b.baseTimeMs}`,
      };
    });
  return fc.oneof(
    { weight: 3, arbitrary: extremeBatch },
    { weight: 2, arbitrary: garbage('telemetry', hostileTelemetryFields(deviceId)) },
    { weight: 1, arbitrary: garbage('events', hostileEventFields(deviceId)) },
    { weight: 1, arbitrary: garbage('status', hostileStatusFields(deviceId)) },
  );
}
