import {
  catalogue,
  decodeTelemetryBatch,
  type EventPayload,
  encodeTelemetryBatch,
  MAX_SAMPLES_PER_MESSAGE,
  type Sample,
  signalId,
} from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import { TelemetryPipeline } from '../../src/agent/pipeline.js';
import { SignalMapper } from '../../src/signals/mapping.js';
import { fitTelemetry as splitToFit } from '../../src/uplink/fit.js';

function make(options: Partial<ConstructorParameters<typeof TelemetryPipeline>[0]> = {}) {
  const batches: Sample[][] = [];
  const events: { payload: EventPayload; timeMs: number; seq: number }[] = [];
  let seq = 0;
  const pipeline = new TelemetryPipeline(
    {
      mapper: new SignalMapper([
        { from: 'obd.vehicle_speed', to: 'Vehicle.Speed' },
        { from: 'imu.accel_x', to: 'Vehicle.Acceleration.Longitudinal' },
        { from: 'imu.accel_y', to: 'Vehicle.Acceleration.Lateral' },
        { from: 'gnss.latitude', to: 'Vehicle.CurrentLocation.Latitude' },
        { from: 'gnss.longitude', to: 'Vehicle.CurrentLocation.Longitude' },
        { from: 'can.ENGINE.RPM_X2', to: 'Vehicle.Powertrain.CombustionEngine.Speed', scale: 0.5 },
        { from: 'gnss.speed_mph', to: 'Vehicle.Speed', transform: 'mph_to_kmh' },
      ]),
      policyOf: () => ({ kind: 'period', periodMs: 1000 }),
      triggers: [],
      crash: {},
      batchIntervalMs: 5000,
      maxBatchSamples: 1000,
      ...options,
    },
    {
      telemetry: (s) => batches.push(s),
      event: async (payload, timeMs) => {
        events.push({ payload, timeMs, seq: ++seq });
        return seq;
      },
    },
  );
  return { pipeline, batches, events };
}

const at = (ms: number) => ms * 1000;

describe('TelemetryPipeline', () => {
  it('should map readings with transforms and batch what the policy takes', () => {
    const { pipeline, batches } = make();
    for (let t = 0; t < 3000; t += 100) {
      pipeline.ingest({ name: 'can.ENGINE.RPM_X2', value: 3000, timeUs: at(t) }, 0);
      pipeline.ingest({ name: 'gnss.speed_mph', value: 10, timeUs: at(t) }, 0);
      pipeline.ingest({ name: 'unmapped.thing', value: 1, timeUs: at(t) }, 0);
    }
    pipeline.tick(4999);
    expect(batches).toHaveLength(0);
    pipeline.tick(5000);
    expect(batches).toHaveLength(1);
    const batch = batches[0] as Sample[];
    const rpm = batch.filter(
      (s) => s.signalId === signalId('Vehicle.Powertrain.CombustionEngine.Speed'),
    );
    expect(rpm.map((s) => [s.timeMs, s.value])).toEqual([
      [0, 1500],
      [1000, 1500],
      [2000, 1500],
    ]);
    expect(batch.find((s) => s.signalId === signalId('Vehicle.Speed'))?.value).toBeCloseTo(
      16.09344,
      10,
    );
    expect(pipeline.stats.readings).toBe(90);
  });

  it('should emit a collision at once with position and the pre-trigger window, then the rest of the window', async () => {
    const { pipeline, events } = make({ crash: { preMs: 2000, postMs: 1000 } });
    const t0 = 1_764_000_000_000;
    pipeline.ingest({ name: 'gnss.latitude', value: 31.23, timeUs: at(t0) }, 0);
    pipeline.ingest({ name: 'gnss.longitude', value: 121.47, timeUs: at(t0) }, 0);
    for (let t = 0; t <= 6000; t += 10) {
      if (t % 100 === 0)
        pipeline.ingest(
          { name: 'obd.vehicle_speed', value: t < 3000 ? 50 : 5, timeUs: at(t0 + t) },
          0,
        );
      // 30 km/h frontal haversine pulse over 100 ms at t = 3000
      const inPulse = t >= 3000 && t <= 3100;
      const a = inPulse
        ? (-((30 / 3.6) * Math.PI) / 0.2) * Math.sin((Math.PI * (t - 3000)) / 100)
        : 0.1;
      pipeline.ingest({ name: 'imu.accel_x', value: a, timeUs: at(t0 + t) }, 0);
      pipeline.ingest({ name: 'imu.accel_y', value: 0, timeUs: at(t0 + t) }, 0);
    }
    await Promise.resolve();
    const collision = events.find((e) => e.payload.kind === 'collision');
    expect(collision).toBeDefined();
    if (collision?.payload.kind !== 'collision') return;
    const c = collision.payload.collision;
    expect(c.severity).toBe('severe');
    expect(c.direction).toBe('front');
    expect(c.peakG).toBeGreaterThan(10);
    expect(c.latitude).toBe(31.23);
    expect(c.speedBeforeKmh).toBe(50);
    const windowTimes = c.window.map((s) => s.timeMs - t0);
    expect(Math.min(...windowTimes)).toBeGreaterThanOrEqual(collision.timeMs - t0 - 2000);
    expect(Math.max(...windowTimes)).toBeLessThanOrEqual(collision.timeMs - t0);
    const rest = events.find((e) => e.payload.kind === 'triggerCapture');
    expect(rest?.payload.kind === 'triggerCapture' && rest.payload.capture).toMatchObject({
      name: 'collision',
      relatedSeq: collision.seq,
    });
    if (rest?.payload.kind === 'triggerCapture') {
      const times = rest.payload.capture.window.map((s) => s.timeMs - t0);
      expect(Math.min(...times)).toBeGreaterThan(collision.timeMs - t0);
      expect(Math.max(...times)).toBeLessThanOrEqual(collision.timeMs - t0 + 1000);
    }
    expect(events.filter((e) => e.payload.kind === 'collision')).toHaveLength(1);
  });

  it('should capture a 10-minute window at 100 Hz whole, also when the sample that closes it comes late', async () => {
    const { pipeline, events } = make({
      crash: { enabled: false },
      triggers: [
        {
          name: 'long',
          when: 'Vehicle.Speed > 100',
          preMs: 300_000,
          postMs: 300_000,
          signals: ['Vehicle.Speed'],
        },
      ],
    });
    const t0 = 1_764_000_000_000;
    for (let t = 0; t <= 620_000; t += 10) {
      const v = t >= 320_000 && t < 321_000 ? 120 : 50;
      pipeline.ingest({ name: 'obd.vehicle_speed', value: v, timeUs: at(t0 + t) }, 0);
    }
    expect(events).toHaveLength(0);
    // The input pauses; its next sample, 3 s after the window's end, closes it.
    pipeline.ingest({ name: 'obd.vehicle_speed', value: 50, timeUs: at(t0 + 623_000) }, 0);
    await Promise.resolve();
    expect(events).toHaveLength(1);
    const capture = events[0]?.payload;
    if (capture?.kind !== 'triggerCapture') throw new Error('no capture');
    const times = capture.capture.window.map((s) => s.timeMs - t0);
    expect(times).toHaveLength(60_001);
    expect(times[0]).toBe(20_000);
    expect(times.at(-1)).toBe(620_000);
  });

  it('should close a batch early at the sample bound', () => {
    const { pipeline, batches } = make({
      maxBatchSamples: 10,
      policyOf: () => ({ kind: 'period', periodMs: 1 }),
    });
    for (let t = 0; t < 25; t++)
      pipeline.ingest({ name: 'obd.vehicle_speed', value: t, timeUs: at(t) }, 0);
    expect(batches.map((b) => b.length)).toEqual([10, 10]);
  });
});

