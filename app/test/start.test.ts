import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifySecret } from '@fleetline/gateway';
import { configurationTable, type RecordsDb } from '@fleetline/platform';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { dataDirRecords, openTestAccess } from '../../test-support/access.js';
import { eventually } from '../../test-support/infra.js';
import { opsPortOf } from '../../test-support/ops-port.js';
import { freePort, repoRoot, Service } from '../../test-support/process.js';
import { appSettings } from '../src/settings.js';

/**
 * The `npm start` contract, checked from outside the process. Its simulated vehicles are the
 * demo organisation's; the API is read as the demo people, signed in with the passwords the
 * start printed.
 */

const dataDir = mkdtempSync(join(tmpdir(), 'fleetline-start-'));
const services: Service[] = [];
afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  rmSync(dataDir, { recursive: true, force: true });
});

const baseEnv = (mqttPort: number, httpPort: number) => ({
  FLEETLINE_DATA_DIR: dataDir,
  MQTT_PORT: String(mqttPort),
  HTTP_PORT: String(httpPort),
  // Any free port: processes started side by side never contend for the default.
  CLOUD_OPS_PORT: '0',
  SIM_VEHICLES: '3',
  KAFKA_BROKERS: '',
  CASSANDRA_CONTACT_POINTS: '',
});

