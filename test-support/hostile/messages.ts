import fc from 'fast-check';
import {
  packedDoubles,
  packedVarints,
  utf8,
  type WireField,
  wire,
  zigzag,
} from '../protobuf-wire.js';
import {
  deviceIdBytes,
  extremeDouble,
  extremeEnum,
  extremeInt64,
  extremeUint32,
  extremeUint64,
  hostileStringBytes,
} from './extremes.js';

/**
 * One arbitrary per wire message: its fields at their extremes, some left out, unknown ones
 * added. Field numbers are those of proto/schema/fleetline/telemetry/v1/*.proto.
 */

/** Usually the field, sometimes left out (proto3: absent is the default value). */
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.option(arb, { freq: 5, nil: undefined });

const present = <T extends WireField>(f: T | undefined): f is T => f !== undefined;

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