describe('fitTelemetry', () => {
  const catalogueIds = catalogue.map((c) => c.id);

  it('should split a batch until every part encodes within the byte bound, losing nothing', () => {
    // Random values at irregular times: several bytes a sample.
    const samples: Sample[] = Array.from({ length: 20_000 }, (_, i) => ({
      signalId: catalogueIds[i % catalogueIds.length] as number,
      timeMs: 1_764_000_000_000 + 4 * i + (i % 7),
      value: Math.round(Math.random() * 1e6) / 100,
    }));
    const maxBytes = 32 * 1024;
    const parts = splitToFit('veh-1', samples, maxBytes);
    expect(parts.length).toBeGreaterThan(1);
    const back: Sample[] = [];
    for (const part of parts) {
      const bytes = encodeTelemetryBatch({
        deviceId: 'veh-1',
        seq: Number.MAX_SAFE_INTEGER,
        seqEpoch: 0xffff_ffff,
        samples: part,
      });
      expect(bytes.length).toBeLessThanOrEqual(maxBytes);
      back.push(...decodeTelemetryBatch(bytes).samples);
    }
    const key = (s: Sample) => `${s.timeMs}/${s.signalId}`;
    expect(back.map(key).sort()).toEqual(samples.map(key).sort());
  });

  it(`should split a batch past ${MAX_SAMPLES_PER_MESSAGE} samples, even one small in bytes`, () => {
    // One signal at 1 kHz that never changes: about a byte a sample, 70,000 of them.
    const samples: Sample[] = Array.from({ length: 70_000 }, (_, i) => ({
      signalId: signalId('Vehicle.Speed'),
      timeMs: 1_764_000_000_000 + i,
      value: 50,
    }));
    const parts = splitToFit('veh-1', samples, 128 * 1024);
    expect(parts.length).toBe(3);
    let next = 1_764_000_000_000;
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(MAX_SAMPLES_PER_MESSAGE);
      const back = decodeTelemetryBatch(
        encodeTelemetryBatch({ deviceId: 'veh-1', seq: 1, samples: part }),
      ).samples;
      // In time order, each part taking up where the last one ended.
      expect(back[0]?.timeMs).toBe(next);
      next += back.length;
    }
    expect(next).toBe(1_764_000_000_000 + 70_000);
  });

  it('should split samples years apart into batches the wire can carry', () => {
    const samples: Sample[] = [
      { signalId: 1, timeMs: Date.UTC(2019, 3, 7), value: 1 },
      { signalId: 1, timeMs: Date.UTC(2026, 10, 24), value: 2 },
      { signalId: 7, timeMs: Date.UTC(2019, 3, 7, 0, 0, 1), value: 31.5 },
    ];
    const parts = splitToFit('veh-1', samples, 128 * 1024);
    expect(parts).toHaveLength(2);
    const back = parts.flatMap(
      (p) =>
        decodeTelemetryBatch(encodeTelemetryBatch({ deviceId: 'veh-1', seq: 1, samples: p }))
          .samples,
    );
    expect(back.sort((a, b) => a.timeMs - b.timeMs)).toEqual(
      [...samples].sort((a, b) => a.timeMs - b.timeMs),
    );
  });
});
