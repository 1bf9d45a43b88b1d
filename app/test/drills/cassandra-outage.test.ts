import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dataDirRecords, openTestAccess, type TestAccess } from '../../../test-support/access.js';
import { eventually, kafka, kafkaBrokers, uniqueName } from '../../../test-support/infra.js';
import { PrivateCassandra } from '../../../test-support/infra-instance.js';
import { freePort, repoRoot, Service } from '../../../test-support/process.js';
import { type Credentials, type PublishRun, publishFleet, signals } from '../fleet-publisher.js';

const execFileAsync = promisify(execFile);

/**
 * Drill: Cassandra stopped and started again while a fleet publishes. The gateway keeps
 * acknowledging (Kafka holds what it acknowledged), the processor pauses without losing or
 * dropping anything and without exiting, and once Cassandra is back every acknowledged sample
 * is stored exactly once. The node is a private one (its own ports and state), so the shared
 * node that other test files use meanwhile is never stopped. The reads are an organisation's
 * admin's, the devices bound to its vehicles in the records the cloud keeps in its data
 * directory.
 */

const kafkaUp = await kafka();
const N_VEHICLES = 4;
const M_BATCHES = 120;

describe.skipIf(kafkaUp.reason)('drill: Cassandra stopped and started under load', () => {
  let node: PrivateCassandra;
  let gateway: Service | undefined;
  let processor: Service | undefined;
  let dataDir: string;
  let env: Record<string, string>;
  let mqttUrl: string;
  let apiUrl: string;
  let access: TestAccess | undefined;
  const runs: PublishRun[] = [];

  beforeAll(async () => {
    node = await PrivateCassandra.create('drill-cassandra');
    await node.up();
    const [mqttPort, httpPort] = [await freePort(), await freePort()];
    dataDir = mkdtempSync(join(tmpdir(), 'fleetline-drill-'));
    const run = uniqueName('drill').toLowerCase();
    env = {
      FLEETLINE_DATA_DIR: dataDir,
      MQTT_HOST: '127.0.0.1',
      MQTT_PORT: String(mqttPort),
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(httpPort),
      CLOUD_OPS_PORT: '0',
      GATEWAY_HTTP_PORT: '0',
      KAFKA_BROKERS: kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: `${run}.`,
      LOG_PARTITIONS: '2',
      PROCESSOR_GROUP: `${run}-processor`,
      CASSANDRA_CONTACT_POINTS: node.contactPoint,
      CASSANDRA_KEYSPACE: run,
    };
    mqttUrl = `mqtt://127.0.0.1:${mqttPort}`;
    apiUrl = `http://127.0.0.1:${httpPort}`;
    // The processor creates the topics and the keyspace; the gateway then finds them.
    processor = Service.start('cloud', 'cloud/dist/main.js', env);
    await processor.waitFor(/API on http/, 120_000);
    access = await openTestAccess(dataDirRecords(dataDir));
    gateway = Service.start('gateway', 'gateway/dist/main.js', env);
    await gateway.waitFor(/gateway listening on/, 60_000);
  }, 400_000);

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') {
      console.error(`gateway:\n${gateway?.tail(40)}\ncloud:\n${processor?.tail(60)}`);
    }
    await Promise.all(runs.splice(0).map((r) => r.close()));
  });

  afterAll(async () => {
    await Promise.all([gateway?.stop(), processor?.stop()]);
    await access?.close();
    await node?.down();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 120_000);

  async function register(deviceIds: readonly string[]): Promise<Map<string, Credentials>> {
    const out = new Map<string, Credentials>();
    for (const id of deviceIds) {
      const { stdout } = await execFileAsync(
        process.execPath,
        [join(repoRoot, 'app/bin/fleetline.js'), 'devices', 'add', id],
        { env: { ...process.env, ...env } },
      );
      const c = JSON.parse(stdout) as Credentials;
      out.set(id, { username: c.username, password: c.password });
    }
    await access?.bind(...deviceIds);
    return out;
  }

  it('should keep acknowledging while Cassandra is down, never exit, and store every acknowledged sample exactly once after it is back', async () => {
    const baseTimeMs = Date.now() - 3600_000;
    const deviceIds = Array.from(
      { length: N_VEHICLES },
      (_, i) => `${uniqueName('drill').replaceAll('_', '-')}-${i}`,
    );
    const credentials = await register(deviceIds);
    // A third of the batches go out with Cassandra up; the rest wait until it is down, so
    // that however long stopping it takes, they are all published during the outage.
    let down!: () => void;
    const isDown = new Promise<void>((resolve) => {
      down = resolve;
    });
    const run = publishFleet({
      url: mqttUrl,
      deviceIds,
      credentials,
      batches: M_BATCHES,
      paceMs: 100,
      baseTimeMs,
      before: (batch) => (batch < M_BATCHES / 3 ? Promise.resolve() : isDown),
    });
    runs.push(run);
    await eventually(() => run.acked() >= run.total / 3, 'a third acknowledged', 60_000, 20);

    await node.down();
    down();
    // The gateway writes to Kafka, not Cassandra: the vehicles are acknowledged all along.
    await run.done;
    expect(run.acked()).toBe(run.total);
    // The processor noticed (its writes fail) and waits instead of failing its batch.
    await processor?.waitFor(/store or log unavailable; waiting/, 60_000);
    expect(processor?.running, 'the processor is still running with Cassandra down').toBe(true);

    await node.up();
    await processor?.waitFor(/store or log available again/, 120_000);
    const from = new Date(baseTimeMs - 1000).toISOString();
    const to = new Date(baseTimeMs + 3 * 3600_000).toISOString();
    for (const deviceId of deviceIds) {
      for (const s of signals) {
        const want = run.expected(deviceId, s.id);
        const url = `${apiUrl}/api/vehicles/${deviceId}/samples?signal=${s.name}&from=${from}&to=${to}&limit=100000`;
        const got = await eventually(
          async () => {
            const res = await fetch(url, { headers: access?.headers ?? {} });
            if (!res.ok) return undefined;
            const rows = (await res.json()) as { t: string; v: number }[];
            return rows.length >= want.length ? rows : undefined;
          },
          () => `${want.length} samples of ${s.name} for ${deviceId}`,
          180_000,
          500,
        );
        expect(got).toEqual(want);
      }
    }
    expect(processor?.running, 'the processor never exited').toBe(true);
    expect(gateway?.running, 'the gateway never exited').toBe(true);
  }, 600_000);
});
