import { describe, expect, it } from 'vitest';
import { decodeEvent, encodeEvent, pb, type Sample, signalId } from '../../src/index.js';

const base = 1_764_000_000_000;

describe('encodeEvent / decodeEvent', () => {
  it('should round-trip a collision with its window', () => {
    const window: Sample[] = Array.from({ length: 100 }, (_, i) => ({
      signalId: signalId('Vehicle.Acceleration.Longitudinal'),
      timeMs: base - 5000 + i * 10,
      value: (0 - i) / 8,
    }));
    const event = decodeEvent(
      encodeEvent({
        deviceId: 'veh-9',
        seq: 77,
        timeMs: base,
        payload: {
          kind: 'collision',
          collision: {
            severity: 'severe',
            peakG: 6.25,
            deltaVKmh: 23.5,
            direction: 'front',
            latitude: 31.2,
            longitude: 121.5,
            speedBeforeKmh: 48,
            window,
          },
        },
      }),
    );
    expect(event.seq).toBe(77);
    expect(event.payload.kind).toBe('collision');
    if (event.payload.kind !== 'collision') return;
    expect(event.payload.collision).toMatchObject({
      severity: 'severe',
      peakG: 6.25,
      direction: 'front',
      latitude: 31.2,
    });
    expect(event.payload.collision.window).toEqual(window);
  });

  it('should round-trip trouble codes', () => {
    const dtc = decodeEvent(
      encodeEvent({
        deviceId: 'v',
        seq: 1,
        timeMs: base,
        payload: { kind: 'troubleCodes', codes: ['P0301'] },
      }),
    );
    expect(dtc.payload).toEqual({ kind: 'troubleCodes', codes: ['P0301'] });
  });

  it('should round-trip a trigger capture linked to its collision', () => {
    const window: Sample[] = [
      { signalId: signalId('Vehicle.Speed'), timeMs: base + 10, value: 12.5 },
    ];
    const event = decodeEvent(
      encodeEvent({
        deviceId: 'v',
        seq: 8,
        timeMs: base,
        payload: {
          kind: 'triggerCapture',
          capture: { name: 'collision', triggeredAtMs: base, relatedSeq: 7, window },
        },
      }),
    );
    expect(event.payload).toEqual({
      kind: 'triggerCapture',
      capture: { name: 'collision', triggeredAtMs: base, relatedSeq: 7, window },
    });
  });

  it('should reject an event without payload', () => {
    const bytes = pb.telemetry.v1.Event.encode({ deviceId: 'v', seq: 1, timeMs: base }).finish();
    expect(() => decodeEvent(bytes)).toThrow(/no payload/);
  });
});
