import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { dataDirRecords, openTestAccess } from '../../../test-support/access.js';
import { eventually, uniqueName } from '../../../test-support/infra.js';
import { freePort, repoRoot, Service } from '../../../test-support/process.js';
import { type Credentials, type PublishRun, publishFleet, signals } from '../fleet-publisher.js';

const execFileAsync = promisify(execFile);

/**
 * Drill: the all-in-one process (gateway, embedded log, processor, SQLite, API) SIGKILLed
 * again and again while a fleet publishes — at arbitrary points of its work, once while it is
 * still catching up after a restart. Each time it comes back on the same data directory, the
 * devices reconnect and resend what was not acknowledged, and in the end every acknowledged
 * sample is stored exactly once.
 */

const N_VEHICLES = 4;
const M_BATCHES = 150;

describe('drill: the embedded all-in-one SIGKILLed repeatedly under load', () => {
  let proc: Service | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'fleetline-kill-loop-'));
  const runs: PublishRun[] = [];
  const cleanup: (() => Promise<void>)[] = [];
  let kills = 0;

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') console.error(`fleetline:\n${proc?.tail(60)}`);
    await Promise.all(runs.splice(0).map((r) => r.close()));
  });
  afterAll(async () => {
    for (const close of cleanup) await close();
    await proc?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('should store every acknowledged sample exactly once across repeated SIGKILLs', async () => {
    const [mqttPort, httpPort] = [await freePort(), await freePort()];
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
    const launch = async () => {
      proc = Service.start('fleetline', 'app/dist/start.js', env);
      await proc.waitFor(/Fleetline is running/, 60_000);
    };
    const kill = async () => {
      await proc?.kill('SIGKILL');
      kills++;
    };
    await launch();

    const deviceIds = Array.from(
      { length: N_VEHICLES },
      (_, i) => `${uniqueName('kill').replaceAll('_', '-')}-${i}`,
    );
    const credentials = new Map<string, Credentials>();
    for (const id of deviceIds) {
      const { stdout } = await execFileAsync(
        process.execPath,
        [join(repoRoot, 'app/bin/fleetline.js'), 'devices', 'add', id],
        { env: { ...process.env, ...env } },
      );
      credentials.set(id, JSON.parse(stdout) as Credentials);
    }
    const baseTimeMs = Date.now() - 3600_000;
    const run = publishFleet({
      url: `mqtt://127.0.0.1:${mqttPort}`,
      deviceIds,
      credentials,
      batches: M_BATCHES,
      paceMs: 60,
      baseTimeMs,
    });
    runs.push(run);

    for (const share of [0.2, 0.45, 0.7]) {
      await eventually(
        () => run.acked() >= run.total * share,
        `${share * 100} % of the batches acknowledged`,
        90_000,
        5,
      );
      await kill();
      await launch();
      if (share === 0.45) {
        // Again while it is catching up: at the first acknowledgement after the restart, with
        // the devices still reconnecting and resending what was in flight.
        const acked = run.acked();
        await eventually(() => run.acked() > acked, 'a device acknowledged again', 60_000, 1);
        await kill();
        await launch();
      }
    }
    await run.done;
    expect(kills).toBe(4);

    // Read as an organisation's admin, the devices bound to its vehicles.
    const access = await openTestAccess(dataDirRecords(dataDir));
    cleanup.push(() => access.close());
    await access.bind(...deviceIds);
    const { headers } = access;
    const apiUrl = `http://127.0.0.1:${httpPort}`;
    const from = new Date(baseTimeMs - 1000).toISOString();
    const to = new Date(baseTimeMs + 3 * 3600_000).toISOString();
    for (const deviceId of deviceIds) {
      for (const s of signals) {
        const want = run.expected(deviceId, s.id);
        const url = `${apiUrl}/api/vehicles/${deviceId}/samples?signal=${s.name}&from=${from}&to=${to}&limit=100000`;
        const got = await eventually(
          async () => {
            const res = await fetch(url, { headers });
            if (!res.ok) return undefined;
            const rows = (await res.json()) as { t: string; v: number }[];
            return rows.length >= want.length ? rows : undefined;
          },
          () => `${want.length} samples of ${s.name} for ${deviceId}`,
          90_000,
          250,
        );
        // Same count (nothing lost, nothing doubled) and the same values, bit for bit.
        expect(got).toEqual(want);
      }
    }
  }, 600_000);
});
