import {
  createLogger,
  type LogProducer,
  type LogRecord,
  type ProduceRecord,
  partitionForKey,
  Registry,
} from '@fleetline/platform';
import { encodeTelemetryBatch, kafkaHeaders, kafkaTopics, signalId } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import { PoisonMessageError } from '../src/errors.js';
import { PartitionOwnership } from '../src/partition-ownership.js';
import { batchHandler } from '../src/processor-batch.js';
import { processorMetrics } from '../src/processor-metrics.js';
import type { VehicleMessage, VehicleOutcome } from '../src/vehicle-messages.js';

/**
 * A consumer batch through the actors, with the actors and the log in memory: each vehicle's
 * records as one message, dead letters for what does not decode and what poisons its vehicle,
 * every record counted by outcome.
 */

const SPEED = signalId('Vehicle.Speed');
const t0 = Date.UTC(2026, 10, 25, 7, 30, 0);

let offset = 0;
const telemetry = (deviceId: string, seq: number): LogRecord => ({
  topic: kafkaTopics.telemetry,
  partition: 3,
  offset: offset++,
  key: deviceId,
  value: encodeTelemetryBatch({
    deviceId,
    seq,
    samples: [{ signalId: SPEED, timeMs: t0, value: 1 }],
  }),
  headers: {},
  timestampMs: t0,
});

function rig(outcomes: Record<string, Partial<VehicleOutcome>>, failing?: string) {
  const told = new Map<string, readonly VehicleMessage[]>();
  const sent: ProduceRecord[][] = [];
  const registry = new Registry();
  const ownership = new PartitionOwnership(12);
  const producer: LogProducer = {
    send: async (records) => void sent.push([...records]),
    close: async () => {},
  };
  const handle = batchHandler({
    tell: async (deviceId, messages) => {
      told.set(deviceId, messages);
      if (deviceId === failing) throw new Error('store down past retrying');
      return { poisoned: [], duplicates: [], samples: 0, alertChanges: [], ...outcomes[deviceId] };
    },
    ownership,
    producer,
    metrics: processorMetrics(registry),
    log: createLogger('batch-test', 'silent'),
  });
  const handled = async () =>
    ((await registry.getSingleMetric('fleetline_processor_records_total')?.get())?.values ?? [])
      .map((v) => `${v.labels.outcome}:${v.value}`)
      .sort();
  return { handle, told, sent, ownership, handled };
}

describe('a consumer batch through the actors', () => {
  it('should tell each vehicle its records at once and dead-letter what cannot be handled', async () => {
    const poison = new PoisonMessageError('vehicle veh-1 cannot handle telemetry seq 2: bug', {
      deviceId: 'veh-1',
      seq: 2,
    });
    const r = rig({ 'veh-1': { poisoned: [{ index: 1, error: poison }], duplicates: [2] } });
    const garbage: LogRecord = { ...telemetry('veh-2', 1), value: new Uint8Array([0xff]) };
    const batch = [
      telemetry('veh-1', 1),
      telemetry('veh-2', 1),
      telemetry('veh-1', 2),
      garbage,
      telemetry('veh-1', 3),
    ];
    await r.handle(batch);
    expect([...r.told.keys()]).toEqual(['veh-1', 'veh-2']);
    expect(r.told.get('veh-1')?.length).toBe(3);
    // One send, after the actors: what did not decode, then what poisoned its vehicle.
    expect(r.sent).toHaveLength(1);
    expect(r.sent[0]?.map((d) => d.headers?.[kafkaHeaders.source])).toEqual([
      `${kafkaTopics.telemetry}/3/${garbage.offset}`,
      `${kafkaTopics.telemetry}/3/${batch[2]?.offset}`,
    ]);
    expect(r.sent[0]?.[1]?.headers?.[kafkaHeaders.errorCode]).toBe(poison.code);
    expect(await r.handled()).toEqual(['dead-letter:2', 'duplicate:1', 'stored:2']);
  });

  it('should note the partition each vehicle’s records came on', async () => {
    const r = rig({});
    // A vehicle whose key hashes elsewhere: owned here only by where its records came.
    const id = ['veh-7', 'veh-8', 'veh-9'].find((k) => partitionForKey(k, 12) !== 3) as string;
    r.ownership.assign([{ topic: kafkaTopics.telemetry, partition: 3 }]);
    expect(r.ownership.owns(id)).toBe(false);
    await r.handle([telemetry(id, 1)]);
    expect(r.ownership.owns(id)).toBe(true);
  });

  it('should fail the batch when an actor cannot make its effects durable, sending nothing', async () => {
    const r = rig({}, 'veh-2');
    await expect(r.handle([telemetry('veh-1', 1), telemetry('veh-2', 1)])).rejects.toThrow(
      'store down past retrying',
    );
    expect(r.sent).toEqual([]);
  });
});
