import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type DbcDatabase, loadDbcFile } from '@fleetline/edge';
import { signalByName } from '@fleetline/proto';
import { type CanSignalMapping, demoDbcPath } from '../can/mapping.js';
import { CanTraffic, candumpLines } from '../can/traffic.js';
import type { TimedSource } from '../device/feeds.js';
import { GnssTraffic } from '../device/gnss.js';
import { ImuTraffic } from '../device/imu.js';
import {
  agentDeviceConfig,
  startVehicleDevices,
  type VehicleDevicesStats,
} from '../device/vehicle-devices.js';
import { DriveModel } from '../model/drive.js';
import type { Scenario } from '../model/scenario.js';
import { builtInScenarios, parseScenario, ScenarioError } from '../model/scenario-file.js';
import { type PtyPair, startPtyPair } from '../serial/pty-pair.js';
import type { SimulateIo } from './simulate.js';
import { ArgumentError } from './simulate-args.js';
import {
  parseSimulateDeviceArgs,
  type SimulateDeviceArgs,
  simulateDeviceUsage,
} from './simulate-device-args.js';

/**
 * `fleetline simulate device`: one vehicle's hardware from the drive model — an SLCAN
 * adapter, a GPS receiver and an IMU board on pseudo-terminals in real time, or their output
 * written to log files at once.
 */

/** The built-in scenarios' names, wrapped under the option they belong to. */
function scenarioList(): string {
  const lines: string[] = [''];
  for (const name of Object.keys(builtInScenarios)) {
    const line = lines.at(-1) as string;
    if (line.length + name.length > 60) lines.push(name);
    else lines[lines.length - 1] = line === '' ? name : `${line}, ${name}`;
  }
  return lines.join(',\n                          ');
}

const usage = simulateDeviceUsage.replace('SCENARIOS', scenarioList());

export async function simulateDevice(
  argv: readonly string[],
  io: SimulateIo,
  stop?: AbortSignal,
): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    io.stdout.write(usage);
    return 0;
  }
  let args: SimulateDeviceArgs;
  let scenario: Scenario;
  let dbc: DbcDatabase | undefined;
  let mapping: CanSignalMapping[] | undefined;
  try {
    args = parseSimulateDeviceArgs(argv);
    scenario = readScenario(args);
    if (args.slcan || args.candump) {
      dbc = await loadDbc(args.dbc ?? demoDbcPath);
      mapping = args.canMapping === undefined ? undefined : readMapping(args.canMapping);
      // Checked here, so a mapping the DBC cannot carry is an argument error, not a crash.
      try {
        new CanTraffic({ dbc, seed: 1, ...(mapping ? { mapping } : {}) });
      } catch (err) {
        throw new ArgumentError(
          `${args.canMapping ? '--can-mapping' : '--dbc'}: ${(err as Error).message}`,
        );
      }
    }
  } catch (err) {
    if (!(err instanceof ArgumentError)) throw err;
    io.stderr.write(`fleetline simulate device: ${err.message}\n${usage}`);
    return 2;
  }
  return args.live
    ? runLive(args, scenario, dbc, mapping, io, stop)
    : writeLogs(args, scenario, dbc, mapping, io);
}

function readText(flag: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ArgumentError(
      `${flag}: cannot read ${path} (${(err as NodeJS.ErrnoException).code})`,
    );
  }
}

function readJson(flag: string, path: string): unknown {
  const text = readText(flag, path);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ArgumentError(`${flag}: ${path} is not JSON (${(err as Error).message})`);
  }
}

function readScenario(args: SimulateDeviceArgs): Scenario {
  const builtIn = builtInScenarios[args.scenario];
  if (builtIn) return { ...builtIn, seed: args.seed };
  if (!/[./\\]/.test(args.scenario)) {
    throw new ArgumentError(
      `--scenario: "${args.scenario}" is neither a built-in scenario (${Object.keys(builtInScenarios).join(', ')}) nor a file`,
    );
  }
  try {
    return parseScenario(readJson('--scenario', args.scenario), { seed: args.seed });
  } catch (err) {
    if (err instanceof ScenarioError)
      throw new ArgumentError(`--scenario: ${args.scenario}: ${err.message}`);
    throw err;
  }
}

async function loadDbc(path: string): Promise<DbcDatabase> {
  try {
    return await loadDbcFile(path);
  } catch (err) {
    throw new ArgumentError(`--dbc: ${path}: ${(err as Error).message}`);
  }
}

