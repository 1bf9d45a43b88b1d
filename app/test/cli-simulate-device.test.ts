import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CanFrame,
  GnssReplaySource,
  GnssSerialSource,
  ImuReplaySource,
  ImuSerialSource,
  parseCandumpLine,
  type Reading,
  SlcanSource,
  validateAgentConfig,
} from '@fleetline/edge';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/infra.js';
import { Service } from '../../test-support/process.js';

/** `fleetline simulate device` from outside: its log files and its live pseudo-terminals. */

const dir = mkdtempSync(join(tmpdir(), 'fleetline-simulate-device-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (name: string, args: string[]) =>
  Service.start(name, 'app/bin/fleetline.js', {}, ['simulate', 'device', ...args]);

async function replay(source: GnssReplaySource | ImuReplaySource): Promise<Reading[]> {
  const readings: Reading[] = [];
  const errors: Error[] = [];
  source.on('reading', (r) => readings.push(r));
  source.on('error', (e) => errors.push(e));
  await source.open();
  await source.done;
  expect(errors).toEqual([]);
  return readings;
}

describe('fleetline simulate device', () => {
  it('should write a crash drive as candump, NMEA and IMU logs the edge replays without an error', async () => {
    const out = (name: string) => join(dir, name);
    const args = (suffix: string) => [
      '--scenario',
      'crash-front',
      '--seed',
      '7',
      '--duration-s',
      '40',
      '--candump',
      out(`can${suffix}.log`),
      '--nmea-log',
      out(`gps${suffix}.nmea`),
      '--imu-log',
      out(`imu${suffix}.txt`),
    ];
    const run = cli('logs', args(''));
    expect(await run.exited).toBe(0);
    const summary = JSON.parse(run.output.find((l) => l.startsWith('{')) as string);
    expect(summary).toMatchObject({ scenario: 'crash-front', seed: 7, durationMs: 40_000 });

    const frames = readFileSync(out('can.log'), 'utf8').trim().split('\n');
    expect(frames).toHaveLength(summary.canFrames);
    const parsed = frames.map((l) => parseCandumpLine(l)?.frame as CanFrame);
    expect(parsed.every((f) => f !== undefined)).toBe(true);
    // 40 s of the demo bus: VEHICLE_DYNAMICS every 10 ms, CHASSIS every 20 ms, two engine
    // messages every 100 ms, five at 1 s.
    expect(summary.canFrames).toBe(4000 + 2000 + 800 + 200);

    const gps = await replay(new GnssReplaySource({ file: out('gps.nmea') }));
    expect(gps.filter((r) => r.name === 'gnss.fix_quality')).toHaveLength(40);
    expect(
      Math.max(...gps.filter((r) => r.name === 'gnss.speed').map((r) => r.value)),
    ).toBeGreaterThan(20);

    const imu = await replay(new ImuReplaySource({ file: out('imu.txt') }));
    const ax = imu.filter((r) => r.name === 'imu.accel_x').map((r) => r.value);
    expect(ax).toHaveLength(4000);
    // The crash at 30 s: a deceleration pulse far beyond anything driving makes.
    const beforeCrash = ax.slice(0, 2990);
    expect(Math.min(...beforeCrash)).toBeGreaterThan(-8);
    expect(Math.min(...ax.slice(2990, 3030))).toBeLessThan(-100);

    // The same seed drives the same: the IMU board's lines (no wall-clock time in them) match.
    const again = cli('logs-again', args('-again'));
    expect(await again.exited).toBe(0);
    expect(readFileSync(out('imu-again.txt'), 'utf8')).toBe(readFileSync(out('imu.txt'), 'utf8'));
  }, 60_000);

  it('should serve SLCAN, GPS and IMU on pseudo-terminals the edge sources read, and write their agent config', async () => {
    const at = (name: string) => join(dir, name);
    // A link left by an earlier run is replaced.
    symlinkSync('/nonexistent', at('gps'));
    const run = cli('live', [
      '--slcan',
      at('can'),
      '--gnss',
      at('gps'),
      '--imu',
      at('imu'),
      '--agent-config',
      at('inputs.json'),
      '--scenario',
      'city',
    ]);
    const sources: { close(): Promise<void> }[] = [];
    try {
      await run.waitFor(/edge agent inputs written/, 15_000);
      for (const p of ['can', 'gps', 'imu']) expect(existsSync(at(p)), p).toBe(true);

      const readings: Reading[] = [];
      const frames: CanFrame[] = [];
      const can = new SlcanSource({ path: at('can'), bitrate: 500000, timestamps: true });
      can.on('frame', (f: CanFrame) => frames.push(f));
      const gps = new GnssSerialSource({ path: at('gps') });
      const imu = new ImuSerialSource({ path: at('imu') });
      for (const s of [gps, imu]) s.on('reading', (r: Reading) => readings.push(r));
      for (const s of [can, gps, imu]) {
        await s.open();
        sources.push(s);
      }
      await eventually(
        () =>
          frames.length >= 200 &&
          readings.filter((r) => r.name === 'gnss.fix_quality').length >= 2 &&
          readings.filter((r) => r.name === 'imu.accel_z').length >= 100,
        () => `frames, fixes and IMU lines (${frames.length} frames, ${readings.length} readings)`,
        15_000,
      );
      expect(
        readings.filter((r) => r.name === 'gnss.fix_quality').every((r) => r.value === 1),
      ).toBe(true);
      // At rest or driving, the board reports about one g up.
      const z = readings.filter((r) => r.name === 'imu.accel_z').map((r) => r.value);
      expect(z.reduce((a, b) => a + b, 0) / z.length).toBeCloseTo(9.8, 0);

      // The config the CLI wrote is one the agent accepts once given its identity and uplink.
      const inputs = JSON.parse(readFileSync(at('inputs.json'), 'utf8'));
      const config = validateAgentConfig(
        {
          deviceId: 'sim-0001',
          uplink: { url: 'mqtt://127.0.0.1:1883', username: 'sim-0001', password: 'x' },
          spool: { dir: at('spool') },
          ...inputs,
        },
        dir,
      );
      expect(config.can?.source).toMatchObject({ type: 'slcan', path: at('can') });
      expect(config.gnss).toMatchObject({ path: at('gps') });
      expect(config.imu).toMatchObject({ path: at('imu') });
    } finally {
      for (const s of sources) await s.close();
    }
    // Ctrl-C: the devices stop, the pty links go, a summary is printed.
    expect(await run.stop()).toBe(0);
    const summary = JSON.parse(run.output.find((l) => l.startsWith('{')) as string);
    expect(summary.can.frames).toBeGreaterThan(0);
    expect(summary.gnss.epochs).toBeGreaterThan(0);
    expect(summary.imu.lines).toBeGreaterThan(0);
    await eventually(() => !existsSync(at('gps')), 'the pty links to go', 5_000);
  }, 60_000);

  it('should name what is wrong with a scenario file or an output path, and exit 2', async () => {
    const bad = join(dir, 'bad-scenario.json');
    writeFileSync(
      bad,
      JSON.stringify({ profile: 'city', events: [{ kind: 'crash', atMs: 1000, direction: 'up' }] }),
    );
    const run = cli('bad-scenario', [
      '--scenario',
      bad,
      '--candump',
      join(dir, 'x.log'),
      '--duration-s',
      '5',
    ]);
    expect(await run.exited).toBe(2);
    expect(run.output.join('\n')).toMatch(/--scenario: .*\/events\/0\/direction/s);

    const taken = join(dir, 'taken.txt');
    writeFileSync(taken, 'keep me');
    const run2 = cli('taken', ['--gnss', taken, '--duration-s', '1']);
    expect(await run2.exited).toBe(2);
    expect(run2.output.join('\n')).toMatch(/--gnss: .*taken\.txt exists and is not a link/);
    expect(readFileSync(taken, 'utf8')).toBe('keep me');

    const run3 = cli('no-output', ['--scenario', 'city']);
    expect(await run3.exited).toBe(2);
    expect(run3.output.join('\n')).toMatch(/no output/);
  }, 60_000);
});
