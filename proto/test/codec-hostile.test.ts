import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  damaged,
  hostileAlertChangeFields,
  hostileCommandFields,
  hostileEventFields,
  hostileServiceUpdateFields,
  hostileStatusFields,
  hostileTelemetryFields,
  lyingLengths,
  MAX_DATE_MS,
  packedClaimingTwoToThe31,
  unknownFields,
} from '../../test-support/hostile.js';
import {
  packedDoubles,
  packedVarints,
  type WireField,
  wire,
  zigzag,
} from '../../test-support/protobuf-wire.js';
import {
  type AlertChange,
  type Command,
  catalogue,
  type DeviceStatus,
  decodeAlertChange,
  decodeCommand,
  decodeEvent,
  decodeServiceUpdate,
  decodeStatus,
  decodeTelemetryBatch,
  encodeTelemetryBatch,
  FleetlineError,
  isValidDeviceId,
  MAX_EVIDENCE_ENTRIES,
  MAX_SET_CONFIG_ENTRIES,
  ProtoErrorCodes,
  type Sample,
  type ServiceUpdate,
  signalById,
  signalId,
  TEXT_LIMITS,
  type TelemetryBatch,
  type VehicleEvent,
} from '../src/index.js';

/**
 * The wire contract under hostile input: every field of every message at its extremes, fields
 * the schema does not know, bytes cut short or changed, noise. A decoder either returns a
 * message that keeps the contract, or throws a Fleetline error with a stable code that says
 * which message (and field) is wrong — nothing else, and never work or memory out of
 * proportion to the bytes it was given.
 */

const DEVICE = 'veh-hostile-1';
const NOW = 1_764_000_000_000;
const utf8 = (s: string) => Buffer.from(s, 'utf8');
const codes: readonly string[] = Object.values(ProtoErrorCodes);
/** Decoding is pure and fast: many runs cost little, and reach deep into the generators. */
const RUNS = { numRuns: 400 };

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

