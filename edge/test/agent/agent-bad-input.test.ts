import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TestBroker } from '../../../test-support/broker.js';
import { eventually } from '../../../test-support/infra.js';
import { repoRoot, Service } from '../../../test-support/process.js';
import { formatImuLine } from '../../src/imu/imu-line.js';
import {
  cleanupAfterEachTest,
  decodeUplink,
  demoDbc,
  demoMappings,
  tempDir,
  writeConfig,
  writeDriveLog,
} from './support.js';

/**
 * Garbage on every input — candump lines, NMEA sentences (a real capture full of junk and bad
 * checksums), IMU lines — never stops the agent: each bad line is counted per input in the
 * metrics and logged, and the good data still flows. A bad DBC or config stops the start with
 * a message that says where the problem is, and no stack trace.
 */

const cleanup = cleanupAfterEachTest();

function randomGarbage(n: number, seed: number): string[] {
  let s = seed;
  const r = () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
  return Array.from({ length: n }, () => {
    const len = Math.floor(r() * 40);
    // Never empty and never a '#' comment: every line must count as bad.
    return `x${Array.from({ length: len }, () => String.fromCharCode(32 + Math.floor(r() * 95))).join('')}`;
  });
}

const run = (config: string) =>
  Service.start('agent', 'edge/bin/fleetline-edge.js', {}, ['run', '--config', config]);

