import type { ProduceRecord } from '@fleetline/platform';
import { encodeTelemetryBatch, kafkaTopics, signalId } from '@fleetline/proto';
import type { PublishPacket } from 'aedes';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OverRateError } from '../src/errors.js';
import { Uplink, type UplinkOptions } from '../src/uplink.js';
import { refusalRecorder, silentLogger, testMetrics } from './fakes.js';

const NOW = 1_764_000_000_000;
const topic = { deviceId: 'dev-1', kind: 'telemetry' } as const;

const batch = (samples = 1) =>
  Buffer.from(
    encodeTelemetryBatch({
      deviceId: 'dev-1',
      seq: 1,
      samples: Array.from({ length: samples }, (_, i) => ({
        signalId: signalId('Vehicle.Speed'),
        timeMs: NOW + i,
        value: 50,
      })),
    }),
  );

const publish = (payload: Buffer) =>
  ({
    cmd: 'publish',
    topic: 'v1/dev-1/telemetry',
    payload,
    qos: 1,
    dup: false,
    retain: false,
  }) as PublishPacket;

/** A producer whose sends wait until the test settles them. */
function heldProducer() {
  const sends: { records: readonly ProduceRecord[]; ok(): void; fail(err: Error): void }[] = [];
  return {
    sends,
    producer: {
      send: (records: readonly ProduceRecord[]) =>
        new Promise<void>((ok, fail) => void sends.push({ records, ok, fail })),
      close: async () => {},
    },
  };
}

function rig(options: Partial<UplinkOptions> = {}) {
  const { sends, producer } = heldProducer();
  const metrics = testMetrics();
  const refusals = refusalRecorder();
  const errors: unknown[] = [];
  const log = Object.assign(Object.create(silentLogger), {
    error: (fields: unknown) => void errors.push(fields),
  });
  const uplink = new Uplink({
    gatewayId: 'gw-1',
    producer,
    maxPacketBytes: 64 * 1024,
    deviceBytesPerMinute: 1024 * 1024,
    metrics: metrics.m,
    refusals,
    log,
    now: () => NOW,
    ...options,
  });
  /** Takes a publish; `done` resolves with what the uplink called back. */
  const take = (payload: Buffer) => {
    let answered = false;
    const done = new Promise<Error | null | undefined>((resolve) =>
      uplink.take('dev-1', topic, publish(payload), (err) => {
        answered = true;
        resolve(err);
      }),
    );
    return { done, answered: () => answered };
  };
  return { uplink, sends, metrics, refusals, errors, take };
}

afterEach(() => vi.useRealTimers());

describe('Uplink', () => {
  it('should call back — and so let the PUBACK go — only after the log has the record', async () => {
    const r = rig();
    const t = r.take(batch());
    expect(r.sends).toHaveLength(1);
    expect(r.sends[0]?.records[0]).toMatchObject({ topic: kafkaTopics.telemetry, key: 'dev-1' });
    await Promise.resolve();
    expect(t.answered()).toBe(false);
    expect(r.uplink.waiting).toBe(1);
    expect(await r.metrics.counts('fleetline_gateway_in_flight')).toEqual({ '': 1 });
    r.sends[0]?.ok();
    expect(await t.done).toBeNull();
    expect(r.uplink.waiting).toBe(0);
    expect(await r.metrics.counts('fleetline_gateway_in_flight')).toEqual({ '': 0 });
    expect(await r.metrics.counts('fleetline_gateway_publishes_total')).toEqual({
      'telemetry/stored': 1,
    });
  });

  it('should dead-letter a payload that breaks the contract, and acknowledge it once stored', async () => {
    const r = rig();
    const t = r.take(Buffer.from([0xff, 0xff, 0xff]));
    expect(r.sends[0]?.records[0]?.topic).toBe(kafkaTopics.deadLetter);
    r.sends[0]?.ok();
    expect(await t.done).toBeNull();
    expect(await r.metrics.counts('fleetline_gateway_publishes_total')).toEqual({
      'telemetry/dead-letter': 1,
    });
    expect(await r.metrics.counts('fleetline_gateway_publishes_refused_total')).toEqual({
      PROTO_MALFORMED: 1,
    });
    expect(r.refusals.lines).toMatchObject([
      {
        key: 'dev-1',
        fields: { deviceId: 'dev-1', topic: 'v1/dev-1/telemetry', code: 'PROTO_MALFORMED' },
        msg: 'payload refused, dead-lettered',
      },
    ]);
  });

  it('should call back with the log’s error when the log does not take the record', async () => {
    const r = rig();
    const t = r.take(batch());
    const failure = new Error('broker down');
    r.sends[0]?.fail(failure);
    expect(await t.done).toBe(failure);
    expect(r.uplink.waiting).toBe(0);
    expect(await r.metrics.counts('fleetline_gateway_publishes_total')).toEqual({
      'telemetry/log-failed': 1,
    });
    expect(r.errors).toMatchObject([{ err: failure, deviceId: 'dev-1' }]);
  });

  it('should refuse a publish past the device’s byte budget before it reaches the log', async () => {
    const payload = batch(50);
    // A budget of two such payloads a minute, and packets no larger than one.
    const r = rig({ deviceBytesPerMinute: 2 * payload.length, maxPacketBytes: payload.length });
    const first = r.take(payload);
    const second = r.take(payload);
    const third = r.take(payload);
    expect(r.sends).toHaveLength(2);
    const err = await third.done;
    expect(err).toBeInstanceOf(OverRateError);
    expect(err?.message).toBe(`dev-1 sent more than ${2 * payload.length} bytes a minute`);
    expect(await r.metrics.counts('fleetline_gateway_publishes_refused_total')).toEqual({
      'over-rate': 1,
    });
    for (const s of r.sends) s.ok();
    expect([await first.done, await second.done]).toEqual([null, null]);
  });

  it('should let a device send one packet of the largest size even on a smaller budget', async () => {
    const payload = batch(50);
    const r = rig({ deviceBytesPerMinute: 10, maxPacketBytes: payload.length });
    const t = r.take(payload);
    expect(r.sends).toHaveLength(1);
    r.sends[0]?.ok();
    expect(await t.done).toBeNull();
    expect(await r.take(payload).done).toBeInstanceOf(OverRateError);
  });

  it('should be drained at once with nothing in flight, else once the log has answered', async () => {
    const r = rig();
    await r.uplink.drained(10_000);
    const t = r.take(batch());
    let drained = false;
    const draining = r.uplink.drained(10_000).then(() => {
      drained = true;
    });
    await Promise.resolve();
    expect(drained).toBe(false);
    r.sends[0]?.ok();
    await draining;
    expect(await t.done).toBeNull();
  });

  it('should stop waiting for the log after the drain deadline', async () => {
    vi.useFakeTimers();
    const r = rig();
    r.take(batch());
    let drained = false;
    const draining = r.uplink.drained(10_000).then(() => {
      drained = true;
    });
    await vi.advanceTimersByTimeAsync(9_999);
    expect(drained).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await draining;
    expect(r.uplink.waiting).toBe(1);
  });
});