describe('npm start', () => {
  it('should list the simulated vehicles with an advancing lastSeen and serve their samples', async () => {
    const [mqttPort, httpPort] = [await freePort(), await freePort()];
    const app = Service.start('fleetline', 'app/dist/start.js', baseEnv(mqttPort, httpPort));
    services.push(app);
    await app.waitFor(/Press Ctrl-C to stop/, 60_000);
    expect(app.output.join('\n')).toMatch(
      new RegExp(`http://127\\.0\\.0\\.1:${httpPort}/api/session .*/api/vehicles`),
    );
    const api = `http://127.0.0.1:${httpPort}`;
    const records = dataDirRecords(dataDir);
    try {
      await listsAndServesTheFleet(api, records, demoSignIns(app.output.join('\n')));
    } finally {
      await records.close();
    }

    // SIGTERM shuts down cleanly.
    expect(await app.stop()).toBe(0);
  });

  /** The demo sign-ins `npm start` printed: login → password, by role. */
  function demoSignIns(output: string): Map<string, { login: string; password: string }> {
    const found = new Map<string, { login: string; password: string }>();
    for (const m of output.matchAll(/^\s+(\w+)\s+(demo\.\w+)\s+(\S+)\s/gm)) {
      found.set(m[1] as string, { login: m[2] as string, password: m[3] as string });
    }
    return found;
  }

  /** Signs in with the printed password; the session's cookie. */
  async function signIn(api: string, who: { login: string; password: string } | undefined) {
    const res = await fetch(`${api}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(who),
    });
    expect(res.status, `sign-in of ${who?.login}`).toBe(200);
    return { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] as string };
  }

  /** The simulated vehicles, to the demo people and no one else. */
  async function listsAndServesTheFleet(
    api: string,
    records: RecordsDb,
    demo: Map<string, { login: string; password: string }>,
  ) {
    expect([...demo.keys()].sort()).toEqual([
      'fleet_manager',
      'insurance_clerk',
      'org_admin',
      'service_advisor',
      'store_manager',
      'viewer',
    ]);
    const headers = await signIn(api, demo.get('org_admin'));
    const get = (path: string) => fetch(`${api}${path}`, { headers });
    type Vehicle = { deviceId: string; lastSeen: string };
    const first = await eventually(async () => {
      const list = (await (await get('/api/vehicles')).json()) as Vehicle[];
      return list.length === 3 && list.every((v) => v.lastSeen) ? list : undefined;
    }, 'three vehicles in /api/vehicles');
    expect(first.map((v) => v.deviceId).sort()).toEqual(['sim-0001', 'sim-0002', 'sim-0003']);
    for (const v of first) expect(new Date(v.lastSeen).toISOString()).toBe(v.lastSeen);
    await eventually(async () => {
      const list = (await (await get('/api/vehicles')).json()) as Vehicle[];
      return list.every(
        (v) =>
          Date.parse(v.lastSeen) >
          Date.parse(first.find((f) => f.deviceId === v.deviceId)?.lastSeen ?? ''),
      );
    }, 'every lastSeen to advance');

    const samples = (await (
      await get('/api/vehicles/sim-0001/samples?signal=Vehicle.Speed')
    ).json()) as { t: string; v: number }[];
    expect(samples.length).toBeGreaterThan(0);
    expect(typeof samples[0]?.v).toBe('number');
    expect(Number.isNaN(Date.parse(samples[0]?.t ?? ''))).toBe(false);

    for (const [path, status] of [
      ['/api/nope', 404],
      ['/api/vehicles/sim-0001/samples?signal=Vehicle.Nope', 400],
      ['/api/vehicles/sim-0001/samples?signal=Vehicle.Speed&from=yesterday', 400],
      ['/api/vehicles/sim-0001/samples?signal=Vehicle.Speed&limit=-3', 400],
      ['/api/vehicles/sim-0001/samples', 400],
      ['/api/vehicles/a%2Fb/samples?signal=Vehicle.Speed', 400],
    ] as const) {
      const res = await get(path);
      expect(res.status, path).toBe(status);
      const body = (await res.json()) as { statusCode: number; message: string };
      expect(body.statusCode, path).toBe(status);
      expect(body.message.length, path).toBeGreaterThan(0);
    }

    // The advisor of one store sees that store's vehicles only.
    const advisor = await signIn(api, demo.get('service_advisor'));
    const north = (await (
      await fetch(`${api}/api/vehicles`, { headers: advisor })
    ).json()) as Vehicle[];
    expect(north.length).toBeGreaterThan(0);
    expect(north.length).toBeLessThan(3);

    // Nobody else's: not without a token, not another organisation's admin.
    expect((await fetch(`${api}/api/vehicles`)).status).toBe(401);
    const stranger = await openTestAccess(records);
    const theirs = await fetch(`${api}/api/vehicles`, { headers: stranger.headers });
    expect(await theirs.json()).toEqual([]);
    const one = await fetch(`${api}/api/vehicles/sim-0001`, { headers: stranger.headers });
    expect(one.status).toBe(404);
  }

  // Two starts of the whole system, each waiting for its fleet: longer than one test's default.
  it('should keep storing its simulated fleet’s data when restarted on the same data directory', async () => {
    // The fleet numbers its batches from 1 at every start; the processor remembers the seqs
    // it handled before. Each start's batches must be stored, not taken for redeliveries.
    const dir = join(dataDir, 'restarted');
    const env = async () => ({
      ...baseEnv(await freePort(), await freePort()),
      FLEETLINE_DATA_DIR: dir,
      SIM_VEHICLES: '2',
      SIM_BATCH_INTERVAL_MS: '200',
    });
    /** A counter's value summed over its series (those whose labels include `part`). */
    const counter = async (ops: string, name: string, part = '') => {
      const text = await (await fetch(`${ops}/metrics`)).text();
      return text
        .split('\n')
        .filter((l) => l.startsWith(name) && l.includes(part))
        .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    };
    const records = 'fleetline_processor_records_total';
    for (const round of [1, 2]) {
      const e = await env();
      const app = Service.start('fleetline', 'app/dist/start.js', e);
      services.push(app);
      await app.waitFor(/Press Ctrl-C to stop/, 60_000);
      // The metrics are on the operations port, not the API's.
      const ops = `http://127.0.0.1:${await opsPortOf(app)}`;
      // Ten batches a vehicle: seqs 1…10 again in the second round.
      await eventually(
        async () => (await counter(ops, records, 'telemetry')) >= 20,
        `round ${round}: 20 telemetry batches handled`,
        30_000,
      );
      expect(await counter(ops, 'fleetline_processor_duplicates_total'), `round ${round}`).toBe(0);
      // Each vehicle's second run is a new stream of its seqs, and counted as one.
      const restarts = () =>
        counter(ops, 'fleetline_processor_seq_restarts_total', 'reason="new-epoch"');
      if (round === 1) expect(await restarts()).toBe(0);
      else await eventually(async () => (await restarts()) === 2, 'two restarts counted', 10_000);
      expect(
        await counter(ops, records, 'outcome="stored"'),
        `round ${round}`,
      ).toBeGreaterThanOrEqual(20);
      expect(await app.stop()).toBe(0);
    }
  }, 180_000);

  // Five starts of the whole system on one data directory, each stopped at another point.
  it('should stop cleanly on SIGTERM at any point of start-up, leaving its data directory whole and unlocked', async () => {
    const dir = join(dataDir, 'stopped');
    // Each is a line the start prints on its way; SIGTERM follows as soon as it is seen.
    const points = [
      /"msg":"starting fleetline"/, // config read: nothing opened yet
      /"msg":"processor consuming"/, // log and telemetry database open, the processor started
      /"msg":"Server listening at/, // the API listening, the gateway not yet
      /"msg":"MQTT listener up"/, // the gateway listening, the simulated fleet being registered
      /Press Ctrl-C to stop/, // running
    ];
    for (const point of points) {
      const app = Service.start('fleetline', 'app/dist/start.js', {
        ...baseEnv(await freePort(), await freePort()),
        FLEETLINE_DATA_DIR: dir,
        SIM_VEHICLES: '3',
      });
      services.push(app);
      await app.waitFor(point, 60_000);
      expect(await app.stop(), `${point}: exit code\n${app.tail()}`).toBe(0);
      expect(app.output.join('\n'), `${point}`).toMatch(/"msg":"stopped"/);
      // Closed, not killed: SQLite removes its -wal and -shm files at the last close.
      const files = readdirSync(dir);
      expect(
        files.filter((f) => /-(wal|shm|journal)$/.test(f)),
        `${point}`,
      ).toEqual([]);
      // No lock left: another process takes the embedded log's exclusive lock at once.
      const log = new Database(join(dir, 'log.sqlite'), { timeout: 0 });
      log.pragma('locking_mode = EXCLUSIVE');
      log.exec('BEGIN IMMEDIATE; COMMIT');
      expect(log.pragma('integrity_check', { simple: true })).toBe('ok');
      log.close();
      if (!existsSync(join(dir, 'store.sqlite'))) continue;
      const db = new Database(join(dir, 'store.sqlite'), { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const devices = db.prepare('SELECT device_id, secret_hash FROM devices').all() as {
        device_id: string;
        secret_hash: string;
      }[];
      db.close();
      // Every registered simulated vehicle's secret is in the credentials file, so its next
      // start connects.
      const credentials = join(dir, 'simulator-credentials.json');
      const saved = existsSync(credentials)
        ? (JSON.parse(readFileSync(credentials, 'utf8')) as Record<string, string>)
        : {};
      for (const d of devices) {
        const secret = saved[d.device_id];
        expect(secret, `${point}: the secret of ${d.device_id}`).toBeDefined();
        expect(await verifySecret(secret as string, d.secret_hash)).toBe(true);
      }
    }
  }, 300_000);

  it('should say which port is taken and how to choose another, without a stack trace', async () => {
    const blocker = createServer();
    blocker.listen(0, '0.0.0.0');
    await once(blocker, 'listening');
    const taken = (blocker.address() as { port: number }).port;
    try {
      const app = Service.start('fleetline', 'app/dist/start.js', {
        ...baseEnv(taken, await freePort()),
        FLEETLINE_DATA_DIR: join(dataDir, 'taken'),
      });
      services.push(app);
      expect(await app.exited).toBe(1);
      const out = app.output.join('\n');
      expect(out).toContain(`MQTT port ${taken}`);
      expect(out).toContain('MQTT_PORT=');
      expect(out).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
  });

  it('should reject a bad setting naming the variable', async () => {
    const app = Service.start('fleetline', 'app/dist/start.js', {
      ...baseEnv(1, 1),
      MQTT_PORT: 'abc',
    });
    services.push(app);
    expect(await app.exited).toBe(1);
    expect(app.output.join('\n')).toMatch(/MQTT_PORT="abc"/);
  });
});

describe('README', () => {
  it('should carry the configuration table generated from the settings', () => {
    // Cells compared trimmed: the formatter pads Markdown tables.
    const normal = (text: string) =>
      text
        .split('\n')
        .filter((l) => l.startsWith('|'))
        .map((l) => l.replace(/\s*\|\s*/g, '|').replace(/-{3,}/g, '---'))
        .join('\n');
    const readme = normal(readFileSync(join(repoRoot, 'README.md'), 'utf8'));
    expect(readme, 'run `node scripts/config-table.mjs` and paste it into the README').toContain(
      normal(configurationTable(appSettings)),
    );
  });
});
