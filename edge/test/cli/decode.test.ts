import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The command as users run it: the bin script on the compiled output (`npx tsc -b` first). */
const repoRoot = join(import.meta.dirname, '..', '..', '..');
const bin = join(repoRoot, 'edge', 'bin', 'fleetline-edge.js');
const fixtures = join(repoRoot, 'edge', 'test', 'fixtures', 'dbc');
const toyota = join(fixtures, '_toyota_2017.dbc');
const multiplex = join(fixtures, 'multiplex_2.dbc');
const signed = join(fixtures, 'signed.dbc');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], stdin?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'decode', ...args], { cwd: repoRoot });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    if (stdin !== undefined) child.stdin.end(stdin);
    else child.stdin.end();
  });
}

const lines = (text: string) => text.split('\n').filter((l) => l !== '');

let dir: string;
beforeAll(async () => {
  if (!existsSync(join(repoRoot, 'edge', 'dist', 'cli', 'decode.js'))) {
    throw new Error('edge/dist is missing: build with `npx tsc -b` before these tests');
  }
  dir = await mkdtemp(join(tmpdir(), 'fleetline-decode-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A candump -L log mixing frames the Toyota DBC decodes with every kind of bad line. */
const TOYOTA_LOG = [
  '(1436509052.249713) vcan0 025#0FFE00009ABC0000', // 1 STEER_ANGLE_SENSOR
  '# a comment line', // 2
  '', // 3
  '(1436509052.250000) vcan0 123#DEADBEEF', // 4 unknown id
  '(1436509052.260000) vcan0 0B4#0000', // 5 SPEED, too short
  'this is not candump', // 6
  '(1436509052.270000) vcan0 0B4#000000002A27107F', // 7 SPEED
  '(1436509052.280000) vcan0 025#R', // 8 remote
  '(1436509052.290000) vcan0 20000080#0000000000000000', // 9 error frame
  '(1436509052.300000) vcan0 000000B4#000000002A27107F', // 10 extended 0xB4: unknown
  '(0000000001.5) vcan0 0B4##000000000002710FFEEDDCCBB\r', // 11 CRLF; 12-byte FD frame, cut to 8
].join('\n');

describe('fleetline-edge decode', () => {
  it('should print one JSON line per decoded frame and report skipped lines by number', async () => {
    const log = join(dir, 'toyota.log');
    await writeFile(log, `${TOYOTA_LOG}\n`);
    const { code, stdout, stderr } = await run(['--dbc', toyota, log]);
    expect(code).toBe(0);
    expect(lines(stdout)).toEqual([
      '{"t":1436509052.249713,"id":37,"message":"STEER_ANGLE_SENSOR","signals":{"STEER_ANGLE":-3,"STEER_FRACTION":-0.7000000000000001,"STEER_RATE":-1348}}',
      '{"t":1436509052.270000,"id":180,"message":"SPEED","signals":{"ENCODER":42,"SPEED":100,"CHECKSUM":127}}',
      '{"t":1.5,"id":180,"message":"SPEED","signals":{"ENCODER":0,"SPEED":100,"CHECKSUM":255}}',
    ]);
    expect(lines(stderr).filter((l) => l.startsWith('line '))).toEqual([
      'line 4: unknown frame id 0x123 (standard)',
      'line 5: frame 0x0B4 (standard): frame has 2 data bytes, BO_ SPEED needs 8',
      'line 6: not a candump -L line "(seconds.micros) iface frame"',
      'line 8: remote frame 0x025 (standard) carries no data; skipped',
      'line 9: error frame (class 0x80) skipped',
      'line 10: unknown frame id 0x000000B4 (extended)',
    ]);
    // The DBC's own warnings come first, named by file and line.
    expect(lines(stderr)[0]).toBe(
      `${toyota}:260: warning: BO_ PCS_HUD: signals PCS_DUST and SET_ME_X10 overlap`,
    );
  });

  it('should keep the timestamp digits exactly as logged', async () => {
    const { stdout } = await run(
      ['--dbc', toyota, '-'],
      '(1436509052.100) can0 0B4#000000002A27107F\n(1700000000.123456789) can0 0B4#000000002A27107F\n',
    );
    expect(lines(stdout).map((l) => l.slice(0, l.indexOf(',')))).toEqual([
      '{"t":1436509052.100',
      '{"t":1700000000.123456789',
    ]);
  });

  it('should read stdin when the log is - or missing', async () => {
    const input = '(1.000000) can0 0C01FEFE#3105\n(2.000000) can0 0C01FEFE#0F\n';
    const expected = [
      '{"t":1.000000,"id":201457406,"message":"Normal","signals":{"S2":5,"S0":1}}',
      '{"t":2.000000,"id":201457406,"message":"Normal","signals":{"S0":-1}}',
    ];
    // 0x0C01FEFE is 8 bytes long in the DBC; the frames above are short.
    const short = await run(['--dbc', multiplex, '-'], input);
    expect(lines(short.stdout)).toEqual([]);
    expect(lines(short.stderr)).toEqual([
      'line 1: frame 0x0C01FEFE (extended): frame has 2 data bytes, BO_ Normal needs 8',
      'line 2: frame 0x0C01FEFE (extended): frame has 1 data byte, BO_ Normal needs 8',
    ]);
    const full = input.replace('#3105', '#3105000000000000').replace('#0F', '#0F00000000000000');
    for (const args of [['--dbc', multiplex, '-'], [`--dbc=${multiplex}`]]) {
      const { code, stdout, stderr } = await run(args, full);
      expect(code).toBe(0);
      expect(stderr).toBe('');
      expect(lines(stdout)).toEqual(expected);
    }
  });

  it('should decode extended multiplexing and print 64-bit integers with all their digits', async () => {
    const log = join(dir, 'mixed.log');
    await writeFile(
      log,
      [
        '(10.000001) can0 0C00FEFE#2010270001210000',
        '(10.000002) can0 0C03FEFE#03000000C03F0000',
      ].join('\n'),
    );
    const mux = await run(['--dbc', multiplex, log]);
    expect(lines(mux.stdout)).toEqual([
      '{"t":10.000001,"id":201391870,"message":"Extended","signals":{"S7":33,"S6":1,"S4":10000,"S1":2,"S0":0}}',
      '{"t":10.000002,"id":201588478,"message":"ExtendedTypes","signals":{"S10":1.5,"S0":0,"S11":3}}',
    ]);
    const wide = await run(
      ['--dbc', signed],
      '(3.5) can0 002#FFFFFFFFFFFFFF7F\n(3.6) can0 002#0000000000000080\n(3.7) can0 003#0123456789ABCDEF\n',
    );
    expect(lines(wide.stdout)).toEqual([
      '{"t":3.5,"id":2,"message":"Message64","signals":{"s64":9223372036854775807}}',
      '{"t":3.6,"id":2,"message":"Message64","signals":{"s64":-9223372036854775808}}',
      '{"t":3.7,"id":3,"message":"Message64big","signals":{"s64big":81985529216486895}}',
    ]);
  });

  it('should stream a log larger than one read chunk without losing or splitting lines', async () => {
    const count = 30000;
    const body: string[] = [];
    for (let i = 0; i < count; i++) {
      const speed = (i % 25000).toString(16).toUpperCase().padStart(4, '0');
      body.push(`(${1000 + i}.000000) can0 0B4#00000000AA${speed}00`);
    }
    const log = join(dir, 'big.log');
    await writeFile(log, `${body.join('\n')}\n`);
    const { code, stdout, stderr } = await run(['--dbc', toyota, log]);
    expect(code).toBe(0);
    expect(lines(stderr).filter((l) => l.startsWith('line '))).toEqual([]);
    const out = lines(stdout);
    expect(out).toHaveLength(count);
    expect(JSON.parse(out[count - 1]!)).toEqual({
      t: 1000 + count - 1,
      id: 180,
      message: 'SPEED',
      signals: { ENCODER: 0xaa, SPEED: ((count - 1) % 25000) * 0.01, CHECKSUM: 0 },
    });
  });

  it('should exit 2 with the usage for missing or unknown options', async () => {
    for (const args of [
      [],
      ['some.log'],
      ['--dbc'],
      ['--dbc', toyota, '--verbose'],
      ['--dbc', toyota, 'a', 'b'],
    ]) {
      const { code, stdout, stderr } = await run(args, '');
      expect(code, args.join(' ')).toBe(2);
      expect(stdout).toBe('');
      expect(stderr, args.join(' ')).toMatch(
        /^fleetline-edge decode: .+\nusage: fleetline-edge decode --dbc FILE \[LOG\|-\]/,
      );
    }
    const help = await run(['--help']);
    expect([help.code, help.stdout.startsWith('usage: fleetline-edge decode')]).toEqual([0, true]);
  });

  it('should exit 2 when the DBC file or the log cannot be read', async () => {
    const noDbc = await run(['--dbc', join(dir, 'missing.dbc'), '-'], '');
    expect(noDbc.code).toBe(2);
    expect(noDbc.stderr).toMatch(
      /^fleetline-edge decode: cannot read DBC file .*missing\.dbc: ENOENT/,
    );
    const noLog = await run(['--dbc', toyota, join(dir, 'missing.log')]);
    expect(noLog.code).toBe(2);
    expect(noLog.stderr).toMatch(/fleetline-edge decode: cannot read log .*missing\.log: ENOENT/);
    const dirAsLog = await run(['--dbc', multiplex, dir]);
    expect(dirAsLog.code).toBe(2);
    expect(dirAsLog.stderr).toMatch(/cannot read log .*EISDIR/);
  });

  it('should exit 1 with the DbcError for a DBC that does not parse', async () => {
    const bad = join(dir, 'bad.dbc');
    await writeFile(
      bad,
      'VERSION ""\n\nBO_ 100 Speed: 8 ECU\n SG_ SPEED : 70|12@1+ (1,0) [0|0] "" ECU\n',
    );
    const { code, stdout, stderr } = await run(['--dbc', bad, '-'], '(1.0) can0 064#00\n');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `fleetline-edge decode: ${bad}:4: SG_ SPEED start bit 70 + length 12 exceeds the 8-byte frame of BO_ Speed\n`,
    );
  });
});
