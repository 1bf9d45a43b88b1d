import { signalId } from '@fleetline/proto';
import { describe, expect, it } from 'vitest';
import type { AgentConfig } from '../../src/agent/config.js';
import { pipelineOptions } from '../../src/agent/pipeline-options.js';

const base = {
  deviceId: 'veh-1',
  uplink: { url: 'mqtt://gw' },
  spool: { dir: '/tmp/spool' },
  signals: [{ from: 'obd.vehicle_speed', to: 'Vehicle.Speed' }],
} satisfies AgentConfig;

describe('pipelineOptions', () => {
  it('should take each signal by its own policy and the rest by the default', () => {
    const options = pipelineOptions(
      {
        ...base,
        collection: {
          default: { kind: 'period', periodMs: 250 },
          signals: { 'Vehicle.Speed': { kind: 'change', deadband: 1 } },
        },
      },
      128 * 1024,
    );
    expect(options.policyOf(signalId('Vehicle.Speed'))).toEqual({ kind: 'change', deadband: 1 });
    expect(options.policyOf(signalId('Vehicle.TraveledDistance'))).toEqual({
      kind: 'period',
      periodMs: 250,
    });
  });

  it('should take a signal once a second and close a batch after 5 s by default', () => {
    const options = pipelineOptions(base, 128 * 1024);
    expect(options.policyOf(signalId('Vehicle.Speed'))).toEqual({ kind: 'period', periodMs: 1000 });
    expect(options.batchIntervalMs).toBe(5000);
    expect(options.triggers).toEqual([]);
    expect(options.crash).toBeUndefined();
  });

  it('should close a batch early at as many samples as the byte bound surely holds', () => {
    expect(pipelineOptions(base, 128 * 1024).maxBatchSamples).toBe(Math.floor((128 * 1024) / 14));
    expect(pipelineOptions(base, 1024).maxBatchSamples).toBe(73);
  });

  it('should map readings as the config says, and pass on the triggers, crash and interval', () => {
    const trigger = { name: 'overspeed', when: 'Vehicle.Speed > 120' };
    const options = pipelineOptions(
      {
        ...base,
        uplink: { ...base.uplink, batchIntervalMs: 1000 },
        triggers: [trigger],
        crash: { enabled: false },
      },
      128 * 1024,
    );
    expect(options.mapper.wants('obd.vehicle_speed')).toBe(true);
    expect(options.mapper.wants('obd.engine_speed')).toBe(false);
    expect(options.triggers).toEqual([trigger]);
    expect(options.crash).toEqual({ enabled: false });
    expect(options.batchIntervalMs).toBe(1000);
  });
});
