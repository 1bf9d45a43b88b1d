import { describe, expect, it } from 'vitest';
import {
  lyingLengths,
  MAX_DATE_MS,
  packedClaimingTwoToThe31,
} from '../../../test-support/hostile.js';
import {
  packedDoubles,
  packedVarints,
  type WireField,
  wire,
  zigzag,
} from '../../../test-support/protobuf-wire.js';
import {
  decodeAlertChange,
  decodeEvent,
  decodeStatus,
  decodeTelemetryBatch,
  type FleetlineError,
  ProtoErrorCodes,
  signalId,
} from '../../src/index.js';
import { attempt, DEVICE, expectRefusal, NOW, utf8 } from './decoded-contract.js';

/**
 * The wire contract under targeted hostile input (see decoded-contract.ts): seqs, times,
 * counts, lengths, ids, strings and floats at and past their limits, each refused naming the
 * message and field, or kept exactly.
 */

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
