import { encodeTelemetryBatch, kafkaHeaders, signalId } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import { routeUplink } from '../src/bridge.js';

const topic = { deviceId: 'veh-1', kind: 'telemetry' } as const;
/** When the gateway received it: the batch's own time (a device clock in step). */
const receivedAt = 1_764_000_000_000;
const batch = (deviceId: string) =>
  encodeTelemetryBatch({
    deviceId,
    seq: 9,
    samples: [{ signalId: signalId('Vehicle.Speed'), timeMs: 1_764_000_000_000, value: 50 }],
  });

describe('routeUplink', () => {
  it('should forward a valid batch to telemetry.v1 keyed by device, with gateway headers', () => {
    const routed = routeUplink(topic, 'v1/veh-1/telemetry', batch('veh-1'), 'gw-a', receivedAt);
    expect(routed.outcome).toBe('forward');
    expect(routed.record).toMatchObject({
      topic: 'telemetry.v1',
      key: 'veh-1',
      headers: { [kafkaHeaders.gateway]: 'gw-a', [kafkaHeaders.receivedAt]: String(receivedAt) },
    });
  });

  it('should dead-letter a payload that is not protobuf, with the reason and code', () => {
    const routed = routeUplink(
      topic,
      'v1/veh-1/telemetry',
      new Uint8Array([0xff, 0xff, 0xff]),
      'gw-a',
      1,
    );
    expect(routed.outcome).toBe('dead-letter');
    expect(routed.record.topic).toBe('deadletter.v1');
    expect(routed.record.headers?.[kafkaHeaders.reason]).toMatch(/not a valid TelemetryBatch/);
    expect(routed.record.headers?.[kafkaHeaders.errorCode]).toBe('PROTO_MALFORMED');
  });

  it('should dead-letter a batch that claims to be another vehicle', () => {
    const routed = routeUplink(topic, 'v1/veh-1/telemetry', batch('veh-2'), 'gw-a', 1);
    expect(routed.outcome).toBe('dead-letter');
    if (routed.outcome === 'dead-letter')
      expect(routed.reason).toMatch(/does not match the topic's device/);
  });

  it('should check status payloads with the status decoder', () => {
    const routed = routeUplink(
      { deviceId: 'veh-1', kind: 'status' },
      'v1/veh-1/status',
      batch('veh-1'),
      'gw',
      1,
    );
    expect(routed.outcome).toBe('dead-letter');
  });
});
