import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { alertChanges, type OpenAlerts, vehicleDetectors } from '@fleetline/cloud';
import { MqttUplink } from '@fleetline/edge';
import { encodeTelemetryBatch, mqttTopic, signalId } from '@fleetline/proto';
import mqtt from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dataDirRecords, openTestAccess, type TestAccess } from '../../test-support/access.js';
import { cityDriveBatches } from '../../test-support/drive-profiles.js';
import {
  cassandra,
  cassandraContactPoints,
  eventually,
  kafka,
  kafkaBrokers,
  uniqueName,
} from '../../test-support/infra.js';
import { kafkaClients } from '../../test-support/kafka-clients.js';
import { freePort, repoRoot, Service } from '../../test-support/process.js';
import { type Credentials, type PublishRun, publishFleet, signals } from './fleet-publisher.js';

const execFileAsync = promisify(execFile);
const cli = join(repoRoot, 'app/bin/fleetline.js');

/**
 * End to end: vehicles publish over MQTT → gateway → log → processor → telemetry database → HTTP
 * API, with every sample asserted to arrive exactly once — also when a process is SIGKILLed and
 * restarted mid-stream. The same suite runs on the embedded adapters (one process) and on
 * real Kafka + Cassandra (gateway and processor as separate processes). The API is read as an
 * organisation's admin, each device registered bound to a vehicle of that organisation in the
 * business records the cloud keeps in its data directory.
 */

type Fault = 'gateway' | 'processor';

interface SystemUnderTest {
  name: string;
  skip: string | undefined;
  faults: Fault[];
  start(): Promise<void>;
  kill(which: Fault): Promise<void>;
  restart(which: Fault): Promise<void>;
  /** Output of the process that runs the gateway. */
  gatewayOutput(): string[];
  /** The last lines of every process, for a failing test's report. */
  tails(): string;
  stop(): Promise<void>;
  mqttUrl: string;
  apiUrl: string;
  /** The environment the system runs with, which the `fleetline` CLI shares. */
  env: Record<string, string>;
  /** Where the cloud keeps its business records (records.sqlite). */
  dataDir: string;
}

const N_VEHICLES = 4;
const M_BATCHES = 40;
const dataDirs: string[] = [];
afterAll(() => {
  for (const d of dataDirs) rmSync(d, { recursive: true, force: true });
});

async function embeddedSystem(): Promise<SystemUnderTest> {
  const [mqttPort, httpPort] = [await freePort(), await freePort()];
  const dataDir = mkdtempSync(join(tmpdir(), 'fleetline-e2e-'));
  dataDirs.push(dataDir);
  const env = {
    FLEETLINE_DATA_DIR: dataDir,
    MQTT_HOST: '127.0.0.1',
    MQTT_PORT: String(mqttPort),
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(httpPort),
    CLOUD_OPS_PORT: '0',
    SIM_VEHICLES: '0',
    KAFKA_BROKERS: '',
    CASSANDRA_CONTACT_POINTS: '',
  };
  let proc: Service | undefined;
  const launch = async () => {
    proc = Service.start('fleetline', 'app/dist/start.js', env);
    await proc.waitFor(/Fleetline is running/);
  };
  return {
    name: 'embedded log + SQLite, one process',
    skip: undefined,
    faults: ['gateway'],
    start: launch,
    kill: async () => {
      await proc?.kill('SIGKILL');
    },
    restart: launch,
    gatewayOutput: () => proc?.output ?? [],
    tails: () => `fleetline:\n${proc?.tail(40)}`,
    stop: async () => {
      await proc?.stop();
    },
    mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
    apiUrl: `http://127.0.0.1:${httpPort}`,
    env,
    dataDir,
  };
}

