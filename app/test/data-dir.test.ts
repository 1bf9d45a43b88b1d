import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/infra.js';
import { freePort, Service } from '../../test-support/process.js';

/**
 * `npm start`'s data directory is its owner's only: the folder 0700, every file in it 0600
 * (the SQLite files' -wal and -shm too), and a folder an older version left readable is
 * tightened — unless it holds other things, which it leaves as they are and reports.
 */

const root = mkdtempSync(join(tmpdir(), 'fleetline-data-dir-'));
const dataDir = join(root, 'data');
const services: Service[] = [];
afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  rmSync(root, { recursive: true, force: true });
});

const mode = (path: string) => statSync(path).mode & 0o777;
const fileModes = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir)
      .filter((f) => statSync(join(dir, f)).isFile())
      .map((f) => [f, mode(join(dir, f))]),
  );

async function start(simVehicles: number): Promise<Service> {
  const httpPort = await freePort();
  const app = Service.start('fleetline', 'app/dist/start.js', {
    FLEETLINE_DATA_DIR: dataDir,
    MQTT_HOST: '127.0.0.1',
    MQTT_PORT: String(await freePort()),
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(httpPort),
    CLOUD_OPS_PORT: '0',
    SIM_VEHICLES: String(simVehicles),
    KAFKA_BROKERS: '',
    CASSANDRA_CONTACT_POINTS: '',
  });
  services.push(app);
  await app.waitFor(/Press Ctrl-C to stop/);
  // Answering a request, it has also taken over SIGTERM (the banner comes just before).
  await eventually(async () => (await fetch(`http://127.0.0.1:${httpPort}/healthz`)).ok, 'the API');
  return app;
}

describe('the data directory', () => {
  it('should be created owner-only, with every file in it owner-only', async () => {
    const app = await start(1);
    const ours = [
      'log.sqlite',
      'log.sqlite-wal',
      'records.sqlite',
      'records.sqlite-shm',
      'records.sqlite-wal',
      'simulator-credentials.json',
      'store.sqlite',
      'store.sqlite-shm',
      'store.sqlite-wal',
    ];
    await eventually(
      () => ours.every((f) => readdirSync(dataDir).includes(f)),
      () => `${ours.join(', ')} in the data directory (there: ${readdirSync(dataDir).join(', ')})`,
    );
    expect(mode(dataDir)).toBe(0o700);
    expect(fileModes(dataDir)).toEqual(Object.fromEntries(ours.map((f) => [f, 0o600])));
    expect(await app.stop()).toBe(0);
  });

  it('should tighten a data directory an older version left readable', async () => {
    chmodSync(dataDir, 0o755);
    for (const f of readdirSync(dataDir)) chmodSync(join(dataDir, f), 0o644);
    const app = await start(0);
    expect(mode(dataDir)).toBe(0o700);
    for (const [f, m] of Object.entries(fileModes(dataDir))) expect(m, f).toBe(0o600);
    expect(app.output.join('\n')).toMatch(/data directory .* made owner-only \(was 0755\)/);
    expect(await app.stop()).toBe(0);
  });

  it('should leave a directory that also holds other things as it is, and say so', async () => {
    chmodSync(dataDir, 0o755);
    writeFileSync(join(dataDir, 'notes.txt'), 'not Fleetline’s', { mode: 0o644 });
    const app = await start(0);
    expect(mode(dataDir)).toBe(0o755);
    expect(mode(join(dataDir, 'notes.txt'))).toBe(0o644);
    expect(mode(join(dataDir, 'store.sqlite'))).toBe(0o600);
    const warning = await app.waitFor(/data directory .* is readable by others/);
    expect(warning).toContain(dataDir);
    expect(warning).toContain('notes.txt');
    expect(warning).toContain(`chmod 700 ${dataDir}`);
    expect(await app.stop()).toBe(0);
  });
});
