import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DbcDatabase } from '@fleetline/edge';
import { type PtyPair, startPtyPair } from '@fleetline/pty-devices';
import { type CanSignalMapping, demoDbcPath } from '../can/mapping.js';
import { CanTraffic } from '../can/traffic.js';
import {
  agentDeviceConfig,
  startVehicleDevices,
  type VehicleDevices,
  type VehicleDevicesStats,
} from '../device/vehicle-devices.js';
import type { Scenario } from '../model/scenario.js';
import { builtInScenarios } from '../model/scenario-file.js';
import { ArgumentError } from './flags.js';
import type { SimulateIo } from './simulate.js';
import {
  parseSimulateDeviceArgs,
  type SimulateDeviceArgs,
  simulateDeviceUsage,
} from './simulate-device-args.js';
import { loadDbc, readMapping, readScenario } from './simulate-device-inputs.js';
import { writeLogs } from './simulate-device-logs.js';
import { lineStart, untilStopped } from './stop.js';

/**
 * `fleetline simulate device`: one vehicle's hardware from the drive model — an SLCAN
 * adapter, a GPS receiver and an IMU board on pseudo-terminals in real time, or their output
 * written to log files at once (simulate-device-logs.ts).
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
  let devices: VehicleDevices;
  try {
    devices = await openDevices(args, scenario, dbc, mapping, ptys);
  } catch (err) {
    for (const p of ptys) await p.stop();
    if (!(err instanceof ArgumentError)) throw err;
    io.stderr.write(`fleetline simulate device: ${err.message}\n`);
    return 2;
  }

  const announce = (text: string) => io.stderr.write(`${lineStart(tty)}${text}\n`);
  if (args.slcan) announce(`SLCAN adapter (CAN bus, ${args.dbc ?? 'demo DBC'}) on ${args.slcan}`);
  if (args.gnss) announce(`GPS receiver (NMEA 0183, ${args.gnssRateHz} Hz) on ${args.gnss}`);
  if (args.imu) announce(`IMU board ($IMU, ${args.imuRateHz} Hz) on ${args.imu}`);
  if (args.agentConfig) announce(`edge agent inputs written to ${args.agentConfig}`);
  const progress = showProgress(devices, scenario, io, tty, announce);
  await untilStopped(args.durationS, stop);
  const s = devices.stats();
  progress.stop(s);
  await devices.close();
  for (const p of ptys) await p.stop();
  io.stdout.write(
    `${JSON.stringify({ scenario: args.scenario, seed: scenario.seed, ...s, crashed: devices.model.state.crashed })}\n`,
  );
  return 0;
}

/**
 * A pseudo-terminal for each live output, its host end at the path asked for (each pushed to
 * `ptys` as it opens, for the caller to stop), the devices on them, and the edge agent's
 * inputs for them if asked for. A pty that cannot be made is an argument error.
 */
async function openDevices(
  args: SimulateDeviceArgs,
  scenario: Scenario,
  dbc: DbcDatabase | undefined,
  mapping: CanSignalMapping[] | undefined,
  ptys: PtyPair[],
): Promise<VehicleDevices> {
  const pair = async (flag: string, host: string) => {
    try {
      const pty = await startPtyPair(undefined, 5000, { b: resolve(host) });
      ptys.push(pty);
      return pty;
    } catch (err) {
      throw new ArgumentError(`${flag}: ${(err as Error).message}`);
    }
  };
  const can = args.slcan ? await pair('--slcan', args.slcan) : undefined;
  const gnss = args.gnss ? await pair('--gnss', args.gnss) : undefined;
  const imu = args.imu ? await pair('--imu', args.imu) : undefined;
  const devices = await startVehicleDevices({
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
  return devices;
}

/**
 * The progress line on stderr — redrawn twice a second on a terminal, a line every 5 s
 * otherwise — with each scenario event announced as the drive reaches it. `stop` ends it; a
 * terminal then gets the final figures on a line of their own.
 */
function showProgress(
  devices: VehicleDevices,
  scenario: Scenario,
  io: SimulateIo,
  tty: boolean,
  announce: (text: string) => void,
) {
  const pending = [...(scenario.events ?? [])].sort((a, b) => a.atMs - b.atMs);
  const timer = setInterval(
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
  return {
    stop(final: VehicleDevicesStats): void {
      clearInterval(timer);
      if (tty) io.stderr.write(`\r\x1b[2K${progressLine(final)}\n`);
    },
  };
}