async function realSystem(skip: string | undefined, kafkaClient: string): Promise<SystemUnderTest> {
  const [mqttPort, httpPort] = [await freePort(), await freePort()];
  const dataDir = mkdtempSync(join(tmpdir(), 'fleetline-e2e-'));
  dataDirs.push(dataDir);
  const run = uniqueName('e2e').toLowerCase();
  const env = {
    FLEETLINE_DATA_DIR: dataDir,
    MQTT_HOST: '127.0.0.1',
    MQTT_PORT: String(mqttPort),
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(httpPort),
    CLOUD_OPS_PORT: '0',
    KAFKA_BROKERS: kafkaBrokers.join(','),
    KAFKA_CLIENT: kafkaClient,
    GATEWAY_HTTP_PORT: '0',
    KAFKA_TOPIC_PREFIX: `${run}.`,
    LOG_PARTITIONS: '4',
    PROCESSOR_GROUP: `${run}-processor`,
    CASSANDRA_CONTACT_POINTS: cassandraContactPoints.join(','),
    CASSANDRA_KEYSPACE: run,
  };
  const procs: Partial<Record<Fault, Service>> = {};
  const launch = async (which: Fault) => {
    if (which === 'gateway') {
      procs.gateway = Service.start('gateway', 'gateway/dist/main.js', env);
      await procs.gateway.waitFor(/gateway listening on/);
    } else {
      procs.processor = Service.start('cloud', 'cloud/dist/main.js', env);
      await procs.processor.waitFor(/API on http/);
    }
  };
  return {
    name: `Kafka (${kafkaClient}) + Cassandra, gateway and processor processes`,
    skip,
    faults: ['gateway', 'processor'],
    start: async () => {
      // The processor creates the topics and keyspace; the gateway then finds them.
      await launch('processor');
      await launch('gateway');
    },
    kill: async (which) => {
      await procs[which]?.kill('SIGKILL');
    },
    restart: launch,
    gatewayOutput: () => procs.gateway?.output ?? [],
    tails: () => `gateway:\n${procs.gateway?.tail(40)}\ncloud:\n${procs.processor?.tail(40)}`,
    stop: async () => {
      await Promise.all([procs.gateway?.stop(), procs.processor?.stop()]);
    },
    mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
    apiUrl: `http://127.0.0.1:${httpPort}`,
    env,
    dataDir,
  };
}

const kafkaUp = await kafka();
const cassandraUp = await cassandra();
const realSkip = kafkaUp.reason ?? cassandraUp.reason;
const systems = [
  await embeddedSystem(),
  ...(await Promise.all(kafkaClients.map((c) => realSystem(realSkip ?? c.skip, c.name)))),
];

/**
 * Registers devices through the `fleetline devices add` CLI while the system runs, as an
 * operator would, binds each to a vehicle of the test organisation, and returns their
 * credentials.
 */
async function register(
  system: SystemUnderTest,
  access: TestAccess,
  deviceIds: readonly string[],
): Promise<Map<string, Credentials>> {
  const out = new Map<string, Credentials>();
  for (const id of deviceIds) {
    const { stdout } = await execFileAsync(process.execPath, [cli, 'devices', 'add', id], {
      env: { ...process.env, ...system.env },
    });
    const c = JSON.parse(stdout) as { deviceId: string; username: string; password: string };
    expect(c.deviceId).toBe(id);
    out.set(id, { username: c.username, password: c.password });
  }
  await access.bind(...deviceIds);
  return out;
}

