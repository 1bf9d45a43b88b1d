import { createLogger, Registry } from '@fleetline/platform';
import {
  type AlertChange,
  encodeServiceUpdate,
  encodeTelemetryBatch,
  kafkaTopics,
  signalId,
} from '@fleetline/proto';
import { afterAll, describe, expect, it } from 'vitest';
import { openTestAccess } from '../../test-support/access.js';
import { eventually } from '../../test-support/infra.js';
import { buildApi } from '../src/api/server.js';
import { embeddedRig } from './support/embedded-rig.js';

/**
 * Maintenance through the API: a vehicle's service plan set with PUT reaches its actor over
 * service.v1 and opens "maintenance due" as the odometer passes it; a service recorded with
 * POST clears it. The calls are an organisation admin's, on a vehicle of the organisation.
 */

const rig = await embeddedRig('service');
const { telemetryDb, recordsDb } = rig;
const changes = rig.alertChanges;
afterAll(() => rig.close());

const ODOMETER = signalId('Vehicle.TraveledDistance');
const t0 = Date.UTC(2026, 10, 24, 7, 0, 0);

describe('processor: service plans and services from the API', () => {
  it('should open maintenance due by the vehicle’s own plan and clear it when a service is recorded', async () => {
    await rig.startProcessor();
    await rig.watchAlerts();
    const producer = await rig.log.createProducer();
    const access = await openTestAccess(recordsDb);
    await access.bind('veh-m');
    const api = buildApi({
      telemetryDb,
      records: recordsDb,
      logger: createLogger('service-test', 'silent'),
      metrics: new Registry(),
      publishServiceUpdate: (update) =>
        producer.send([
          { topic: kafkaTopics.service, key: update.deviceId, value: encodeServiceUpdate(update) },
        ]),
    });
    const call = async (method: 'PUT' | 'POST', url: string, payload: object) => {
      const res = await api.inject({ method, url, payload, headers: access.headers });
      expect(res.statusCode, res.body).toBeLessThan(300);
    };
    try {
      // 12,000 km on the clock, 950 km driven: under the default plan (10,000 km) nothing is due.
      await producer.send(
        [0, 1, 2].map((b) => ({
          topic: kafkaTopics.telemetry,
          key: 'veh-m',
          value: encodeTelemetryBatch({
            deviceId: 'veh-m',
            seq: b + 1,
            samples: [{ signalId: ODOMETER, timeMs: t0 + b * 60_000, value: 12_000 + b * 475 }],
          }),
        })),
      );
      await eventually(
        async () => (await telemetryDb.latestValues('veh-m')).length > 0,
        'the odometer handled',
        10_000,
      );
      expect(changes).toEqual([]);

      // This vehicle is serviced every 1,000 km, "coming up" from 900 km.
      await call('PUT', '/api/vehicles/veh-m/service-plan', {
        intervalKm: 1000,
        intervalDays: 365,
        aheadKm: 100,
        aheadDays: 14,
      });
      await eventually(
        () => changes.some((c) => c.type === 'maintenance_due' && c.transition === 'raised'),
        'maintenance due',
        10_000,
      );
      const due = changes.find((c) => c.type === 'maintenance_due') as AlertChange;
      expect(due.conditionKey).toBe('due');
      expect(due.evidence).toMatchObject({ kmSinceService: 950, intervalKm: 1000 });

      await call('POST', '/api/vehicles/veh-m/services', {
        odometerKm: 12_950,
      });
      await eventually(
        () => changes.some((c) => c.type === 'maintenance_due' && c.transition === 'cleared'),
        'maintenance due cleared by the service',
        10_000,
      );
      expect(changes.map((c) => `${c.type}:${c.conditionKey}:${c.transition}`)).toEqual([
        'maintenance_due:due:raised',
        'maintenance_due:due:cleared',
      ]);
    } finally {
      await api.close();
      await producer.close();
    }
  });
});