function attempt<T>(f: () => T): Outcome<T> {
  try {
    return { ok: true, value: f() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** A refusal: a Fleetline error with one of the wire contract's codes, naming the message. */
function expectRefusal(error: unknown, message: string): void {
  if (!(error instanceof FleetlineError)) {
    throw new Error(`expected a Fleetline error, got ${String(error)}`, { cause: error });
  }
  expect(codes).toContain(error.code);
  expect(error.message).toContain(message);
}

/** Decodes: a message that keeps the contract, or a refusal naming the message. */
function decodesOrRefuses<T>(
  decode: (b: Uint8Array) => T,
  name: string,
  check: (m: T, bytes: Uint8Array) => void,
  bytes: Uint8Array,
): Outcome<T> {
  const r = attempt(() => decode(bytes));
  if (r.ok) check(r.value, bytes);
  else expectRefusal(r.error, name);
  return r;
}

// ── what every decoded message must satisfy ──────────────────────────────────────────────

/** In a `u` regex a lone surrogate is a code point of its own, of category Cs. */
const LONE_SURROGATE = /\p{Cs}/u;

function checkText(s: unknown, where: string, max: number): void {
  expect(typeof s, where).toBe('string');
  // A string with a lone surrogate cannot be stored or sent on as UTF-8 without loss.
  expect(LONE_SURROGATE.test(s as string), `${where} has a lone surrogate`).toBe(false);
  expect([...(s as string)].length, `${where} characters`).toBeLessThanOrEqual(max);
}

function checkSeq(seq: number, where: string): void {
  expect(
    Number.isSafeInteger(seq) && seq >= 0,
    `${where} ${seq} is a safe non-negative integer`,
  ).toBe(true);
}

/** Epoch ms every store holds and every `new Date(t).toISOString()` renders. */
function checkTime(t: number, where: string, { negative = false } = {}): void {
  const ok = Number.isSafeInteger(t) && (negative || t >= 0) && Math.abs(t) <= MAX_DATE_MS;
  expect(ok, `${where} ${t} is epoch ms within what a Date holds`).toBe(true);
}

function checkSamples(samples: readonly Sample[], bytes: Uint8Array, where: string): void {
  // Each sample costs at least one byte on the wire: decoding never multiplies the input.
  expect(samples.length, `${where}: samples per byte`).toBeLessThanOrEqual(bytes.length);
  for (const s of samples) {
    expect(signalById(s.signalId), `${where} signal ${s.signalId} in the catalogue`).toBeDefined();
    checkTime(s.timeMs, `${where} sample time`);
    expect(Number.isFinite(s.value), `${where} sample value ${s.value} is finite`).toBe(true);
  }
}

const checkBatch = (m: TelemetryBatch, bytes: Uint8Array) => {
  expect(isValidDeviceId(m.deviceId)).toBe(true);
  checkSeq(m.seq, 'seq');
  checkTime(m.baseTimeMs, 'base_time_ms');
  checkSamples(m.samples, bytes, 'TelemetryBatch');
};

/** SAE J2012: a system letter, four hex digits (the first 0–3), optionally a failure-type byte. */
const DTC = /^[PCBU][0-3][0-9A-F]{3}([0-9A-F]{2})?$/;

const checkEvent = (m: VehicleEvent, bytes: Uint8Array) => {
  expect(isValidDeviceId(m.deviceId)).toBe(true);
  checkSeq(m.seq, 'seq');
  checkTime(m.timeMs, 'time_ms');
  const p = m.payload;
  if (p.kind === 'collision') {
    const c = p.collision;
    for (const [k, v] of Object.entries({
      peakG: c.peakG,
      deltaVKmh: c.deltaVKmh,
      speedBeforeKmh: c.speedBeforeKmh,
    })) {
      expect(Number.isFinite(v), `collision.${k} ${v} is finite`).toBe(true);
    }
    expect(c.peakG >= 0 && c.speedBeforeKmh >= 0, 'collision magnitudes ≥ 0').toBe(true);
    if (c.latitude !== undefined) expect(Math.abs(c.latitude)).toBeLessThanOrEqual(90);
    if (c.longitude !== undefined) expect(Math.abs(c.longitude)).toBeLessThanOrEqual(180);
    checkSamples(c.window, bytes, 'collision.window');
  } else if (p.kind === 'troubleCodes') {
    for (const code of p.codes) expect(code, 'trouble code').toMatch(DTC);
  } else {
    const c = p.capture;
    checkText(c.name, 'trigger_capture.name', TEXT_LIMITS.triggerName);
    expect(c.name.length).toBeGreaterThan(0);
    checkTime(c.triggeredAtMs, 'trigger_capture.triggered_at_ms');
    checkSeq(c.relatedSeq, 'trigger_capture.related_seq');
    checkSamples(c.window, bytes, 'trigger_capture.window');
  }
};

const checkStatus = (m: DeviceStatus) => {
  expect(isValidDeviceId(m.deviceId)).toBe(true);
  checkTime(m.timeMs, 'time_ms');
  expect(['online', 'offline']).toContain(m.state);
  checkText(m.agentVersion, 'agent_version', TEXT_LIMITS.agentVersion);
};

const checkCommand = (m: Command) => {
  checkText(m.commandId, 'command_id', TEXT_LIMITS.commandId);
  expect(m.commandId.length).toBeGreaterThan(0);
  expect(isValidDeviceId(m.deviceId)).toBe(true);
  checkTime(m.issuedAtMs, 'issued_at_ms');
  checkTime(m.expiresAtMs, 'expires_at_ms');
  if (m.action.kind === 'setConfig') {
    const entries = Object.entries(m.action.values);
    expect(entries.length).toBeLessThanOrEqual(MAX_SET_CONFIG_ENTRIES);
    for (const [k, v] of entries) {
      checkText(k, 'set_config key', TEXT_LIMITS.setConfigKey);
      expect(k.length).toBeGreaterThan(0);
      checkText(v, 'set_config value', TEXT_LIMITS.setConfigValue);
    }
  }
};

const checkAlertChange = (m: AlertChange) => {
  checkText(m.alertId, 'alert_id', TEXT_LIMITS.alertId);
  expect(m.alertId.length).toBeGreaterThan(0);
  expect(isValidDeviceId(m.deviceId)).toBe(true);
  checkText(m.conditionKey, 'condition_key', TEXT_LIMITS.conditionKey);
  expect(m.conditionKey.length).toBeGreaterThan(0);
  checkTime(m.timeMs, 'time_ms');
  checkText(m.clearsWhen, 'clears_when', TEXT_LIMITS.clearsWhen);
  const entries = Object.entries(m.evidence);
  expect(entries.length).toBeLessThanOrEqual(MAX_EVIDENCE_ENTRIES);
  for (const [k, v] of entries) {
    checkText(k, 'evidence key', TEXT_LIMITS.evidenceKey);
    if (typeof v === 'string') checkText(v, `evidence.${k}`, TEXT_LIMITS.evidenceText);
    else expect(Number.isFinite(v), `evidence.${k} ${v} is a finite number`).toBe(true);
  }
};

const checkServiceUpdate = (m: ServiceUpdate) => {
  expect(isValidDeviceId(m.deviceId)).toBe(true);
  // A service may be recorded as done before 1970 (an old vehicle's history).
  checkTime(m.timeMs, 'time_ms', { negative: true });
  if (m.change.kind === 'plan') {
    const p = m.change.plan;
    for (const v of [p.intervalKm, p.intervalDays, p.aheadKm, p.aheadDays]) {
      expect(Number.isFinite(v)).toBe(true);
    }
  } else {
    checkText(m.change.serviced.serviceId, 'service_id', TEXT_LIMITS.serviceId);
    expect(Number.isFinite(m.change.serviced.odometerKm)).toBe(true);
  }
};

// ── every decoder, every field at its extremes ───────────────────────────────────────────

const decoders = [
  {
    name: 'TelemetryBatch',
    decode: decodeTelemetryBatch,
    check: checkBatch,
    fields: hostileTelemetryFields,
  },
  { name: 'Event', decode: decodeEvent, check: checkEvent, fields: hostileEventFields },
  { name: 'DeviceStatus', decode: decodeStatus, check: checkStatus, fields: hostileStatusFields },
  { name: 'Command', decode: decodeCommand, check: checkCommand, fields: hostileCommandFields },
  {
    name: 'AlertChange',
    decode: decodeAlertChange,
    check: checkAlertChange,
    fields: hostileAlertChangeFields,
  },
  {
    name: 'ServiceUpdate',
    decode: decodeServiceUpdate,
    check: checkServiceUpdate,
    fields: hostileServiceUpdateFields,
  },
] as const;

describe('decoders under hostile input', () => {
  for (const d of decoders) {
    const decode = d.decode as (b: Uint8Array) => unknown;
    const check = d.check as (m: unknown, bytes: Uint8Array) => void;
    const messages = (d.fields(DEVICE) as fc.Arbitrary<WireField[]>).map(wire);

    it(`${d.name}: every field at its extremes decodes within the contract or is refused naming ${d.name}`, () => {
      fc.assert(
        fc.property(messages, (bytes) => void decodesOrRefuses(decode, d.name, check, bytes)),
        RUNS,
      );
    });

    it(`${d.name}: bytes cut short, changed, extended or replaced by noise are decoded within the contract or refused`, () => {
      fc.assert(
        fc.property(damaged(messages), (bytes) => {
          decodesOrRefuses(decode, d.name, check, bytes);
        }),
        RUNS,
      );
    });
  }

  it('TelemetryBatch: fields the schema does not know are skipped and change nothing', () => {
    const valid = fc
      .array(
        fc.record({
          signal: fc.constantFrom(...catalogue.map((s) => s.id)),
          offsetMs: fc.integer({ min: 0, max: 3_600_000 }),
          q: fc.integer({ min: -1_000_000, max: 1_000_000 }),
        }),
        { maxLength: 30 },
      )
      .map((list) =>
        encodeTelemetryBatch({
          deviceId: DEVICE,
          seq: 7,
          baseTimeMs: NOW,
          samples: list.map((s) => ({
            signalId: s.signal,
            timeMs: NOW + s.offsetMs,
            value: s.q / 10,
          })),
        }),
      );
    fc.assert(
      fc.property(valid, unknownFields, (bytes, unknown) => {
        const extended = Buffer.concat([bytes, wire(unknown)]);
        expect(decodeTelemetryBatch(extended)).toEqual(decodeTelemetryBatch(bytes));
      }),
      RUNS,
    );
  });
});

describe('encodeTelemetryBatch under extreme input', () => {
  const extremeNumber = fc.oneof(
    fc.constantFrom(
      0,
      -0,
      1,
      -1,
      2 ** 40,
      Number.MAX_SAFE_INTEGER,
      Number.MAX_SAFE_INTEGER + 2,
      9e15,
      2 ** 63,
      2 ** 64,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.MIN_VALUE,
      Number.MAX_VALUE,
      0.5,
    ),
    fc.double(),
    fc.integer({ min: NOW - 1000, max: NOW + 1000 }),
  );

  it('should refuse what the wire cannot carry, and round-trip everything it accepts', () => {
    fc.assert(
      fc.property(
        extremeNumber,
        fc.array(
          fc.record({
            signalId: fc.oneof(fc.constantFrom(...catalogue.map((s) => s.id)), extremeNumber),
            timeMs: extremeNumber,
            value: extremeNumber,
          }),
          { maxLength: 6 },
        ),
        (seq, samples) => {
          const r = attempt(() => encodeTelemetryBatch({ deviceId: DEVICE, seq, samples }));
          if (!r.ok) {
            if (!(r.error instanceof FleetlineError)) throw r.error;
            expect(codes).toContain(r.error.code);
            return;
          }
          const back = decodeTelemetryBatch(r.value);
          checkBatch(back, r.value);
          expect(back.seq).toBe(seq + 0); // −0 travels as 0
          expect(back.samples).toHaveLength(samples.length);
        },
      ),
      RUNS,
    );
  });
});

// ── targeted cases ───────────────────────────────────────────────────────────────────────

const batchOf = (seq: bigint, baseTimeMs: bigint, series: WireField[] = []) =>
  wire([
    { n: 1, len: utf8(DEVICE) },
    { n: 2, varint: seq },
    { n: 3, varint: baseTimeMs },
    ...series,
  ]);

const SPEED = signalId('Vehicle.Speed');

describe('seq and times at their limits', () => {
  it('should accept seq 0, 1 and 2^53 − 1, and refuse 2^53 and 2^64 − 1 naming TelemetryBatch.seq', () => {
    for (const seq of [0n, 1n, BigInt(Number.MAX_SAFE_INTEGER)]) {
      expect(decodeTelemetryBatch(batchOf(seq, BigInt(NOW))).seq).toBe(Number(seq));
    }
    for (const seq of [2n ** 53n, 2n ** 64n - 1n]) {
      expect(() => decodeTelemetryBatch(batchOf(seq, BigInt(NOW)))).toThrow(
        /TelemetryBatch\.seq .* out of range/,
      );
    }
  });

  it('should refuse base times before 1970, past what a Date holds (9e15) and at 2^63 − 1, naming the field', () => {
    for (const t of [-1n, -(2n ** 63n), 9_000_000_000_000_000n, 2n ** 63n - 1n]) {
      const r = attempt(() => decodeTelemetryBatch(batchOf(1n, t)));
      expect(r.ok, `base_time_ms ${t} refused`).toBe(false);
      if (!r.ok) {
        expectRefusal(r.error, 'TelemetryBatch');
        expect((r.error as Error).message).toMatch(/base_time_ms/);
      }
    }
  });

  it('should refuse sample times that offsets carry past what a Date holds', () => {
    // A base time that passes alone, and one sample 2^32 − 1 ms (49 days) after it …
    const base = BigInt(MAX_DATE_MS) - 1000n;
    const series = wire([
      { n: 1, varint: BigInt(SPEED) },
      { n: 2, len: packedVarints([0xffff_ffffn]) },
      { n: 4, len: packedVarints([zigzag(100n)]) },
    ]);
    const r = attempt(() => decodeTelemetryBatch(batchOf(1n, base, [{ n: 4, len: series }])));
    expect(r.ok, 'a sample past the Date range refused').toBe(false);
    if (!r.ok) expectRefusal(r.error, 'TelemetryBatch');
  });
});

describe('counts and lengths', () => {
  it('should refuse a length prefix that claims more than follows, without allocating for it', () => {
    const before = process.memoryUsage().arrayBuffers + process.memoryUsage().heapUsed;
    for (const { what, bytes } of lyingLengths) {
      const r = attempt(() => decodeTelemetryBatch(bytes));
      expect(r.ok, what).toBe(false);
      if (!r.ok) expectRefusal(r.error, 'TelemetryBatch');
    }
    const r = attempt(() => decodeTelemetryBatch(packedClaimingTwoToThe31));
    expect(r.ok, 'packed value_delta of 2^31 elements').toBe(false);
    if (!r.ok) {
      expectRefusal(r.error, 'TelemetryBatch');
      expect((r.error as FleetlineError).code).toBe(ProtoErrorCodes.malformed);
    }
    // 2^31 numbers would be 16 GiB; what was decoded cost next to nothing.
    const after = process.memoryUsage().arrayBuffers + process.memoryUsage().heapUsed;
    expect(after - before).toBeLessThan(256 * 1024 * 1024);
  });

  it('should accept an empty batch and a batch of one sample', () => {
    expect(decodeTelemetryBatch(batchOf(1n, BigInt(NOW))).samples).toEqual([]);
    const one = wire([
      { n: 1, varint: BigInt(SPEED) },
      { n: 2, len: packedVarints([0n]) },
      { n: 4, len: packedVarints([zigzag(5000n)]) },
    ]);
    expect(decodeTelemetryBatch(batchOf(1n, BigInt(NOW), [{ n: 4, len: one }])).samples).toEqual([
      { signalId: SPEED, timeMs: NOW, value: 50 },
    ]);
  });

  it('should refuse a batch of 200,000 samples in 200 KB before it becomes 200,000 rows', () => {
    // One series, sampled every ms, each value one byte: the flood of issue 13 (defect 8).
    const n = 200_000;
    const series = wire([
      { n: 1, varint: BigInt(SPEED) },
      { n: 2, len: packedVarints([0n]) },
      { n: 3, varint: 1n },
      { n: 4, len: packedVarints(Array.from({ length: n }, () => 0n)) },
    ]);
    const bytes = batchOf(1n, BigInt(NOW), [{ n: 4, len: series }]);
    expect(bytes.length).toBeLessThan(210_000);
    const r = attempt(() => decodeTelemetryBatch(bytes));
    expect(r.ok, `${n} samples in ${bytes.length} bytes refused`).toBe(false);
    if (!r.ok) {
      expectRefusal(r.error, 'TelemetryBatch');
      // A limit, not a broken rule: the message may be valid, it is only too big to take.
      expect((r.error as FleetlineError).code).toBe(ProtoErrorCodes.limitExceeded);
      expect((r.error as Error).message).toMatch(/sample/);
    }
  });

  it('should refuse an event of 1,500 trouble codes in 12 KB (defect 8)', () => {
    const codes = Array.from({ length: 1500 }, (_, i) =>
      utf8(`P${(i % 4000).toString(16).toUpperCase().padStart(4, '0')}`),
    );
    const bytes = wire([
      { n: 1, len: utf8(DEVICE) },
      { n: 2, varint: 1n },
      { n: 3, varint: BigInt(NOW) },
      { n: 11, len: wire(codes.map((len) => ({ n: 1, len }))) },
    ]);
    expect(bytes.length).toBeLessThan(13_000);
    const r = attempt(() => decodeEvent(bytes));
    expect(r.ok, '1,500 codes refused').toBe(false);
    if (!r.ok) {
      expectRefusal(r.error, 'Event');
      expect((r.error as Error).message).toMatch(/trouble_codes/);
    }
  });

  it('should refuse trouble codes that are not SAE J2012 codes, naming the code', () => {
    for (const code of ['', 'X9999', 'P03011234', 'p0301', '<script>', 'P0301\n']) {
      const bytes = wire([
        { n: 1, len: utf8(DEVICE) },
        { n: 2, varint: 1n },
        { n: 3, varint: BigInt(NOW) },
        { n: 11, len: wire([{ n: 1, len: utf8(code) }]) },
      ]);
      const r = attempt(() => decodeEvent(bytes));
      expect(r.ok, `${JSON.stringify(code)} refused`).toBe(false);
      if (!r.ok) {
        expectRefusal(r.error, 'Event');
        expect((r.error as Error).message).toMatch(/trouble_codes/);
      }
    }
  });

  it('should refuse value deltas that sum past what the wire carries exactly', () => {
    // Two deltas of 2^62: q = 2^63, far past 2^53, where a double no longer holds every integer.
    const series = wire([
      { n: 1, varint: BigInt(SPEED) },
      { n: 2, len: packedVarints([0n]) },
      { n: 3, varint: 1000n },
      { n: 4, len: packedVarints([zigzag(2n ** 62n), zigzag(2n ** 62n)]) },
    ]);
    const r = attempt(() =>
      decodeTelemetryBatch(batchOf(1n, BigInt(NOW), [{ n: 4, len: series }])),
    );
    expect(r.ok, 'q beyond 2^53 refused').toBe(false);
    if (!r.ok) {
      expectRefusal(r.error, 'TelemetryBatch.series[0]');
      expect((r.error as Error).message).toMatch(/value_delta/);
    }
  });
});

describe('ids and strings', () => {
  const statusWith = (id: Uint8Array, version: Uint8Array = utf8('0.1.0')) =>
    wire([
      { n: 1, len: id },
      { n: 2, varint: BigInt(NOW) },
      { n: 3, varint: 1n },
      { n: 4, len: version },
    ]);

  it('should refuse empty, too long, non-ASCII and path-like device ids naming device_id', () => {
    for (const id of ['', 'a'.repeat(65), '车辆-1', 'veh/1', '-veh', 'veh\u0000']) {
      expect(() => decodeStatus(statusWith(utf8(id)))).toThrow(/DeviceStatus\.device_id/);
    }
    expect(decodeStatus(statusWith(utf8('a'.repeat(64)))).deviceId).toBe('a'.repeat(64));
  });

  it('should refuse strings whose bytes are a lone surrogate or not UTF-8 at all', () => {
    for (const bad of [
      Uint8Array.of(0xed, 0xa0, 0x80),
      Uint8Array.of(0x30, 0xed, 0xbf, 0xbf),
      Uint8Array.of(0xc0, 0x80),
      Uint8Array.of(0xe2, 0x82),
    ]) {
      const r = attempt(() => decodeStatus(statusWith(utf8('veh-1'), bad)));
      expect(r.ok, `agent_version ${Buffer.from(bad).toString('hex')} refused`).toBe(false);
      if (!r.ok) expectRefusal(r.error, 'DeviceStatus');
    }
    expect(decodeStatus(statusWith(utf8('veh-1'), utf8('0.1.0-\u{1F697}'))).agentVersion).toBe(
      '0.1.0-\u{1F697}',
    );
  });
});

describe('floats at their limits', () => {
  // A catalogue signal sent as doubles, not as multiples of its resolution: also allowed.
  const doubleSignal = BigInt(SPEED);

  it('should keep −0, subnormals and the largest finite double, and refuse NaN and ±∞ naming the value', () => {
    const kept = [-0, Number.MIN_VALUE, 2.2250738585072014e-308, Number.MAX_VALUE];
    const series = wire([
      { n: 1, varint: doubleSignal },
      { n: 2, len: packedVarints(kept.map(() => 0n)) },
      { n: 5, len: packedDoubles(kept) },
    ]);
    const back = decodeTelemetryBatch(batchOf(1n, BigInt(NOW), [{ n: 4, len: series }]));
    expect(back.samples.map((s) => s.value)).toEqual(kept);
    expect(Object.is(back.samples[0]?.value, -0)).toBe(true);
    for (const v of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const bad = wire([
        { n: 1, varint: doubleSignal },
        { n: 2, len: packedVarints([0n]) },
        { n: 5, len: packedDoubles([v]) },
      ]);
      expect(() => decodeTelemetryBatch(batchOf(1n, BigInt(NOW), [{ n: 4, len: bad }]))).toThrow(
        /TelemetryBatch\.series\[0\]: value 0 is not finite/,
      );
    }
  });

  const collisionEvent = (fields: WireField[]) =>
    wire([
      { n: 1, len: utf8(DEVICE) },
      { n: 2, varint: 3n },
      { n: 3, varint: BigInt(NOW) },
      { n: 10, len: wire([{ n: 1, varint: 2n }, ...fields]) },
    ]);

  it('should refuse a collision whose numbers are not finite or out of range, naming the field', () => {
    const cases: [string, WireField][] = [
      ['peak_g', { n: 2, i64: Number.NaN }],
      ['peak_g', { n: 2, i64: -1 }],
      ['delta_v_kmh', { n: 3, i64: Number.POSITIVE_INFINITY }],
      ['latitude', { n: 5, i64: 90.0001 }],
      ['latitude', { n: 5, i64: Number.NaN }],
      ['longitude', { n: 6, i64: -180.5 }],
      ['speed_before_kmh', { n: 7, i64: Number.NEGATIVE_INFINITY }],
    ];
    for (const [field, f] of cases) {
      expect(() => decodeEvent(collisionEvent([f])), field).toThrow(
        new RegExp(`Event\\.collision\\.${field}`),
      );
    }
    const fine = decodeEvent(
      collisionEvent([
        { n: 2, i64: 6.5 },
        { n: 3, i64: -12 },
        { n: 5, i64: -90 },
        { n: 6, i64: 180 },
        { n: 7, i64: 0 },
      ]),
    );
    expect(fine.payload).toMatchObject({
      kind: 'collision',
      collision: { peakG: 6.5, deltaVKmh: -12, latitude: -90, longitude: 180, speedBeforeKmh: 0 },
    });
  });

  it('should refuse alert evidence numbers that are not finite, naming the key', () => {
    const alert = (value: number) =>
      wire([
        { n: 1, len: utf8('a-1') },
        { n: 2, len: utf8(DEVICE) },
        { n: 3, varint: 1n },
        { n: 4, varint: 2n },
        { n: 5, varint: 1n },
        { n: 6, len: utf8('collision') },
        { n: 7, varint: BigInt(NOW) },
        {
          n: 8,
          len: wire([
            { n: 1, len: utf8('peakG') },
            { n: 2, len: wire([{ n: 1, i64: value }]) },
          ]),
        },
      ]);
    for (const v of [-0, Number.MIN_VALUE, -Number.MAX_VALUE]) {
      expect(decodeAlertChange(alert(v)).evidence.peakG).toBe(v);
    }
    for (const v of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(() => decodeAlertChange(alert(v)), String(v)).toThrow(
        `AlertChange.evidence.peakG must be a finite number, got ${v}`,
      );
    }
  });

  it('should refuse a trigger capture whose related_seq is past 2^53', () => {
    const bytes = wire([
      { n: 1, len: utf8(DEVICE) },
      { n: 2, varint: 4n },
      { n: 3, varint: BigInt(NOW) },
      {
        n: 12,
        len: wire([
          { n: 1, len: utf8('collision') },
          { n: 2, varint: BigInt(NOW) },
          { n: 3, varint: 2n ** 64n - 1n },
        ]),
      },
    ]);
    expect(() => decodeEvent(bytes)).toThrow(/Event\.trigger_capture\.related_seq/);
  });
});
