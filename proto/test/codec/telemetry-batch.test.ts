import { describe, expect, it } from 'vitest';
import {
  catalogue,
  decodeTelemetryBatch,
  decodeTelemetryRows,
  encodeTelemetryBatch,
  InvalidMessageError,
  MalformedMessageError,
  pb,
  type Sample,
  signalId,
} from '../../src/index.js';

const speed = signalId('Vehicle.Speed');
const lat = signalId('Vehicle.CurrentLocation.Latitude');
const base = 1_764_000_000_000;

describe('encodeTelemetryBatch / decodeTelemetryBatch', () => {
  it('should round-trip values already at catalogue resolution exactly', () => {
    const samples: Sample[] = [];
    for (let i = 0; i < 50; i++) {
      samples.push({ signalId: speed, timeMs: base + i * 1000, value: (i * 137) / 100 });
      samples.push({ signalId: lat, timeMs: base + i * 1000, value: 31.2304 + i / 1e7 });
    }
    const bytes = encodeTelemetryBatch({ deviceId: 'veh-1', seq: 42, samples });
    const batch = decodeTelemetryBatch(bytes);
    expect(batch.deviceId).toBe('veh-1');
    expect(batch.seq).toBe(42);
    expect(batch.baseTimeMs).toBe(base);
    const key = (s: Sample) => `${s.signalId}@${s.timeMs}`;
    const want = new Map(samples.map((s) => [key(s), Number(s.value.toFixed(7))]));
    expect(batch.samples).toHaveLength(samples.length);
    for (const s of batch.samples) expect(s.value).toBe(want.get(key(s)));
  });

  it('should decode rows that name the device, otherwise the same batch, and refuse the same input', () => {
    const samples: Sample[] = [
      { signalId: speed, timeMs: base, value: 12.5 },
      { signalId: lat, timeMs: base + 250, value: 31.2304 },
      { signalId: speed, timeMs: base + 1000, value: 13 },
    ];
    const bytes = encodeTelemetryBatch({ deviceId: 'veh-9', seq: 7, seqEpoch: 3, samples });
    const batch = decodeTelemetryBatch(bytes);
    const rows = decodeTelemetryRows(bytes);
    expect(rows).toEqual({
      ...batch,
      samples: batch.samples.map((s) => ({ deviceId: 'veh-9', ...s })),
    });
    const bad = pb.telemetry.v1.TelemetryBatch.encode({
      deviceId: 'veh-9',
      seq: 1,
      baseTimeMs: base,
      series: [{ signalId: 999_999, timeDeltaMs: [0], value: [1] }],
    }).finish();
    expect(() => decodeTelemetryRows(bad)).toThrow(InvalidMessageError);
    expect(() => decodeTelemetryRows(bad)).toThrow(
      /signal_id 999999 is not in the signal catalogue/,
    );
  });

  it('should quantise to the catalogue resolution by rounding to nearest', () => {
    const bytes = encodeTelemetryBatch({
      deviceId: 'veh-1',
      seq: 1,
      samples: [{ signalId: speed, timeMs: base, value: 88.4449 }],
    });
    expect(decodeTelemetryBatch(bytes).samples[0]?.value).toBe(88.44);
  });

  it('should sort each signal by time and keep irregular spacing', () => {
    const times = [base + 900, base, base + 10, base + 11];
    const bytes = encodeTelemetryBatch({
      deviceId: 'veh-1',
      seq: 1,
      samples: times.map((t, i) => ({ signalId: speed, timeMs: t, value: i })),
    });
    expect(decodeTelemetryBatch(bytes).samples.map((s) => s.timeMs)).toEqual(
      [...times].sort((a, b) => a - b),
    );
  });

  it('should cost at most 4 bytes per sample for every catalogue signal at 1 Hz over 10 s', () => {
    // A driving profile: each signal drifts a little every second, as real ones do.
    const samples: Sample[] = [];
    for (const signal of catalogue) {
      for (let i = 0; i < 10; i++) {
        const drift = Math.sin((i + signal.id) / 3) * 2;
        samples.push({ signalId: signal.id, timeMs: base + i * 1000, value: 40 + drift });
      }
    }
    const bytes = encodeTelemetryBatch({ deviceId: 'vehicle-000001', seq: 123456, samples });
    expect(bytes.length / samples.length).toBeLessThanOrEqual(4);
  });

  it('should refuse non-finite values and negative seq with a clear error', () => {
    expect(() =>
      encodeTelemetryBatch({
        deviceId: 'v',
        seq: 1,
        samples: [{ signalId: speed, timeMs: base, value: Number.NaN }],
      }),
    ).toThrow(/non-finite value/);
    expect(() => encodeTelemetryBatch({ deviceId: 'v', seq: -1, samples: [] })).toThrow(/seq/);
    expect(() => encodeTelemetryBatch({ deviceId: 'a/b', seq: 1, samples: [] })).toThrow(
      /device id/,
    );
  });

  it('should reject bytes that are not protobuf as MalformedMessageError', () => {
    const garbage = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(() => decodeTelemetryBatch(garbage)).toThrow(MalformedMessageError);
  });

  it('should reject a series whose times and values disagree as InvalidMessageError', () => {
    const bytes = pb.telemetry.v1.TelemetryBatch.encode({
      deviceId: 'veh-1',
      seq: 1,
      baseTimeMs: base,
      series: [{ signalId: speed, timeDeltaMs: [0, 1000], valueDelta: [5] }],
    }).finish();
    expect(() => decodeTelemetryBatch(bytes)).toThrow(InvalidMessageError);
    expect(() => decodeTelemetryBatch(bytes)).toThrow(/series\[0\]: 2 time offsets for 1 values/);
  });

  it('should reject a batch without a device id', () => {
    const bytes = pb.telemetry.v1.TelemetryBatch.encode({ seq: 1, baseTimeMs: base }).finish();
    expect(() => decodeTelemetryBatch(bytes)).toThrow(/device_id "" is invalid/);
  });

  it('should not throw anything but contract errors on random bytes', () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let n = 0; n < 2000; n++) {
      const bytes = Uint8Array.from({ length: 1 + Math.floor(rand() * 64) }, () =>
        Math.floor(rand() * 256),
      );
      try {
        decodeTelemetryBatch(bytes);
      } catch (err) {
        expect(err instanceof MalformedMessageError || err instanceof InvalidMessageError).toBe(
          true,
        );
      }
    }
  });
});
