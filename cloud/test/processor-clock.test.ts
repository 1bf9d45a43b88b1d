import type { ProduceRecord } from '@fleetline/platform';
import {
  encodeStatus,
  encodeTelemetryBatch,
  kafkaHeaders,
  kafkaTopics,
  signalId,
} from '@fleetline/proto';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/infra.js';
import { embeddedRig } from './support/embedded-rig.js';

/**
 * status.v1 and the clock: a vehicle's connection reports are kept and count as being heard
 * from; the clock opens "offline" for a vehicle that went silent — once, at the moment the
 * silence became too long, whichever tick notices it — and the vehicle coming back clears it.
 */

const rig = await embeddedRig('clock');
const { store } = rig;
const changes = rig.alertChanges;
afterAll(() => rig.close());

const HOUR = 3_600_000;
const SPEED = signalId('Vehicle.Speed');
const t0 = Date.UTC(2026, 10, 20, 8, 0, 0);

describe('processor: status and the clock', () => {
  it('should keep status reports, open offline once after 48 h of silence, and clear it on return', async () => {
    let nowMs = t0;
    const processor = await rig.startProcessor({ tickMs: 0, sweepMs: 0, now: () => nowMs });
    await rig.watchAlerts();
    const producer = await rig.log.createProducer();
    const at = (ms: number) => ({ [kafkaHeaders.receivedAt]: String(ms) });
    const status = (state: 'online' | 'offline', ms: number): ProduceRecord => ({
      topic: kafkaTopics.status,
      key: 'veh-c',
      value: encodeStatus({ deviceId: 'veh-c', timeMs: ms, state, agentVersion: '1.4.2' }),
      headers: at(ms),
    });
    try {
      await producer.send([
        status('online', t0),
        {
          topic: kafkaTopics.telemetry,
          key: 'veh-c',
          value: encodeTelemetryBatch({
            deviceId: 'veh-c',
            seq: 1,
            samples: [
              { signalId: SPEED, timeMs: t0 + 1000, value: 30 },
              { signalId: SPEED, timeMs: t0 + 2000, value: 42 },
            ],
          }),
          headers: at(t0 + 2500),
        },
        status('offline', t0 + 3000),
        // A stale report, delivered late, changes nothing.
        status('online', t0 + 500),
      ]);
      await eventually(
        async () => (await store.getStatus('veh-c'))?.state === 'offline',
        'the latest status kept',
        10_000,
      );
      expect(await store.getStatus('veh-c')).toMatchObject({
        state: 'offline',
        timeMs: t0 + 3000,
        agentVersion: '1.4.2',
      });
      expect(await store.latestValues('veh-c')).toEqual([
        { deviceId: 'veh-c', signalId: SPEED, timeMs: t0 + 2000, value: 42 },
      ]);

      // 47 h later nothing is due; at 49 h and 50 h the sweep finds it silent: one alert, raised
      // at last heard + 48 h.
      nowMs = t0 + 47 * HOUR;
      await processor.sweep();
      nowMs = t0 + 49 * HOUR;
      await processor.sweep();
      nowMs = t0 + 50 * HOUR;
      await processor.sweep();
      await eventually(() => changes.length >= 1, 'the offline alert', 10_000);
      const raised = changes.filter((c) => c.type === 'offline' && c.transition === 'raised');
      expect(raised).toHaveLength(1);
      expect(raised[0]?.timeMs).toBe(t0 + 2500 + 48 * HOUR);
      expect(raised[0]?.severity).toBe('warning');

      // Back online: the condition clears.
      const back = t0 + 51 * HOUR;
      await producer.send([status('online', back)]);
      await eventually(
        () => changes.some((c) => c.type === 'offline' && c.transition === 'cleared'),
        'offline cleared',
        10_000,
      );
      expect(changes.filter((c) => c.type === 'offline').map((c) => c.transition)).toEqual([
        'raised',
        'cleared',
      ]);
    } finally {
      await producer.close();
    }
  });
});
