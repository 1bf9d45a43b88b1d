import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createLogger,
  EmbeddedLog,
  fleetlineTopics,
  type LogConsumer,
  Registry,
  SqliteRecordsDb,
  SqliteTelemetryDb,
} from '@fleetline/platform';
import {
  type AlertChange,
  decodeAlertChange,
  encodeEvent,
  encodeTelemetryBatch,
  kafkaTopics,
  signalId,
} from '@fleetline/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestAccess } from '../../test-support/access.js';
import { cityDriveBatches } from '../../test-support/drive-profiles.js';
import { eventually } from '../../test-support/infra.js';
import { startAlertRecorder } from '../src/alerts/alert-recorder.js';
import { buildApi } from '../src/api/server.js';
import { type RunningProcessor, startProcessor } from '../src/processor.js';

/**
 * The processor with its detectors on the embedded adapters: telemetry and events in, alert
 * changes out on alerts.v1, each raised once — also when the same batches are delivered again
 * to a processor that restarted from the vehicles' snapshots — and recorded in the business
 * records' alert book for the API, where people acknowledge and resolve them.
 */

const t0 = Date.UTC(2026, 10, 25, 7, 30, 0);
const dir = mkdtempSync(join(tmpdir(), 'fleetline-processor-alerts-'));
const log = new EmbeddedLog({ path: join(dir, 'log.sqlite'), defaultPartitions: 2 });
const telemetryDb = new SqliteTelemetryDb({ path: join(dir, 'store.sqlite'), samplesTtlDays: 0 });
const recordsDb = new SqliteRecordsDb({ path: join(dir, 'records.sqlite') });
const alerts: AlertChange[] = [];
let alertsConsumer: LogConsumer;
let recorder: LogConsumer;
let processor: RunningProcessor | undefined;
let metrics: Registry;

const drives = {
  'veh-crash': cityDriveBatches(t0, { crashAtMs: 31_000 }),
  'veh-rough': cityDriveBatches(t0, { brakingAtMs: 20_000, potholesAtMs: [8_000, 41_000] }),
};

/** The edge's own events: the crash vehicle's agent reports its collision, the other a DTC. */
const events = [
  encodeEvent({
    deviceId: 'veh-crash',
    seq: 50,
    timeMs: t0 + 31_000,
    payload: {
      kind: 'collision',
      collision: {
        severity: 'severe',
        peakG: 25.9,
        deltaVKmh: 46,
        direction: 'front',
        speedBeforeKmh: 50,
        window: [],
      },
    },
  }),
  encodeEvent({
    deviceId: 'veh-rough',
    seq: 51,
    timeMs: t0 + 5_000,
    payload: { kind: 'troubleCodes', codes: ['P0171'] },
  }),
];

async function sendDrives(): Promise<void> {
  const producer = await log.createProducer();
  for (const [deviceId, batches] of Object.entries(drives)) {
    await producer.send(
      batches.map((samples, i) => ({
        topic: kafkaTopics.telemetry,
        key: deviceId,
        value: encodeTelemetryBatch({ deviceId, seq: i + 1, samples }),
      })),
    );
  }
  await producer.send([
    { topic: kafkaTopics.events, key: 'veh-crash', value: events[0] as Uint8Array },
    { topic: kafkaTopics.events, key: 'veh-rough', value: events[1] as Uint8Array },
  ]);
  await producer.close();
}

const start = async () => {
  metrics = new Registry();
  processor = await startProcessor({
    log,
    telemetryDb,
    groupId: 'processors',
    logger: createLogger('processor-test', 'silent'),
    metrics,
    onFatal: (err) => {
      throw err;
    },
  });
};

const duplicates = async () =>
  (
    (await metrics.getSingleMetric('fleetline_processor_duplicates_total')?.get())?.values ?? []
  ).reduce((n, v) => n + v.value, 0);

/** Records handled with this outcome (stored, duplicate, dead-letter). */
const records = async (outcome: string) =>
  ((await metrics.getSingleMetric('fleetline_processor_records_total')?.get())?.values ?? [])
    .filter((v) => v.labels.outcome === outcome)
    .reduce((n, v) => n + v.value, 0);