describe('agent bad input', () => {
  it('should count and log garbage on every input and keep delivering the good data', async () => {
    const dir = tempDir();
    const garbage = randomGarbage(50, 7);
    await writeDriveLog(join(dir, 'drive.log'), 5, [
      '(1764000005.000000) can0 12G#00',
      '(bogus) can0 100#00',
      '(1764000005.000000) can0 100#0011223344556677889900',
      '(1764000005.000000) can0 101#00', // too short for ENGINE
      ...garbage.map((g) => `(1764000005.000000) can0 ${g}`),
    ]);
    copyFileSync(
      join(repoRoot, 'edge/test/fixtures/nmea/gp-320fw-2019-04-07-coldboot.log'),
      join(dir, 'gnss.log'),
    );
    const imu = [];
    for (let i = 0; i < 100; i++)
      imu.push(formatImuLine({ deviceMs: i * 10, ax: 0.1, ay: 0, az: 9.81 }));
    imu.push('$IMU,1,2,3*00', '$IMU,x,y,z,w*11', ...garbage.slice(0, 10));
    writeFileSync(join(dir, 'imu.log'), `${imu.join('\n')}\n`);
    const broker = await TestBroker.start();
    cleanup(() => broker.stop());
    const config = writeConfig(dir, {
      deviceId: 'garbage-veh-1',
      uplink: { url: broker.url, batchIntervalMs: 100 },
      spool: { dir: 'spool' },
      can: { source: { type: 'candump', file: 'drive.log' }, dbc: demoDbc },
      gnss: { replay: 'gnss.log' },
      imu: { replay: 'imu.log' },
      signals: [
        ...demoMappings,
        { from: 'gnss.latitude', to: 'Vehicle.CurrentLocation.Latitude' },
        { from: 'imu.accel_z', to: 'Vehicle.Acceleration.Vertical' },
      ],
      crash: { enabled: false },
      metrics: { port: 0 },
    });
    const agent = run(config);
    cleanup(() => agent.stop());
    await agent.waitFor(/agent running/, 20_000);
    const line = agent.output.find((l) => l.includes('agent running')) as string;
    const port = (JSON.parse(line) as { metricsPort: number }).metricsPort;
    const metrics = await eventually(
      async () => {
        const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        const count = (input: string) =>
          [
            ...text.matchAll(
              new RegExp(
                `fleetline_edge_input_errors_total\\{input="${input}",code="([A-Z_]+)"\\} (\\d+)`,
                'g',
              ),
            ),
          ]
            .filter((m) => m[1] !== 'UNKNOWN_FRAME_ID')
            .reduce((n, m) => n + Number(m[2]), 0);
        const counts = { can: count('can'), gnss: count('gnss'), imu: count('imu') };
        return counts.can >= 50 && counts.gnss >= 30 && counts.imu >= 12
          ? { text, counts }
          : undefined;
      },
      'bad lines counted on every input',
      20_000,
    );
    expect(metrics.counts.can).toBeGreaterThanOrEqual(53);
    expect(metrics.text).toMatch(/code="EDGE_FRAME_TOO_SHORT"/);
    expect(metrics.text).toMatch(/input="gnss",code="EDGE_NMEA_INVALID"/);
    expect(metrics.text).toMatch(/input="imu",code="EDGE_IMU_LINE_INVALID"/);
    expect(agent.output.join('\n')).toMatch(/"input":"gnss".*"msg":"bad input"/);
    expect(agent.running).toBe(true);
    // The good part of the drive is delivered all the same.
    await eventually(
      () => decodeUplink(broker.received, 'garbage-veh-1').telemetry.length > 0,
      'telemetry',
      20_000,
    );
    expect(await agent.stop()).toBe(0);
  }, 60_000);

  it('should refuse a broken DBC naming file and line', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'bad.dbc'),
      'VERSION ""\n\nBO_ 256 M: 8 X\n SG_ S : 60|12@1+ (1,0) [0|1] "" X\n',
    );
    await writeDriveLog(join(dir, 'drive.log'), 1);
    const config = writeConfig(dir, {
      deviceId: 'v',
      uplink: { url: 'mqtt://127.0.0.1:1' },
      spool: { dir: 'spool' },
      can: { source: { type: 'candump', file: 'drive.log' }, dbc: 'bad.dbc' },
      signals: [],
    });
    const agent = run(config);
    expect(await agent.exited).toBe(1);
    const out = agent.output.join('\n');
    expect(out).toMatch(/bad\.dbc:4: .*S/);
    expect(out).not.toMatch(/\n\s+at /);
  });

  it('should refuse bad configs with the JSON path of each problem', async () => {
    const dir = tempDir();
    const cases: [object | string, RegExp][] = [
      ['{ not json', /not valid JSON/],
      [{ deviceId: 'v' }, /\/uplink: is required/],
      [
        { deviceId: 'a/b', uplink: { url: 'mqtt://x' }, spool: { dir: 's' }, signals: [] },
        /\/deviceId/,
      ],
      [
        { deviceId: 'v', uplink: { url: 'http://x' }, spool: { dir: 's' }, signals: [] },
        /\/uplink\/url/,
      ],
      [
        {
          deviceId: 'v',
          uplink: { url: 'mqtt://x' },
          spool: { dir: 's' },
          signals: [{ from: 'a', to: 'Vehicle.Warp' }],
        },
        /\/signals\/0\/to: Vehicle\.Warp is not a catalogue/,
      ],
      [
        {
          deviceId: 'v',
          uplink: { url: 'mqtt://x', batchIntervalMs: 5 },
          spool: { dir: 's' },
          signals: [],
        },
        /\/uplink\/batchIntervalMs/,
      ],
      [
        {
          deviceId: 'v',
          uplink: { url: 'mqtt://x' },
          spool: { dir: 's' },
          signals: [],
          obd: { pids: ['warp'] },
        },
        /\/obd\/pids\/0: unknown PID name "warp"/,
      ],
      [
        {
          deviceId: 'v',
          uplink: { url: 'mqtt://x' },
          spool: { dir: 's' },
          signals: [],
          surprise: 1,
        },
        /\/surprise: is not a known setting/,
      ],
    ];
    for (const [content, pattern] of cases) {
      const file = join(dir, 'agent.json');
      writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
      const agent = run(file);
      expect(await agent.exited, JSON.stringify(content)).toBe(1);
      const out = agent.output.join('\n');
      expect(out, JSON.stringify(content)).toMatch(pattern);
      expect(out).not.toMatch(/\n\s+at /);
    }
  }, 60_000);
});
