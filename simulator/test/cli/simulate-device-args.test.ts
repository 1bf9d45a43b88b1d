import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../src/cli/flags.js';
import { parseSimulateDeviceArgs } from '../../src/cli/simulate-device-args.js';

function errorOf(argv: string[]): string {
  try {
    parseSimulateDeviceArgs(argv);
  } catch (err) {
    expect(err).toBeInstanceOf(ArgumentError);
    return (err as Error).message;
  }
  throw new Error(`accepted: ${argv.join(' ')}`);
}

describe('fleetline simulate device arguments', () => {
  it('should take live outputs with defaults, and log outputs with a duration', () => {
    expect(parseSimulateDeviceArgs(['--slcan', 'can', '--imu=imu'])).toMatchObject({
      live: true,
      slcan: 'can',
      gnss: undefined,
      imu: 'imu',
      scenario: 'city',
      seed: 1,
      gnssRateHz: 1,
      imuRateHz: 100,
      durationS: undefined,
    });
    expect(
      parseSimulateDeviceArgs([
        '--candump',
        'a.log',
        '--nmea-log',
        'b.nmea',
        '--duration-s',
        '90',
        '--scenario',
        'crash-left',
        '--seed',
        '3',
        '--gnss-rate-hz',
        '5',
        '--imu-rate-hz',
        '50',
      ]),
    ).toMatchObject({
      live: false,
      candump: 'a.log',
      nmeaLog: 'b.nmea',
      durationS: 90,
      scenario: 'crash-left',
      seed: 3,
      gnssRateHz: 5,
      imuRateHz: 50,
    });
  });

  it('should name the flag in every error', () => {
    expect(errorOf([])).toMatch(/^no output/);
    expect(errorOf(['--slcan', 'a', '--candump', 'b', '--duration-s', '1'])).toMatch(
      /^--candump: .*use one kind/,
    );
    expect(errorOf(['--candump', 'b'])).toMatch(/^--duration-s: required/);
    expect(errorOf(['--candump', 'b', '--duration-s', '1', '--agent-config', 'c'])).toMatch(
      /^--agent-config: only with live outputs/,
    );
    expect(errorOf(['--gnss', 'x', '--imu', 'x'])).toMatch(/^--imu: x is also given to --gnss/);
    expect(errorOf(['--gnss', 'x', '--can-mapping', 'm.json'])).toMatch(/^--can-mapping: .*--dbc/);
    expect(errorOf(['--gnss', 'x', '--dbc', 'car.dbc'])).toMatch(/^--dbc: only with a CAN output/);
    expect(errorOf(['--gnss', 'x', '--gnss-rate-hz', '3'])).toMatch(/^--gnss-rate-hz: 3 is not/);
    expect(errorOf(['--imu', 'x', '--imu-rate-hz', '30'])).toMatch(/^--imu-rate-hz: 30 does not/);
    expect(errorOf(['--imu', 'x', '--imu-rate-hz', '0'])).toMatch(/^--imu-rate-hz: must be/);
    expect(errorOf(['--imu', 'x', '--speed', '3'])).toMatch(/^--speed: unknown option/);
    expect(errorOf(['--imu', 'x', 'extra'])).toMatch(/^"extra": unexpected argument/);
  });
});
