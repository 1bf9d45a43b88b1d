import { ArgumentError, number, parseFlags } from './flags.js';

/**
 * The arguments of `fleetline simulate device`, parsed and checked without side effects:
 * every error names the flag it is about.
 */

export const simulateDeviceUsage = `usage: fleetline simulate device [outputs] [options]
One vehicle's hardware, driven by the simulator's drive model: live on pseudo-terminals for
an edge agent to read as it would real adapters, or written to log files.

Live outputs (real time; each a new pseudo-terminal whose host end is made at PATH; needs socat):
  --slcan PATH            an SLCAN adapter (CANable-style) carrying the vehicle's CAN bus
  --gnss PATH             a GPS receiver sending NMEA 0183 (RMC, VTG, GGA, GSA)
  --imu PATH              an accelerometer board sending $IMU lines (edge/src/imu/PROTOCOL.md)
  --agent-config FILE     also write the edge agent config inputs and signal mappings that
                          read these devices (merge with your deviceId, uplink and spool)
Log outputs (as fast as they can be written; need --duration-s):
  --candump FILE          the CAN bus as a candump -L log
  --nmea-log FILE         the GPS receiver's sentences (a GNSS replay file)
  --imu-log FILE          the accelerometer board's lines (an IMU replay file)
Options:
  --scenario NAME|FILE    a built-in scenario or a JSON scenario file (default city);
                          built-in: SCENARIOS
  --seed X                seed of the drive (default 1; a file's own seed wins)
  --dbc FILE              the DBC the bus follows (default: the demo DBC)
  --can-mapping FILE      JSON [{"signal", "message", "dbcSignal"}]: catalogue signal → DBC
                          message and signal (default: the demo DBC's mapping)
  --gnss-rate-hz N        GPS epochs per second: 1, 2, 5 or 10 (default 1)
  --imu-rate-hz N         IMU lines per second (default 100)
  --duration-s D          stop after D seconds of driving (live default: until Ctrl-C)
Progress goes to stderr, a JSON summary to stdout at the end.
`;

export interface SimulateDeviceArgs {
  readonly live: boolean;
  readonly slcan: string | undefined;
  readonly gnss: string | undefined;
  readonly imu: string | undefined;
  readonly agentConfig: string | undefined;
  readonly candump: string | undefined;
  readonly nmeaLog: string | undefined;
  readonly imuLog: string | undefined;
  /** A built-in scenario's name or a file path. */
  readonly scenario: string;
  readonly seed: number;
  readonly dbc: string | undefined;
  readonly canMapping: string | undefined;
  readonly gnssRateHz: 1 | 2 | 5 | 10;
  readonly imuRateHz: number;
  readonly durationS: number | undefined;
}

const flags = [
  '--slcan',
  '--gnss',
  '--imu',
  '--agent-config',
  '--candump',
  '--nmea-log',
  '--imu-log',
  '--scenario',
  '--seed',
  '--dbc',
  '--can-mapping',
  '--gnss-rate-hz',
  '--imu-rate-hz',
  '--duration-s',
] as const;

/** Parses `simulate device`'s arguments (after the word device); throws ArgumentError. */
export function parseSimulateDeviceArgs(argv: readonly string[]): SimulateDeviceArgs {
  const { values } = parseFlags(argv, flags);
  const get = (f: (typeof flags)[number]) => values.get(f);
  const liveFlags = (['--slcan', '--gnss', '--imu'] as const).filter((f) => values.has(f));
  const logFlags = (['--candump', '--nmea-log', '--imu-log'] as const).filter((f) => values.has(f));
  if (liveFlags.length === 0 && logFlags.length === 0) {
    throw new ArgumentError(
      'no output: give --slcan, --gnss or --imu (live), or --candump, --nmea-log or --imu-log',
    );
  }
  if (liveFlags.length > 0 && logFlags.length > 0) {
    throw new ArgumentError(
      `${logFlags[0]}: log files are written offline, ${liveFlags[0]} runs live; use one kind`,
    );
  }
  const live = liveFlags.length > 0;
  if (!live && values.has('--agent-config')) {
    throw new ArgumentError('--agent-config: only with live outputs (--slcan, --gnss, --imu)');
  }
  const paths = [...liveFlags, ...logFlags, '--agent-config' as const]
    .map((f) => [f, get(f)] as const)
    .filter(([, p]) => p !== undefined);
  for (const [i, [flag, path]] of paths.entries()) {
    const other = paths.findIndex(([, p]) => p === path);
    if (other !== i)
      throw new ArgumentError(`${flag}: ${path} is also given to ${paths[other]![0]}`);
  }
  const durationS = number('--duration-s', get('--duration-s'), {
    min: 0,
    exclusiveMin: true,
    max: 7 * 86_400,
  });
  if (!live && durationS === undefined) {
    throw new ArgumentError('--duration-s: required for log files (e.g. --duration-s 60)');
  }
  if (values.has('--can-mapping') && !values.has('--dbc')) {
    throw new ArgumentError('--can-mapping: maps signals onto a --dbc; give the DBC too');
  }
  if (
    (values.has('--dbc') || values.has('--can-mapping')) &&
    !values.has('--slcan') &&
    !values.has('--candump')
  ) {
    throw new ArgumentError(
      `${values.has('--dbc') ? '--dbc' : '--can-mapping'}: only with a CAN output (--slcan or --candump)`,
    );
  }
  const gnssRateHz =
    number('--gnss-rate-hz', get('--gnss-rate-hz'), { integer: true, min: 1, max: 10 }) ?? 1;
  if (![1, 2, 5, 10].includes(gnssRateHz)) {
    throw new ArgumentError(`--gnss-rate-hz: ${gnssRateHz} is not 1, 2, 5 or 10`);
  }
  const imuRateHz =
    number('--imu-rate-hz', get('--imu-rate-hz'), { integer: true, min: 1, max: 100 }) ?? 100;
  if ((1000 / imuRateHz) % 10 !== 0) {
    throw new ArgumentError(
      `--imu-rate-hz: ${imuRateHz} does not divide the model's 10-ms step (1, 2, 4, 5, 10, 20, 25, 50, 100)`,
    );
  }
  return {
    live,
    slcan: get('--slcan'),
    gnss: get('--gnss'),
    imu: get('--imu'),
    agentConfig: get('--agent-config'),
    candump: get('--candump'),
    nmeaLog: get('--nmea-log'),
    imuLog: get('--imu-log'),
    scenario: get('--scenario') ?? 'city',
    seed: number('--seed', get('--seed'), { integer: true, min: -(2 ** 31) }) ?? 1,
    dbc: get('--dbc'),
    canMapping: get('--can-mapping'),
    gnssRateHz: gnssRateHz as 1 | 2 | 5 | 10,
    imuRateHz,
    durationS,
  };
}
