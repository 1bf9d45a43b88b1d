import type { LogRecord } from '@fleetline/platform';
import {
  encodeEvent,
  encodeServiceUpdate,
  encodeStatus,
  encodeTelemetryBatch,
  kafkaHeaders,
  kafkaTopics,
  signalId,
} from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import { deadLetterOf, decodeRecord, recordsByVehicle } from '../src/processor-records.js';

const SPEED = signalId('Vehicle.Speed');
const t0 = Date.UTC(2026, 10, 25, 7, 30, 0);

let offset = 0;
function record(
  topic: string,
  key: string,
  value: Uint8Array,
  headers: Record<string, string> = {},
): LogRecord {
  return { topic, partition: 1, offset: offset++, key, value, headers, timestampMs: t0 + 9 };
}

const telemetry = (deviceId: string, seq: number, headers?: Record<string, string>) =>
  record(
    kafkaTopics.telemetry,
    deviceId,
    encodeTelemetryBatch({ deviceId, seq, samples: [{ signalId: SPEED, timeMs: t0, value: seq }] }),
    headers,
  );

describe('decoding a processor record', () => {
  it('should make each topic’s record its vehicle’s message, received when the gateway says', () => {
    const at = { [kafkaHeaders.receivedAt]: String(t0 + 500) };
    expect(decodeRecord(telemetry('veh-1', 4, at))).toMatchObject({
      kind: 'telemetry',
      batch: { deviceId: 'veh-1', seq: 4 },
      receivedAtMs: t0 + 500,
    });
    const event = encodeEvent({
      deviceId: 'veh-1',
      seq: 5,
      timeMs: t0,
      payload: { kind: 'troubleCodes', codes: ['P0217'] },
    });
    expect(decodeRecord(record(kafkaTopics.events, 'veh-1', event, at))).toMatchObject({
      kind: 'event',
      event: { seq: 5, payload: { kind: 'troubleCodes', codes: ['P0217'] } },
      receivedAtMs: t0 + 500,
    });
    const status = encodeStatus({
      deviceId: 'veh-1',
      timeMs: t0,
      state: 'online',
      agentVersion: '1.0.0',
    });
    expect(decodeRecord(record(kafkaTopics.status, 'veh-1', status, at))).toMatchObject({
      kind: 'status',
      status: { state: 'online' },
      receivedAtMs: t0 + 500,
    });
  });

  it('should fall back to the record’s time when the gateway’s is missing or not a number', () => {
    expect(decodeRecord(telemetry('veh-1', 1))).toMatchObject({ receivedAtMs: t0 + 9 });
    expect(
      decodeRecord(telemetry('veh-1', 1, { [kafkaHeaders.receivedAt]: 'soon' })),
    ).toMatchObject({ receivedAtMs: t0 + 9 });
  });

  it('should make a service update the change its vehicle’s detectors take', () => {
    const plan = { intervalKm: 15_000, intervalDays: 365, aheadKm: 500, aheadDays: 14 };
    const planned = encodeServiceUpdate({
      deviceId: 'veh-1',
      timeMs: t0,
      change: { kind: 'plan', plan },
    });
    expect(decodeRecord(record(kafkaTopics.service, 'veh-1', planned))).toEqual({
      kind: 'service',
      input: { kind: 'plan', timeMs: t0, plan },
    });
    const serviced = encodeServiceUpdate({
      deviceId: 'veh-1',
      timeMs: t0,
      change: { kind: 'serviced', serviced: { serviceId: 's-1', odometerKm: 12_345 } },
    });
    expect(decodeRecord(record(kafkaTopics.service, 'veh-1', serviced))).toEqual({
      kind: 'service',
      input: { kind: 'serviced', timeMs: t0, odometerKm: 12_345 },
    });
  });

  it('should refuse a record whose key is not its device', () => {
    const wrong = { ...telemetry('veh-1', 1), key: 'veh-2' };
    expect(() => decodeRecord(wrong)).toThrow('record key veh-2 does not match device_id veh-1');
    try {
      decodeRecord(wrong);
    } catch (err) {
      expect((err as { code?: string }).code).toBe('PROCESSOR_KEY_MISMATCH');
    }
  });
});

describe('a consumer batch by vehicle', () => {
  it('should give each vehicle its records in log order, and set aside what does not decode', () => {
    const garbage = record(kafkaTopics.telemetry, 'veh-1', new Uint8Array([0xff, 0xff, 0xff]));
    const batch = [telemetry('veh-1', 1), telemetry('veh-2', 1), garbage, telemetry('veh-1', 2)];
    const { vehicles, undecodable } = recordsByVehicle(batch);
    expect([...vehicles.keys()]).toEqual(['veh-1', 'veh-2']);
    expect(vehicles.get('veh-1')?.records).toEqual([batch[0], batch[3]]);
    expect(
      vehicles.get('veh-1')?.messages.map((m) => (m.kind === 'telemetry' ? m.batch.seq : -1)),
    ).toEqual([1, 2]);
    expect(undecodable.map((u) => u.record)).toEqual([garbage]);
    expect(undecodable[0]?.error).toBeInstanceOf(Error);
  });
});

describe('a dead letter', () => {
  it('should carry the record as it was, with the reason, the error code and where it came from', () => {
    const r = telemetry('veh-1', 1, { [kafkaHeaders.receivedAt]: '5' });
    const letter = deadLetterOf(
      r,
      Object.assign(new Error('bad batch'), { code: 'PROTO_INVALID' }),
    );
    expect(letter).toEqual({
      topic: kafkaTopics.deadLetter,
      key: 'veh-1',
      value: r.value,
      headers: {
        [kafkaHeaders.receivedAt]: '5',
        [kafkaHeaders.reason]: 'bad batch',
        [kafkaHeaders.errorCode]: 'PROTO_INVALID',
        [kafkaHeaders.source]: `${kafkaTopics.telemetry}/1/${r.offset}`,
      },
    });
    expect(deadLetterOf(r, new Error('no code')).headers?.[kafkaHeaders.errorCode]).toBe('UNKNOWN');
  });
});
