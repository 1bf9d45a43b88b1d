import {
  createLogger,
  type LogProducer,
  type ProduceRecord,
  type SampleRow,
  StoreUnavailableError,
  type TelemetryDb,
} from '@fleetline/platform';
import { type AlertChange, decodeAlertChange, kafkaTopics } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import { processorEffects } from '../src/processor-effects.js';
import { OutageGate } from '../src/retry.js';

/**
 * The processor's effects: the writes of every actor of a turn gathered into one, each
 * write waiting out an outage of the telemetry database at the gate instead of failing, alert
 * changes published to alerts.v1 keyed by vehicle.
 */

const row = (deviceId: string, timeMs: number): SampleRow => ({
  deviceId,
  signalId: 1,
  timeMs,
  value: 1,
});

function rig(failFirst = 0) {
  const writes: SampleRow[][] = [];
  const sent: ProduceRecord[][] = [];
  let failures = failFirst;
  const telemetryDb = {
    writeSamples: async (rows: readonly SampleRow[]) => {
      if (failures-- > 0) throw new StoreUnavailableError('store down');
      writes.push([...rows]);
    },
  } as unknown as TelemetryDb;
  const producer: LogProducer = {
    send: async (records) => void sent.push([...records]),
    close: async () => {},
  };
  const gate = new OutageGate('store or log', createLogger('effects-test', 'silent'), 1);
  return { effects: processorEffects({ producer, telemetryDb, gate }), writes, sent, gate };
}

describe('the processor’s effects', () => {
  it('should write the rows of every call of one turn together', async () => {
    const r = rig();
    await Promise.all([
      r.effects.writeSamples([row('veh-1', 1), row('veh-1', 2)]),
      r.effects.writeSamples([row('veh-2', 1)]),
    ]);
    expect(r.writes).toEqual([[row('veh-1', 1), row('veh-1', 2), row('veh-2', 1)]]);
  });

  it('should wait out a telemetry database that is down, and write once it is back', async () => {
    const r = rig(3);
    await r.effects.writeSamples([row('veh-1', 1)]);
    expect(r.writes).toEqual([[row('veh-1', 1)]]);
    expect(r.gate.waiting).toBe(0);
  });

  it('should give up waiting when the gate stops', async () => {
    const r = rig(Number.POSITIVE_INFINITY);
    const write = r.effects.writeSamples([row('veh-1', 1)]);
    r.gate.stop();
    await expect(write).rejects.toThrow('store down');
  });

  it('should publish alert changes to alerts.v1, keyed by vehicle', async () => {
    const r = rig();
    const change: AlertChange = {
      alertId: 'a-1',
      deviceId: 'veh-1',
      type: 'overheat',
      severity: 'warning',
      transition: 'raised',
      conditionKey: 'overheat',
      timeMs: 1000,
      evidence: { coolantC: 112 },
      clearsWhen: 'coolant at or under 100 °C for 60 s',
    };
    await r.effects.publishAlerts([change]);
    expect(r.sent).toHaveLength(1);
    expect(r.sent[0]?.map((s) => [s.topic, s.key])).toEqual([[kafkaTopics.alerts, 'veh-1']]);
    expect(decodeAlertChange(r.sent[0]?.[0]?.value as Uint8Array)).toEqual(change);
  });
});
