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
  unknownFields,
} from '../../../test-support/hostile.js';
import { type WireField, wire } from '../../../test-support/protobuf-wire.js';
import {
  catalogue,
  decodeAlertChange,
  decodeCommand,
  decodeEvent,
  decodeServiceUpdate,
  decodeStatus,
  decodeTelemetryBatch,
  encodeTelemetryBatch,
  FleetlineError,
} from '../../src/index.js';
import {
  attempt,
  checkAlertChange,
  checkBatch,
  checkCommand,
  checkEvent,
  checkServiceUpdate,
  checkStatus,
  contractErrorCodes,
  DEVICE,
  decodesOrRefuses,
  NOW,
  RUNS,
} from './decoded-contract.js';

/**
 * The wire contract under generated hostile input (see decoded-contract.ts): every field of
 * every message at its extremes, fields the schema does not know, bytes cut short or changed,
 * noise — and the telemetry encoder under extreme numbers.
 */

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
            expect(contractErrorCodes).toContain(r.error.code);
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
