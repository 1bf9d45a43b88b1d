import { readFileSync } from 'node:fs';
import { type FleetRun, type FleetRunOptions, startFleetRun } from '../fleet-run.js';
import { type FleetRunStats, type LatencyHistogram, ratePerS } from '../fleet-stats.js';
import { ArgumentError } from './flags.js';
import {
  type DeviceCredentials,
  parseCredentials,
  parseSimulateArgs,
  type SimulateArgs,
  simulateUsage,
} from './simulate-args.js';
import { lineStart, untilStopped } from './stop.js';

/**
 * `fleetline simulate`: a fleet of virtual vehicles publishing telemetry through the real
 * edge uplink straight to a gateway, for load and interoperability checks. Progress goes to
 * stderr (one redrawn line on a terminal, a line every few seconds otherwise), the summary to
 * stdout as one JSON object; exit 0 when batches were sent and every one was acknowledged.
 */

export interface SimulateIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export interface SimulateSummary {
  vehicles: number;
  /** Vehicles that connected at least once. */
  connected: number;
  sent: number;
  acked: number;
  /** Sent but not acknowledged once the wait for PUBACKs is over. */
  lost: number;
  failed: number;
  latencyMs: { p50: number | null; p99: number | null };
}

/** Runs `simulate` with its arguments; resolves with the exit code. */
export async function simulateFleet(
  argv: readonly string[],
  io: SimulateIo,
  stop?: AbortSignal,
): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    io.stdout.write(simulateUsage);
    return 0;
  }
  let args: SimulateArgs;
  let credentials: Map<string, DeviceCredentials> | undefined;
  let ca: Buffer | undefined;
  try {
    args = parseSimulateArgs(argv);
    credentials = args.credentialsFile === undefined ? undefined : readCredentials(args);
    ca = args.caFile === undefined ? undefined : readFile('--ca', args.caFile);
  } catch (err) {
    if (!(err instanceof ArgumentError)) throw err;
    io.stderr.write(`fleetline simulate: ${err.message}\n${simulateUsage}`);
    return 2;
  }
  return run(args, credentials, ca, io, stop);
}

function readFile(flag: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ArgumentError(
      `${flag}: cannot read ${path} (${(err as NodeJS.ErrnoException).code})`,
    );
  }
}

function readCredentials(args: SimulateArgs): Map<string, DeviceCredentials> {
  const credentials = parseCredentials(
    readFile('--credentials', args.credentialsFile as string).toString('utf8'),
  );
  const missing: string[] = [];
  for (let i = 0; i < args.vehicles; i++) {
    const id = `${args.idPrefix}-${String(i + 1).padStart(4, '0')}`;
    if (!credentials.has(id)) missing.push(id);
  }
  if (missing.length > 0) {
    const more = missing.length > 1 ? ` and ${missing.length - 1} more` : '';
    throw new ArgumentError(`--credentials: no entry for ${missing[0]}${more}`);
  }
  return credentials;
}

async function run(
  args: SimulateArgs,
  credentials: Map<string, DeviceCredentials> | undefined,
  ca: Buffer | undefined,
  io: SimulateIo,
  stop: AbortSignal | undefined,
): Promise<number> {
  const tty = io.stderr.isTTY === true;
  const errors = errorLog(io, tty);
  const fleet = startFleetRun(fleetOptions(args, credentials, ca, errors.onError));
  const progress = showProgress(fleet, io, tty);
  await untilStopped(args.durationS, stop);
  fleet.stopPublishing();
  const before = fleet.stats();
  if (before.inFlight > 0) {
    io.stderr.write(
      `${lineStart(tty)}stopped publishing; waiting up to ${args.drainTimeoutS} s for ${before.inFlight} acknowledgements\n`,
    );
  }
  await fleet.drain(args.drainTimeoutS * 1000);
  const s = fleet.stats();
  progress.stop(s);
  await fleet.close();
  const summary = summaryOf(s, fleet.latency);
  errors.printRepeats();
  if (summary.connected < summary.vehicles) {
    io.stderr.write(
      `${summary.vehicles - summary.connected} of ${summary.vehicles} vehicles never connected\n`,
    );
  }
  io.stdout.write(`${JSON.stringify(summary)}\n`);
  // A run that published nothing measured nothing: not a success either.
  return summary.lost === 0 && summary.sent > 0 ? 0 : 1;
}

function fleetOptions(
  args: SimulateArgs,
  credentials: Map<string, DeviceCredentials> | undefined,
  ca: Buffer | undefined,
  onError: (deviceId: string, err: Error) => void,
): FleetRunOptions {
  return {
    url: args.url,
    vehicles: args.vehicles,
    rampPerS: args.rampPerS,
    idPrefix: args.idPrefix,
    seed: args.seed,
    sampleIntervalMs: args.sampleIntervalMs,
    batchIntervalMs: args.batchIntervalMs,
    ...(args.allSignals ? { signals: 'all' as const } : {}),
    credentials: credentials ? (id) => credentials.get(id) : undefined,
    tls:
      ca !== undefined || args.insecure
        ? { ...(ca ? { ca } : {}), ...(args.insecure ? { rejectUnauthorized: false } : {}) }
        : undefined,
    onError,
  };
}

/** Each distinct error once (with the first vehicle it happened to), then only counted. */
function errorLog(io: SimulateIo, tty: boolean) {
  const counts = new Map<string, number>();
  return {
    onError(deviceId: string, err: Error): void {
      const n = counts.get(err.message) ?? 0;
      counts.set(err.message, n + 1);
      if (n === 0 && counts.size <= 20)
        io.stderr.write(`${lineStart(tty)}${deviceId}: ${err.message}\n`);
    },
    /** How often each error that came more than once came. */
    printRepeats(): void {
      for (const [message, n] of counts) {
        if (n > 1) io.stderr.write(`${n}× ${message}\n`);
      }
    },
  };
}

/**
 * The progress line on stderr: redrawn every second on a terminal, a line every 5 s otherwise.
 * `stop` ends it; a terminal then gets the final figures on a line of their own.
 */
function showProgress(fleet: FleetRun, io: SimulateIo, tty: boolean) {
  let last = { acked: 0, atMs: Date.now() };
  const line = (s: FleetRunStats) => {
    const now = { acked: s.acked, atMs: Date.now() };
    const rate = ratePerS(last, now);
    last = now;
    return (
      `vehicles ${s.connected}/${s.target} connected · sent ${s.sent} · acked ${s.acked} · ` +
      `failed ${s.failed} · in flight ${s.inFlight} · ${rate.toFixed(1)} msg/s`
    );
  };
  const timer = setInterval(
    () => {
      const text = line(fleet.stats());
      io.stderr.write(tty ? `\r\x1b[2K${text}` : `${text}\n`);
    },
    tty ? 1000 : 5000,
  );
  return {
    stop(final: FleetRunStats): void {
      clearInterval(timer);
      if (tty) io.stderr.write(`\r\x1b[2K${line(final)}\n`);
    },
  };
}

function summaryOf(s: FleetRunStats, latency: LatencyHistogram): SimulateSummary {
  return {
    vehicles: s.target,
    connected: s.everConnected,
    sent: s.sent,
    acked: s.acked,
    lost: s.sent - s.acked,
    failed: s.failed,
    latencyMs: {
      p50: latency.percentile(50) ?? null,
      p99: latency.percentile(99) ?? null,
    },
  };
}