function readMapping(path: string): CanSignalMapping[] {
  const raw = readJson('--can-mapping', path);
  if (!Array.isArray(raw)) throw new ArgumentError(`--can-mapping: ${path} is not a JSON array`);
  return raw.map((m: unknown, i) => {
    const e = m as Record<string, unknown>;
    if (
      typeof e !== 'object' ||
      e === null ||
      typeof e.signal !== 'string' ||
      typeof e.message !== 'string' ||
      typeof e.dbcSignal !== 'string'
    ) {
      throw new ArgumentError(
        `--can-mapping: entry ${i + 1} is not {"signal", "message", "dbcSignal"}`,
      );
    }
    if (!signalByName(e.signal)) {
      throw new ArgumentError(
        `--can-mapping: entry ${i + 1}: ${e.signal} is not a catalogue (VSS) signal`,
      );
    }
    return e as unknown as CanSignalMapping;
  });
}

const fmtTime = (ms: number) => {
  const s = Math.floor(ms / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
};

function progressLine(s: VehicleDevicesStats): string {
  const parts = [`drive ${fmtTime(s.driveMs)}`, `${s.speedKmh.toFixed(1)} km/h`];
  if (s.can) parts.push(`CAN ${s.can.frames} frames`);
  if (s.gnss) parts.push(`GPS ${s.gnss.epochs} epochs`);
  if (s.imu) parts.push(`IMU ${s.imu.lines} lines`);
  const dropped = (s.can?.dropped ?? 0) + (s.gnss?.dropped ?? 0) + (s.imu?.dropped ?? 0);
  parts.push(`not read ${dropped}`);
  return parts.join(' · ');
}

function eventText(e: NonNullable<Scenario['events']>[number]): string {
  switch (e.kind) {
    case 'crash':
      return `crash (${e.direction})`;
    case 'dtc':
      return `trouble code ${e.code}`;
    case 'fanFailure':
      return 'radiator fan fails';
    case 'pothole':
      return 'pothole';
    case 'hardBraking':
      return 'hard braking';
    case 'gnssOutage':
      return `GPS loses its fix for ${e.durationMs / 1000} s`;
  }
}

async function runLive(
  args: SimulateDeviceArgs,
  scenario: Scenario,
  dbc: DbcDatabase | undefined,
  mapping: CanSignalMapping[] | undefined,
  io: SimulateIo,
  stop: AbortSignal | undefined,
): Promise<number> {
  const tty = io.stderr.isTTY === true;
  const ptys: PtyPair[] = [];
  const pair = async (flag: string, host: string) => {
    try {
      const pty = await startPtyPair(undefined, 5000, { b: resolve(host) });
      ptys.push(pty);
      return pty;
    } catch (err) {
      throw new ArgumentError(`${flag}: ${(err as Error).message}`);
    }
  };
  let devices: Awaited<ReturnType<typeof startVehicleDevices>>;
  try {
    const can = args.slcan ? await pair('--slcan', args.slcan) : undefined;
    const gnss = args.gnss ? await pair('--gnss', args.gnss) : undefined;
    const imu = args.imu ? await pair('--imu', args.imu) : undefined;
    devices = await startVehicleDevices({
      scenario,
      ...(can && dbc ? { can: { path: can.a, dbc, ...(mapping ? { mapping } : {}) } } : {}),
      ...(gnss ? { gnss: { path: gnss.a, rateHz: args.gnssRateHz } } : {}),
      ...(imu ? { imu: { path: imu.a, rateHz: args.imuRateHz } } : {}),
    });
    if (args.agentConfig) {
      const config = agentDeviceConfig({
        ...(can
          ? {
              can: {
                path: resolve(args.slcan as string),
                dbc: resolve(args.dbc ?? demoDbcPath),
                ...(mapping ? { mapping } : {}),
              },
            }
          : {}),
        ...(gnss ? { gnss: { path: resolve(args.gnss as string) } } : {}),
        ...(imu ? { imu: { path: resolve(args.imu as string) } } : {}),
      });
      writeFileSync(args.agentConfig, `${JSON.stringify(config, null, 2)}\n`);
    }
  } catch (err) {
    for (const p of ptys) await p.stop();
    if (!(err instanceof ArgumentError)) throw err;
    io.stderr.write(`fleetline simulate device: ${err.message}\n`);
    return 2;
  }

  const announce = (text: string) => io.stderr.write(`${tty ? '\r\x1b[2K' : ''}${text}\n`);
  if (args.slcan) announce(`SLCAN adapter (CAN bus, ${args.dbc ?? 'demo DBC'}) on ${args.slcan}`);
  if (args.gnss) announce(`GPS receiver (NMEA 0183, ${args.gnssRateHz} Hz) on ${args.gnss}`);
  if (args.imu) announce(`IMU board ($IMU, ${args.imuRateHz} Hz) on ${args.imu}`);
  if (args.agentConfig) announce(`edge agent inputs written to ${args.agentConfig}`);
  const pending = [...(scenario.events ?? [])].sort((a, b) => a.atMs - b.atMs);
  const progress = setInterval(
    () => {
      const s = devices.stats();
      while (pending.length > 0 && (pending[0]?.atMs ?? Infinity) <= s.driveMs) {
        const e = pending.shift() as (typeof pending)[number];
        announce(`${fmtTime(e.atMs)} ${eventText(e)}`);
      }
      const text = progressLine(s);
      io.stderr.write(tty ? `\r\x1b[2K${text}` : `${text}\n`);
    },
    tty ? 500 : 5000,
  );

  await new Promise<void>((done) => {
    const timer =
      args.durationS === undefined ? undefined : setTimeout(done, args.durationS * 1000);
    const onStop = () => {
      clearTimeout(timer);
      done();
    };
    if (stop?.aborted) onStop();
    stop?.addEventListener('abort', onStop, { once: true });
  });
  clearInterval(progress);
  const s = devices.stats();
  if (tty) io.stderr.write(`\r\x1b[2K${progressLine(s)}\n`);
  await devices.close();
  for (const p of ptys) await p.stop();
  io.stdout.write(
    `${JSON.stringify({ scenario: args.scenario, seed: scenario.seed, ...s, crashed: devices.model.state.crashed })}\n`,
  );
  return 0;
}

/** Writes every item a source produces before `durationMs`, as lines, in chunks. */
async function writeLines<T>(
  file: string,
  source: TimedSource<T>,
  durationMs: number,
  lines: (items: T[]) => string[],
): Promise<number> {
  const out = createWriteStream(file);
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  let count = 0;
  for (let until = 0; until < durationMs; ) {
    until = Math.min(durationMs, until + 10_000);
    const items: T[] = [];
    while (source.nextDueMs < until) items.push(source.next());
    const text = lines(items);
    count += text.length;
    if (text.length > 0 && !out.write(`${text.join('\n')}\n`)) {
      await Promise.race([new Promise<void>((r) => out.once('drain', () => r())), failed]);
    }
  }
  await Promise.race([new Promise<void>((r) => out.end(() => r())), failed]);
  return count;
}

async function writeLogs(
  args: SimulateDeviceArgs,
  scenario: Scenario,
  dbc: DbcDatabase | undefined,
  mapping: CanSignalMapping[] | undefined,
  io: SimulateIo,
): Promise<number> {
  const durationMs = Math.round((args.durationS as number) * 1000);
  // Each log reads its own model of the same drive: the same seed gives the same drive.
  const drive = { ...scenario, startMs: Math.ceil(Date.now() / 1000) * 1000 };
  const model = () => new DriveModel(drive, { samples: false });
  const summary: Record<string, unknown> = {
    scenario: args.scenario,
    seed: scenario.seed,
    durationMs,
  };
  try {
    if (args.candump && dbc) {
      const traffic = new CanTraffic({ dbc, model: model(), ...(mapping ? { mapping } : {}) });
      summary.canFrames = await writeLines(args.candump, traffic, durationMs, (frames) =>
        candumpLines(frames),
      );
    }
    if (args.nmeaLog) {
      const gnss = new GnssTraffic({ model: model(), rateHz: args.gnssRateHz });
      summary.gnssEpochs = 0;
      await writeLines(args.nmeaLog, gnss, durationMs, (epochs) => {
        summary.gnssEpochs = (summary.gnssEpochs as number) + epochs.length;
        return epochs.flatMap((e) => e.lines);
      });
    }
    if (args.imuLog) {
      const imu = new ImuTraffic({ model: model(), rateHz: args.imuRateHz });
      summary.imuLines = await writeLines(args.imuLog, imu, durationMs, (lines) =>
        lines.map((l) => l.line),
      );
    }
  } catch (err) {
    io.stderr.write(`fleetline simulate device: ${(err as Error).message}\n`);
    return 1;
  }
  io.stdout.write(`${JSON.stringify(summary)}\n`);
  return 0;
}
