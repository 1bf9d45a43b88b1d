import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../src/cli/flags.js';
import { parseCredentials, parseSimulateArgs } from '../../src/cli/simulate-args.js';

/** The pure parts of `fleetline simulate`: arguments and credentials files. */

const base = ['--url', 'mqtt://127.0.0.1:1884', '--vehicles', '10'];

function errorOf(argv: string[]): string {
  try {
    parseSimulateArgs(argv);
  } catch (err) {
    expect(err).toBeInstanceOf(ArgumentError);
    return (err as Error).message;
  }
  throw new Error(`no error for ${argv.join(' ')}`);
}

describe('parseSimulateArgs', () => {
  it('should take defaults and both --flag value and --flag=value', () => {
    expect(parseSimulateArgs(base)).toEqual({
      url: 'mqtt://127.0.0.1:1884',
      vehicles: 10,
      rampPerS: 50,
      batchIntervalMs: 5000,
      sampleIntervalMs: 1000,
      durationS: undefined,
      seed: 1,
      idPrefix: 'sim',
      credentialsFile: undefined,
      caFile: undefined,
      insecure: false,
      drainTimeoutS: 30,
      allSignals: false,
    });
    const a = parseSimulateArgs([
      '--url=mqtts://gw.example:8883',
      '--vehicles=2000',
      '--ramp-per-s',
      '12.5',
      '--batch-interval-ms=1000',
      '--sample-interval-ms=250',
      '--duration-s=60',
      '--seed=-4',
      '--id-prefix=load',
      '--credentials=creds.json',
      '--ca=ca.pem',
      '--insecure',
      '--drain-timeout-s=5',
      '--all-signals',
    ]);
    expect(a).toMatchObject({
      url: 'mqtts://gw.example:8883',
      vehicles: 2000,
      rampPerS: 12.5,
      batchIntervalMs: 1000,
      sampleIntervalMs: 250,
      durationS: 60,
      seed: -4,
      idPrefix: 'load',
      credentialsFile: 'creds.json',
      caFile: 'ca.pem',
      insecure: true,
      drainTimeoutS: 5,
      allSignals: true,
    });
  });

  it('should name the flag in every error', () => {
    expect(errorOf(['--vehicles', '3'])).toMatch(/^--url: required/);
    expect(errorOf(['--url', 'mqtt://h:1'])).toMatch(/^--vehicles: required/);
    expect(errorOf(['--url', 'nope', '--vehicles', '3'])).toMatch(/^--url: "nope" is not a URL/);
    expect(errorOf(['--url', 'ws://h:1', '--vehicles', '3'])).toMatch(/^--url: .*neither/);
    expect(errorOf(['--url', 'mqtt://h:1', '--vehicles', '2.5'])).toMatch(
      /^--vehicles: "2.5" is not an integer/,
    );
    expect(errorOf(['--url', 'mqtt://h:1', '--vehicles', '0'])).toMatch(/^--vehicles: must be/);
    expect(errorOf([...base, '--sample-interval-ms', '25'])).toMatch(
      /^--sample-interval-ms: 25 is not a multiple of 10/,
    );
    expect(errorOf([...base, '--all-signals=yes'])).toMatch(/^--all-signals: takes no value/);
    expect(errorOf([...base, '--ramp-per-s', '-1'])).toMatch(/^--ramp-per-s: must be more than 0/);
    expect(errorOf([...base, '--duration-s', 'x'])).toMatch(/^--duration-s: "x" is not a number/);
    expect(errorOf([...base, '--sample-interval-ms', '5'])).toMatch(/^--sample-interval-ms:/);
    expect(errorOf([...base, '--batch-interval-ms', '100', '--sample-interval-ms', '200'])).toMatch(
      /^--batch-interval-ms: 100 is less than --sample-interval-ms 200/,
    );
    expect(errorOf([...base, '--id-prefix', '-x'])).toMatch(/^--id-prefix:/);
    expect(errorOf([...base, '--ca', 'ca.pem'])).toMatch(/^--ca: only for an mqtts:\/\/ --url/);
    expect(errorOf([...base, '--insecure'])).toMatch(/^--insecure: only for an mqtts/);
    expect(errorOf([...base, '--insecure=yes'])).toMatch(/^--insecure: takes no value/);
    expect(errorOf([...base, '--seed'])).toMatch(/^--seed: needs a value/);
    expect(errorOf([...base, '--seed', '--insecure'])).toMatch(/^--seed: needs a value/);
    expect(errorOf([...base, '--vehicles', '3'])).toMatch(/^--vehicles: given twice/);
    expect(errorOf([...base, '--colour', 'red'])).toMatch(/^--colour: unknown option/);
    expect(errorOf([...base, 'extra'])).toMatch(/^"extra": unexpected argument/);
  });
});

describe('parseCredentials', () => {
  const a = { deviceId: 'sim-0001', username: 'sim-0001', password: 'p1' };
  const b = { deviceId: 'sim-0002', username: 'sim-0002', password: 'p2' };
  const expected = new Map([
    ['sim-0001', { username: 'sim-0001', password: 'p1' }],
    ['sim-0002', { username: 'sim-0002', password: 'p2' }],
  ]);

  it('should read JSON lines as `fleetline devices add` prints them', () => {
    expect(parseCredentials(`${JSON.stringify(a)}\n\n${JSON.stringify(b)}\n`)).toEqual(expected);
  });

  it('should read an array, one object, or a map by device id', () => {
    expect(parseCredentials(JSON.stringify([a, b], null, 2))).toEqual(expected);
    expect(parseCredentials(JSON.stringify(a))).toEqual(
      new Map([['sim-0001', expected.get('sim-0001')]]),
    );
    expect(
      parseCredentials(
        JSON.stringify({
          'sim-0001': { username: 'sim-0001', password: 'p1' },
          'sim-0002': { password: 'p2' },
        }),
      ),
    ).toEqual(expected);
    expect(parseCredentials('')).toEqual(new Map());
  });

  it('should say which line or entry is wrong', () => {
    expect(() => parseCredentials(`${JSON.stringify(a)}\n{oops`)).toThrow(
      /^--credentials: line 2 is not JSON/,
    );
    expect(() => parseCredentials(JSON.stringify([a, { deviceId: 'x' }]))).toThrow(
      /^--credentials: entry 2 is not/,
    );
  });
});
