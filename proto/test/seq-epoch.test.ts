import { describe, expect, it } from 'vitest';
import {
  decodeEvent,
  decodeTelemetryBatch,
  encodeEvent,
  encodeTelemetryBatch,
  InvalidMessageError,
  pb,
  signalId,
} from '../src/index.js';

/**
 * seq_epoch: the stream a seq belongs to. A device chooses a new one whenever its seq counter
 * starts again, so (device_id, seq_epoch, seq) names one message; 0 (absent) is a device that
 * does not send one.
 */

const base = 1_764_000_000_000;
const samples = [{ signalId: signalId('Vehicle.Speed'), timeMs: base, value: 1 }];

describe('seq_epoch', () => {
  it('should round-trip on a telemetry batch and an event, up to 2^32 − 1', () => {
    for (const seqEpoch of [1, 0x1234_5678, 2 ** 32 - 1]) {
      const batch = decodeTelemetryBatch(
        encodeTelemetryBatch({ deviceId: 'v', seq: 3, seqEpoch, samples }),
      );
      expect(batch.seqEpoch).toBe(seqEpoch);
      expect(batch.seq).toBe(3);
      const event = decodeEvent(
        encodeEvent({
          deviceId: 'v',
          seq: 4,
          seqEpoch,
          timeMs: base,
          payload: { kind: 'troubleCodes', codes: [] },
        }),
      );
      expect(event.seqEpoch).toBe(seqEpoch);
    }
  });

  it('should be absent for a device that sends none, and cost it nothing on the wire', () => {
    const without = encodeTelemetryBatch({ deviceId: 'v', seq: 3, samples });
    expect(decodeTelemetryBatch(without).seqEpoch).toBeUndefined();
    expect(encodeTelemetryBatch({ deviceId: 'v', seq: 3, seqEpoch: 0, samples })).toEqual(without);
    // What an older agent's generated code writes decodes the same.
    const old = pb.telemetry.v1.TelemetryBatch.encode({
      deviceId: 'v',
      seq: 3,
      baseTimeMs: base,
    }).finish();
    expect(decodeTelemetryBatch(old)).toEqual({
      deviceId: 'v',
      seq: 3,
      baseTimeMs: base,
      samples: [],
    });
  });

  it('should refuse an epoch that is not a uint32, naming the field', () => {
    for (const seqEpoch of [-1, 2 ** 32, 1.5, Number.NaN]) {
      expect(() => encodeTelemetryBatch({ deviceId: 'v', seq: 1, seqEpoch, samples })).toThrow(
        InvalidMessageError,
      );
      expect(() =>
        encodeEvent({
          deviceId: 'v',
          seq: 1,
          seqEpoch,
          timeMs: base,
          payload: { kind: 'troubleCodes', codes: [] },
        }),
      ).toThrow(/seq_epoch must be an integer from 0 to 4294967295/);
    }
  });
});
