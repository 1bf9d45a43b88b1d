import fc from 'fast-check';
import { telemetryWire, type WireField, wire } from '../protobuf-wire.js';
import { damaged } from './damage.js';
import { MAX_DATE_MS, MAX_SAFE } from './extremes.js';
import { hostileEventFields, hostileStatusFields, hostileTelemetryFields } from './messages.js';

// What a hostile registered device publishes over MQTT, on its own uplink topics.

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
