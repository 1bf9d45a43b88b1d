import { isValidDeviceId } from '@fleetline/proto';
import { ArgumentError, number, parseFlags } from './flags.js';

/**
 * The arguments of `fleetline simulate`, parsed and checked without side effects: every error
 * names the flag it is about.
 */

export const simulateUsage = `usage: fleetline simulate --url mqtt://host:port --vehicles N [options]
  --url URL                 the gateway: mqtt://host:port or mqtts://host:port
  --vehicles N              how many virtual vehicles
  --ramp-per-s R            new connections per second (default 50; a gateway admits 50/s
                            from one address unless configured otherwise)
  --batch-interval-ms B     a batch from each vehicle every B ms (default 5000)
  --sample-interval-ms S    a sample of every signal every S ms, a multiple of 10 (default 1000)
  --duration-s D            publish for D seconds (default: until Ctrl-C)
  --seed X                  seed of the vehicles' driving (default 1)
  --all-signals             sample every catalogue signal (32) instead of the 15 of a basic
                            telematics unit (speed, engine, fuel, battery, position, acceleration)
  --id-prefix P             vehicle ids P-0001, P-0002, … (default sim)
  --credentials FILE        device credentials as \`fleetline devices add\` prints them
                            (JSON lines or an array of {deviceId, username, password})
  --ca FILE                 CA certificate(s) to trust for mqtts:// (PEM)
  --insecure                do not verify the gateway's certificate (tests, development)
  --drain-timeout-s T       at the end, wait at most T s for outstanding PUBACKs (default 30)
Prints progress on stderr and a JSON summary on stdout; exits 0 when batches were sent
and none was lost (lost = sent - acknowledged once the wait is over), 1 otherwise.
Ctrl-C stops publishing early (a second one exits at once).
`;

export interface SimulateArgs {
  url: string;
  vehicles: number;
  rampPerS: number;
  batchIntervalMs: number;
  sampleIntervalMs: number;
  durationS: number | undefined;
  seed: number;
  idPrefix: string;
  credentialsFile: string | undefined;
  caFile: string | undefined;
  insecure: boolean;
  drainTimeoutS: number;
  allSignals: boolean;
}

const valueFlags = [
  '--url',
  '--vehicles',
  '--ramp-per-s',
  '--batch-interval-ms',
  '--sample-interval-ms',
  '--duration-s',
  '--seed',
  '--id-prefix',
  '--credentials',
  '--ca',
  '--drain-timeout-s',
] as const;