async function getJson<T>(url: string, headers: Record<string, string>): Promise<T> {
  const res = await fetch(url, { headers });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

for (const system of systems) {
  describe.skipIf(system.skip)(`end to end: ${system.name}`, () => {
    const runs: PublishRun[] = [];
    let access: TestAccess;
    /** GET as the test organisation's admin. */
    const get = <T>(url: string) => getJson<T>(url, access.headers);
    beforeAll(async () => {
      await system.start();
      access = await openTestAccess(dataDirRecords(system.dataDir));
    }, 180_000);
    afterEach(async (ctx) => {
      if (ctx.task.result?.state === 'fail') console.error(system.tails());
      await Promise.all(runs.splice(0).map((r) => r.close()));
    });
    afterAll(async () => {
      await system.stop();
      await access?.close();
    }, 60_000);

    async function assertStoredExactlyOnce(
      run: PublishRun,
      deviceIds: readonly string[],
      baseTimeMs: number,
    ) {
      const from = new Date(baseTimeMs - 1000).toISOString();
      const to = new Date(baseTimeMs + 3600_000).toISOString();
      for (const deviceId of deviceIds) {
        for (const s of signals) {
          const want = run.expected(deviceId, s.id);
          const url = `${system.apiUrl}/api/vehicles/${deviceId}/samples?signal=${s.name}&from=${from}&to=${to}&limit=100000`;
          const got = await eventually(
            async () => {
              const rows = await get<{ t: string; v: number }[]>(url);
              return rows.length >= want.length ? rows : undefined;
            },
            `${want.length} samples of ${s.name} for ${deviceId}`,
            60_000,
            250,
          );
          // Same count (nothing lost, nothing doubled) and the same values, bit for bit.
          expect(got).toEqual(want);
        }
      }
    }

    /**
     * The batches' wild speeds and coolant temperatures raise and clear alerts (harsh driving,
     * overheat). The same detectors run here over what was sent, in order, give the alert ids
     * the system must hold: each one, and no other, whatever was killed meanwhile.
     */
    async function assertAlertsRaisedOnce(
      run: PublishRun,
      deviceIds: readonly string[],
      baseTimeMs: number,
    ) {
      const detectors = vehicleDetectors();
      let total = 0;
      for (const deviceId of deviceIds) {
        let state = detectors.initial();
        let open: OpenAlerts = {};
        const want = new Set<string>();
        for (const samples of run.batches(deviceId)) {
          const detected = detectors.detect(state, { kind: 'telemetry', samples, receivedAtMs: 0 });
          state = detected.state;
          const changes = alertChanges(deviceId, open, detected.findings);
          open = changes.open;
          for (const c of changes.changes) if (c.transition === 'raised') want.add(c.alertId);
        }
        total += want.size;
        const url = `${system.apiUrl}/api/alerts?deviceId=${deviceId}&from=${new Date(baseTimeMs - 1000).toISOString()}&to=${new Date(baseTimeMs + 3600_000).toISOString()}&limit=1000`;
        const got = await eventually(
          async () => {
            const alerts = await get<{ id: string }[]>(url);
            return alerts.length >= want.size ? alerts : undefined;
          },
          `${want.size} alerts for ${deviceId}`,
          60_000,
          250,
        );
        expect(got.map((a) => a.id).sort(), deviceId).toEqual([...want].sort());
      }
      // The drive must raise some, or this proves nothing.
      expect(total).toBeGreaterThanOrEqual(deviceIds.length * 3);
    }

    async function publishWith(fault: Fault | undefined) {
      const baseTimeMs = Date.now() - 3600_000;
      const deviceIds = Array.from(
        { length: N_VEHICLES },
        (_, i) => `${uniqueName('veh').replaceAll('_', '-')}-${i}`,
      );
      const credentials = await register(system, access, deviceIds);
      const run = publishFleet({
        url: system.mqttUrl,
        deviceIds,
        credentials,
        batches: M_BATCHES,
        paceMs: 40,
        baseTimeMs,
      });
      runs.push(run);
      if (fault) {
        await eventually(
          () => run.acked() >= run.total / 4,
          'a quarter of the batches acknowledged',
          30_000,
          5,
        );
        await system.kill(fault);
        await system.restart(fault);
      }
      await run.done;
      await assertStoredExactlyOnce(run, deviceIds, baseTimeMs);
      await assertAlertsRaisedOnce(run, deviceIds, baseTimeMs);
      const vehicles = await get<{ deviceId: string; lastSeen: string }[]>(
        `${system.apiUrl}/api/vehicles`,
      );
      for (const id of deviceIds) {
        const v = vehicles.find((x) => x.deviceId === id);
        expect(v, `${id} in /api/vehicles`).toBeDefined();
        expect(Number.isNaN(Date.parse(v?.lastSeen ?? ''))).toBe(false);
      }
    }

    it(
      `should store ${N_VEHICLES} vehicles × ${M_BATCHES} batches and raise their alerts exactly once`,
      () => publishWith(undefined),
      120_000,
    );

    for (const fault of system.faults) {
      it(
        `should store every batch and raise every alert exactly once when the ${fault} is SIGKILLed and restarted mid-stream`,
        () => publishWith(fault),
        180_000,
      );
    }

    it('should bring a simulated crash to GET /api/alerts as a collision, and a pothole drive as none', async () => {
      const t0 = Date.now() - 3_600_000;
      const crash = `${uniqueName('crash').replaceAll('_', '-')}`;
      const rough = `${uniqueName('rough').replaceAll('_', '-')}`;
      const credentials = await register(system, access, [crash, rough]);
      const drives = {
        [crash]: cityDriveBatches(t0, { crashAtMs: 31_000 }),
        [rough]: cityDriveBatches(t0, { brakingAtMs: 20_000, potholesAtMs: [8_000, 41_000] }),
      };
      // Each vehicle through the real edge uplink, as an older agent that sends raw acceleration.
      await Promise.all(
        Object.entries(drives).map(async ([deviceId, batches]) => {
          const uplink = new MqttUplink({
            url: system.mqttUrl,
            deviceId,
            reconnectMs: 200,
            maxReconnectMs: 1000,
            ...credentials.get(deviceId),
          });
          uplink.on('error', () => {});
          try {
            for (const [i, samples] of batches.entries()) {
              await uplink.publishTelemetry(
                encodeTelemetryBatch({ deviceId, seq: i + 1, samples }),
              );
            }
          } finally {
            await uplink.close();
          }
        }),
      );
      type Alert = { deviceId: string; type: string; severity: string; state: string };
      const alertsOf = (id: string) => get<Alert[]>(`${system.apiUrl}/api/alerts?deviceId=${id}`);
      await eventually(
        async () => (await alertsOf(crash)).some((a) => a.type === 'collision'),
        'the collision alert',
        60_000,
        500,
      );
      expect((await alertsOf(crash)).filter((a) => a.type === 'collision')).toMatchObject([
        { deviceId: crash, type: 'collision', severity: 'critical', state: 'open' },
      ]);
      await eventually(
        async () => (await alertsOf(rough)).some((a) => a.type === 'harsh_braking'),
        'the hard braking of the rough drive',
        60_000,
        500,
      );
      expect((await alertsOf(rough)).map((a) => a.type)).toEqual(['harsh_braking']);
    }, 150_000);

    it('should keep malformed payloads and other vehicles’ topics out of storage and keep serving', async () => {
      const baseTimeMs = Date.now() - 7200_000;
      const good = `${uniqueName('good').replaceAll('_', '-')}`;
      const mal = `${uniqueName('mal').replaceAll('_', '-')}`;
      const evil = `${uniqueName('evil').replaceAll('_', '-')}`;
      const victim = `${uniqueName('victim').replaceAll('_', '-')}`;
      const credentials = await register(system, access, [good, mal, evil]);
      // The victim is a vehicle too, never heard from: its samples and lastSeen can be read.
      await access.bind(victim);
      const run = publishFleet({
        url: system.mqttUrl,
        deviceIds: [good],
        credentials,
        batches: 10,
        paceMs: 20,
        baseTimeMs,
      });
      runs.push(run);

      const malClient = await mqtt.connectAsync(system.mqttUrl, {
        clientId: mal,
        ...credentials.get(mal),
        reconnectPeriod: 0,
      });
      // Not protobuf at all: acknowledged (the device cannot fix it by resending) and
      // dead-lettered.
      await malClient.publishAsync(
        mqttTopic(mal, 'telemetry'),
        Buffer.from('definitely not protobuf \xff\xff\xff'),
        {
          qos: 1,
        },
      );
      // Valid protobuf claiming to be another vehicle, on its own topic.
      const spoof = encodeTelemetryBatch({
        deviceId: victim,
        seq: 1,
        samples: [{ signalId: signalId('Vehicle.Speed'), timeMs: baseTimeMs, value: 1 }],
      });
      await malClient.publishAsync(mqttTopic(mal, 'telemetry'), Buffer.from(spoof), { qos: 1 });
      await malClient.endAsync();

      // Publishing to another vehicle's topic: refused and disconnected, never acknowledged.
      const evilClient = await mqtt.connectAsync(system.mqttUrl, {
        clientId: evil,
        ...credentials.get(evil),
        reconnectPeriod: 0,
      });
      const closed = new Promise<void>((r) => evilClient.once('close', () => r()));
      let acked = false;
      evilClient.publish(mqttTopic(victim, 'telemetry'), Buffer.from(spoof), { qos: 1 }, (err) => {
        if (!err) acked = true;
      });
      await closed;
      evilClient.end(true);

      await run.done;
      await assertStoredExactlyOnce(run, [good], baseTimeMs);
      expect(acked).toBe(false);
      for (const id of [mal, victim, evil]) {
        const rows = await get<unknown[]>(
          `${system.apiUrl}/api/vehicles/${id}/samples?signal=Vehicle.Speed&from=${new Date(baseTimeMs - 1000).toISOString()}&to=${new Date().toISOString()}`,
        );
        expect(rows, `samples of ${id}`).toEqual([]);
      }
      const vehicles = await get<{ deviceId: string; lastSeen?: string }[]>(
        `${system.apiUrl}/api/vehicles`,
      );
      expect(vehicles.map((v) => v.deviceId)).toContain(victim);
      expect(vehicles.find((v) => v.deviceId === victim)?.lastSeen).toBeUndefined();
      const out = system.gatewayOutput().join('\n');
      expect(out).toMatch(
        new RegExp(`${mal}.*not a valid TelemetryBatch|not a valid TelemetryBatch.*${mal}`),
      );
      expect(out).toMatch(/does not match the topic's device/);
      expect(out).toMatch(new RegExp(`${evil}.*publish refused|publish refused.*${evil}`));
    }, 120_000);
  });
}