const handled = () => records('stored');

beforeAll(async () => {
  await log.ensureTopics(fleetlineTopics({ topicPartitions: 2, topicReplication: 1 }));
  alertsConsumer = await log.consume({
    groupId: 'alert-reader',
    topics: [kafkaTopics.alerts],
    handle: async (records) => {
      for (const r of records) alerts.push(decodeAlertChange(r.value));
    },
  });
  recorder = await startAlertRecorder({
    log,
    recordsDb,
    groupId: 'alert-recorder',
    logger: createLogger('recorder-test', 'silent'),
    metrics: new Registry(),
    onFatal: (err) => {
      throw err;
    },
  });
});

afterAll(async () => {
  await processor?.close();
  await alertsConsumer.close();
  await recorder.close();
  await log.close();
  await telemetryDb.close();
  await recordsDb.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('processor alerts', () => {
  // Telemetry batches and the two events.
  const batchCount = drives['veh-crash'].length + drives['veh-rough'].length + 2;

  it('should raise one collision for the crash (seen by the edge and in the samples), and none for the rough drive', async () => {
    await start();
    await sendDrives();
    await eventually(async () => (await handled()) === batchCount, 'every batch handled', 20_000);
    await eventually(() => alerts.length >= 3, 'the alerts on alerts.v1', 10_000);
    expect(alerts.map((a) => `${a.deviceId} ${a.type} ${a.transition}`).sort()).toEqual([
      'veh-crash collision raised',
      'veh-rough dtc raised',
      'veh-rough harsh_braking raised',
    ]);
    // Whichever came first, the edge's event or the samples, made the one alert.
    expect(alerts.find((a) => a.type === 'collision')).toMatchObject({
      severity: 'critical',
      evidence: { direction: 'front' },
    });
    // The samples were stored too.
    const speed = await telemetryDb.querySamples({
      deviceId: 'veh-crash',
      signalId: signalId('Vehicle.Speed'),
      fromMs: t0,
      toMs: t0 + 60_000,
      limit: 10_000,
    });
    expect(speed).toHaveLength(600);
  });

  it('should not raise again when a restarted processor gets the same batches again', async () => {
    await processor?.close();
    await start();
    await sendDrives(); // the same seqs: redelivered, as after a crash upstream
    await eventually(
      async () => (await records('duplicate')) === batchCount,
      'every batch handled again',
      20_000,
    );
    // Each recognised by its seq from the restored snapshots, not handled twice, and not
    // counted as stored.
    expect(await duplicates()).toBe(batchCount);
    expect(await handled()).toBe(0);
    // A marker: a later batch of the crash vehicle, with nothing in it to raise.
    const producer = await log.createProducer();
    await producer.send([
      {
        topic: kafkaTopics.telemetry,
        key: 'veh-crash',
        value: encodeTelemetryBatch({
          deviceId: 'veh-crash',
          seq: 100,
          samples: [{ signalId: signalId('Vehicle.Speed'), timeMs: t0 + 70_000, value: 0 }],
        }),
      },
    ]);
    await producer.close();
    await eventually(async () => (await handled()) === 1, 'the marker handled', 20_000);
    expect(alerts.map((a) => a.type).sort()).toEqual(['collision', 'dtc', 'harsh_braking']);
    const snapshot = JSON.parse((await telemetryDb.loadSnapshot('veh-crash'))?.data ?? '{}');
    expect(snapshot.streams[0].telemetry.seqs.ranges.at(-1)).toEqual([100, 100]);
  });

  it('should serve the alerts at GET /api/alerts, and take an acknowledgement and a resolution', async () => {
    // Both vehicles in a store of an organisation; its admin lists, an advisor of the store
    // acknowledges. (Unbound again at the end: the next test binds veh-rough its own way.)
    const access = await openTestAccess(recordsDb);
    await access.bind('veh-crash', 'veh-rough');
    const { headers } = access;
    const advisor = await access.token('service_advisor', access.storeId);
    const api = buildApi({
      telemetryDb,
      records: recordsDb,
      logger: createLogger('api-test', 'silent'),
      metrics: new Registry(),
    });
    try {
      const list = async (query: string) =>
        (await api.inject({ method: 'GET', url: `/api/alerts?${query}`, headers })).json() as {
          id: string;
          deviceId: string;
          type: string;
          severity: string;
          state: string;
          raisedAt: string;
          acknowledgedBy?: string;
          resolvedBy?: string;
        }[];
      const range = `from=${new Date(t0 - 60_000).toISOString()}&to=${new Date(t0 + 3_600_000).toISOString()}`;
      await eventually(
        async () => (await list(range)).length === 3,
        'three alerts recorded',
        10_000,
      );
      const [collision] = await list(`${range}&type=collision`);
      expect(collision).toMatchObject({
        deviceId: 'veh-crash',
        type: 'collision',
        severity: 'critical',
        state: 'open',
      });
      expect(Date.parse(collision?.raisedAt ?? '')).toBeGreaterThanOrEqual(t0 + 31_000);
      const id = collision?.id ?? '';
      // Who acknowledges and who resolves is the caller, whatever a body says.
      const ack = await api.inject({
        method: 'POST',
        url: `/api/alerts/${id}/ack`,
        payload: { by: 'li.wei' },
        headers: advisor,
      });
      expect(ack.statusCode).toBe(200);
      expect(ack.json()).toMatchObject({
        state: 'acknowledged',
        acknowledgedBy: 'token test service_advisor',
      });
      const resolved = await api.inject({
        method: 'POST',
        url: `/api/alerts/${id}/resolve`,
        headers,
      });
      expect(resolved.json()).toMatchObject({
        state: 'resolved',
        acknowledgedBy: 'token test service_advisor',
        resolvedBy: 'token test org_admin',
      });
      expect((await list(`${range}&state=open`)).map((a) => a.type).sort()).toEqual([
        'dtc',
        'harsh_braking',
      ]);
      expect((await list(`${range}&deviceId=veh-rough&type=dtc`)).map((a) => a.deviceId)).toEqual([
        'veh-rough',
      ]);
      // Bad input is refused with a reason, unknown ids are 404.
      const bad = await api.inject({ method: 'GET', url: '/api/alerts?type=meteor', headers });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().message).toMatch(/type/);
      const missing = await api.inject({
        method: 'POST',
        url: '/api/alerts/nope/resolve',
        headers,
      });
      expect(missing.statusCode).toBe(404);
    } finally {
      await api.close();
      for (const deviceId of ['veh-crash', 'veh-rough']) {
        const v = await recordsDb.getVehicleByDevice(deviceId);
        if (v) await recordsDb.bindDevice(v.id, undefined);
      }
    }
  });

  it('should list the recorded alerts to the store of the vehicle their device is bound to', async () => {
    const org = await recordsDb.createOrganisation({ name: 'Dealer', kind: 'dealer_group' });
    const store = await recordsDb.createStore({ orgId: org.id, name: 'North', code: 'N1' });
    const other = await recordsDb.createStore({ orgId: org.id, name: 'South', code: 'S1' });
    await recordsDb.createVehicle({
      orgId: org.id,
      vin: 'LGXCE4CB0N0000001',
      homeStoreId: store.id,
      deviceId: 'veh-rough',
    });
    const listed = async (storeId: string) =>
      (
        await recordsDb.listAlerts({
          fromMs: t0 - 60_000,
          toMs: t0 + 3_600_000,
          scope: { orgIds: [], storeIds: [storeId], groupIds: [] },
          limit: 10,
        })
      ).map((a) => `${a.deviceId} ${a.type} ${a.state}`);
    expect((await listed(store.id)).sort()).toEqual([
      'veh-rough dtc open',
      'veh-rough harsh_braking open',
    ]);
    expect(await listed(other.id)).toEqual([]);
  });
});