/** Parses `simulate`'s arguments (after the word simulate); throws ArgumentError. */
export function parseSimulateArgs(argv: readonly string[]): SimulateArgs {
  const { values, set } = parseFlags(argv, valueFlags, ['--insecure', '--all-signals'] as const);
  const insecure = set.has('--insecure');
  const url = values.get('--url');
  if (url === undefined) throw new ArgumentError('--url: required (e.g. mqtt://127.0.0.1:1883)');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ArgumentError(`--url: "${url}" is not a URL (e.g. mqtt://127.0.0.1:1883)`);
  }
  if (parsed.protocol !== 'mqtt:' && parsed.protocol !== 'mqtts:') {
    throw new ArgumentError(`--url: "${url}" is neither mqtt:// nor mqtts://`);
  }
  if (parsed.hostname === '') throw new ArgumentError(`--url: "${url}" names no host`);
  const tls = parsed.protocol === 'mqtts:';

  const vehicles = number('--vehicles', values.get('--vehicles'), {
    integer: true,
    min: 1,
    max: 1_000_000,
  });
  if (vehicles === undefined) throw new ArgumentError('--vehicles: required (e.g. --vehicles 100)');
  const sampleIntervalMs =
    number('--sample-interval-ms', values.get('--sample-interval-ms'), {
      integer: true,
      min: 10,
      max: 3_600_000,
    }) ?? 1000;
  if (sampleIntervalMs % 10 !== 0) {
    // The drive model steps every 10 ms; samples are taken on its steps.
    throw new ArgumentError(`--sample-interval-ms: ${sampleIntervalMs} is not a multiple of 10`);
  }
  const batchIntervalMs =
    number('--batch-interval-ms', values.get('--batch-interval-ms'), {
      integer: true,
      min: 10,
      max: 3_600_000,
    }) ?? Math.max(5000, sampleIntervalMs);
  if (batchIntervalMs < sampleIntervalMs) {
    throw new ArgumentError(
      `--batch-interval-ms: ${batchIntervalMs} is less than --sample-interval-ms ${sampleIntervalMs}`,
    );
  }
  const idPrefix = values.get('--id-prefix') ?? 'sim';
  if (!isValidDeviceId(`${idPrefix}-${vehicles}`)) {
    throw new ArgumentError(
      `--id-prefix: "${idPrefix}" does not make device ids (A-Z a-z 0-9 _ . -, starting with a letter or digit, 64 at most)`,
    );
  }
  const caFile = values.get('--ca');
  if ((caFile !== undefined || insecure) && !tls) {
    throw new ArgumentError(
      `${caFile !== undefined ? '--ca' : '--insecure'}: only for an mqtts:// --url`,
    );
  }
  return {
    url,
    vehicles,
    rampPerS:
      number('--ramp-per-s', values.get('--ramp-per-s'), {
        min: 0,
        exclusiveMin: true,
        max: 100_000,
      }) ?? 50,
    batchIntervalMs,
    sampleIntervalMs,
    durationS: number('--duration-s', values.get('--duration-s'), { min: 0, exclusiveMin: true }),
    seed: number('--seed', values.get('--seed'), { integer: true, min: -(2 ** 31) }) ?? 1,
    idPrefix,
    credentialsFile: values.get('--credentials'),
    caFile,
    insecure,
    drainTimeoutS:
      number('--drain-timeout-s', values.get('--drain-timeout-s'), { min: 0, max: 3600 }) ?? 30,
    allSignals: set.has('--all-signals'),
  };
}

export interface DeviceCredentials {
  username: string;
  password: string;
}

/**
 * Device credentials from a file's text: what `fleetline devices add` prints, one object per
 * line, or those objects in a JSON array, or one object mapping device id → {username,
 * password}. A username left out is the device id.
 */
export function parseCredentials(text: string): Map<string, DeviceCredentials> {
  const out = new Map<string, DeviceCredentials>();
  const trimmed = text.trim();
  let entries: unknown[];
  if (trimmed === '') entries = [];
  else {
    let whole: unknown;
    let wholeOk = true;
    try {
      whole = JSON.parse(trimmed);
    } catch {
      wholeOk = false;
    }
    if (wholeOk && Array.isArray(whole)) entries = whole;
    else if (wholeOk && isObject(whole) && !('deviceId' in whole)) {
      entries = Object.entries(whole).map(([deviceId, c]) => ({
        deviceId,
        ...(isObject(c) ? c : { invalid: c }),
      }));
    } else if (wholeOk) entries = [whole];
    else {
      entries = trimmed
        .split('\n')
        .map((l, i) => [l.trim(), i + 1] as const)
        .filter(([l]) => l !== '')
        .map(([l, n]) => {
          try {
            return JSON.parse(l) as unknown;
          } catch {
            throw new ArgumentError(`--credentials: line ${n} is not JSON`);
          }
        });
    }
  }
  entries.forEach((e, i) => {
    if (
      !isObject(e) ||
      typeof e.deviceId !== 'string' ||
      typeof e.password !== 'string' ||
      (e.username !== undefined && typeof e.username !== 'string')
    ) {
      throw new ArgumentError(
        `--credentials: entry ${i + 1} is not {"deviceId", "username", "password"}`,
      );
    }
    out.set(e.deviceId, {
      username: (e.username as string | undefined) ?? e.deviceId,
      password: e.password,
    });
  });
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
