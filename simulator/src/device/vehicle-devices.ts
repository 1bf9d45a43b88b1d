import type { DbcDatabase } from '@fleetline/edge';
import { STANDARD_GRAVITY as G, type SignalName } from '@fleetline/proto';
import {
  PtyLineDevice,
  SimulatedSlcanAdapter,
  type SlcanDeviceOptions,
} from '@fleetline/pty-devices';
import { type CanSignalMapping, demoCanMapping } from '../can/mapping.js';
import { canFeed } from '../can/slcan.js';
import { CanTraffic, type SimulatedCanFrame } from '../can/traffic.js';
import { DriveModel } from '../model/drive.js';
import type { Scenario } from '../model/scenario.js';
import type { NmeaOptions } from '../serial/nmea.js';
import { type Feed, feed, type ServeOptions, serveFeeds } from './feeds.js';
import { GnssTraffic, type SimulatedGnssEpoch } from './gnss.js';
import { ImuTraffic, type SimulatedImuLine } from './imu.js';

/**
 * One simulated vehicle's hardware, live on pseudo-terminals: its CAN bus behind an SLCAN
 * adapter, its GPS receiver and its accelerometer board, all reading one drive model. Pass the
 * device ends of pty pairs; the edge agent opens the host ends as it would real adapters.
 */

export interface VehicleDevicesOptions {
  /**
   * The drive. `startMs` defaults to now (to the next 10 ms): the devices run in real time
   * from it.
   */
  readonly scenario: Scenario;
  readonly can?: {
    readonly path: string;
    readonly dbc: DbcDatabase;
    /** Default: the demo DBC's mapping. */
    readonly mapping?: readonly CanSignalMapping[];
    readonly device?: SlcanDeviceOptions;
    readonly onFrame?: (frame: SimulatedCanFrame, delivered: boolean) => void;
  };
  readonly gnss?: {
    readonly path: string;
    readonly rateHz?: 1 | 2 | 5 | 10;
    readonly nmea?: NmeaOptions;
    readonly onEpoch?: (epoch: SimulatedGnssEpoch, delivered: boolean) => void;
  };
  readonly imu?: {
    readonly path: string;
    readonly rateHz?: number;
    readonly rangeG?: number;
    readonly onLine?: (line: SimulatedImuLine, delivered: boolean) => void;
  };
  readonly serve?: ServeOptions;
}

export interface VehicleDevicesStats {
  /** Simulated ms since the drive's start. */
  readonly driveMs: number;
  readonly speedKmh: number;
  readonly can?: { readonly frames: number; readonly dropped: number };
  readonly gnss?: { readonly epochs: number; readonly dropped: number };
  readonly imu?: { readonly lines: number; readonly dropped: number };
}

export interface VehicleDevices {
  readonly model: DriveModel;
  readonly slcan?: SimulatedSlcanAdapter;
  stats(): VehicleDevicesStats;
  /** Stops the devices and releases the pty ends; idempotent. */
  close(): Promise<void>;
}

export async function startVehicleDevices(o: VehicleDevicesOptions): Promise<VehicleDevices> {
  if (!o.can && !o.gnss && !o.imu)
    throw new TypeError('no device to simulate: give can, gnss or imu');
  const model = new DriveModel(
    // On the model's 10-ms grid, so GPS epochs fall on whole seconds.
    { ...o.scenario, startMs: o.scenario.startMs ?? Math.ceil(Date.now() / 10) * 10 },
    { samples: false },
  );
  const feeds: Feed[] = [];
  const closers: (() => Promise<void>)[] = [];
  const counts: LineCounts = { epochs: 0, epochsDropped: 0, lines: 0, linesDropped: 0 };
  let can: ReturnType<typeof canFeed> | undefined;
  let slcan: SimulatedSlcanAdapter | undefined;
  try {
    if (o.can) {
      ({ adapter: slcan, feed: can } = await openCan(model, o.can, closers));
      feeds.push(can);
    }
    if (o.gnss) feeds.push(await openGnss(model, o.gnss, counts, closers));
    if (o.imu) feeds.push(await openImu(model, o.imu, counts, closers));
  } catch (err) {
    for (const close of closers.reverse()) await close().catch(() => {});
    throw err;
  }
  const served = serveFeeds(feeds, model.startMs, o.serve);
  let closing: Promise<void> | undefined;
  return {
    model,
    ...(slcan ? { slcan } : {}),
    stats: () => ({
      driveMs: model.state.timeMs,
      speedKmh: model.state.speedMs * 3.6,
      ...(can ? { can: { frames: can.delivered, dropped: can.dropped } } : {}),
      ...(o.gnss ? { gnss: { epochs: counts.epochs, dropped: counts.epochsDropped } } : {}),
      ...(o.imu ? { imu: { lines: counts.lines, dropped: counts.linesDropped } } : {}),
    }),
    close() {
      closing ??= (async () => {
        served.stop();
        for (const close of closers.reverse()) await close().catch(() => {});
      })();
      return closing;
    },
  };
}

/** GPS epochs and IMU lines written to their ptys, and those not read in time. */
interface LineCounts {
  epochs: number;
  epochsDropped: number;
  lines: number;
  linesDropped: number;
}

/** The CAN bus behind an SLCAN adapter on its pty (the traffic is checked before it opens). */
async function openCan(
  model: DriveModel,
  c: NonNullable<VehicleDevicesOptions['can']>,
  closers: (() => Promise<void>)[],
) {
  const traffic = new CanTraffic({
    dbc: c.dbc,
    model,
    ...(c.mapping ? { mapping: c.mapping } : {}),
  });
  const adapter = await SimulatedSlcanAdapter.open(c.path, c.device);
  closers.push(() => adapter.close());
  return { adapter, feed: canFeed(adapter, traffic, c.onFrame) };
}

/** The GPS receiver: the model's NMEA epochs on its pty. */
async function openGnss(
  model: DriveModel,
  g: NonNullable<VehicleDevicesOptions['gnss']>,
  counts: LineCounts,
  closers: (() => Promise<void>)[],
): Promise<Feed> {
  const receiver = await PtyLineDevice.open(g.path);
  closers.push(() => receiver.close());
  const traffic = new GnssTraffic({
    model,
    ...(g.rateHz ? { rateHz: g.rateHz } : {}),
    ...(g.nmea ? { nmea: g.nmea } : {}),
  });
  return feed(traffic, (epoch) => {
    const ok = receiver.writeLines(epoch.lines);
    if (ok) counts.epochs++;
    else counts.epochsDropped++;
    g.onEpoch?.(epoch, ok);
  });
}

/** The accelerometer board: the model's `$IMU` lines on its pty. */
async function openImu(
  model: DriveModel,
  i: NonNullable<VehicleDevicesOptions['imu']>,
  counts: LineCounts,
  closers: (() => Promise<void>)[],
): Promise<Feed> {
  const board = await PtyLineDevice.open(i.path);
  closers.push(() => board.close());
  const traffic = new ImuTraffic({
    model,
    ...(i.rateHz ? { rateHz: i.rateHz } : {}),
    ...(i.rangeG ? { rangeG: i.rangeG } : {}),
  });
  return feed(traffic, (line) => {
    const ok = board.writeLines([line.line]);
    if (ok) counts.lines++;
    else counts.linesDropped++;
    i.onLine?.(line, ok);
  });
}

/** Where an agent finds the simulated devices (the host ends of the pty pairs). */
export interface AgentDevicePaths {
  readonly can?: {
    readonly path: string;
    readonly dbc: string;
    readonly mapping?: readonly CanSignalMapping[];
  };
  readonly gnss?: { readonly path: string };
  readonly imu?: { readonly path: string };
}

/**
 * The inputs and signal mappings of an edge agent config (edge/README.md) that reads these
 * devices. Each signal comes from one device: position from the GPS receiver and acceleration
 * from the IMU board when they are simulated, otherwise from the CAN bus; speed from the bus
 * when there is one (a vehicle's own speed is better than GPS speed over ground).
 */
export function agentDeviceConfig(paths: AgentDevicePaths): {
  can?: { source: { type: 'slcan'; path: string; bitrate: 500000; timestamps: true }; dbc: string };
  gnss?: { path: string; baudRate: number };
  imu?: { path: string; baudRate: number };
  signals: { from: string; to: SignalName; offset?: number }[];
} {
  const fromGnss = new Set<SignalName>(
    paths.gnss
      ? [
          'Vehicle.CurrentLocation.Latitude',
          'Vehicle.CurrentLocation.Longitude',
          'Vehicle.CurrentLocation.Altitude',
          'Vehicle.CurrentLocation.Heading',
        ]
      : [],
  );
  const fromImu = new Set<SignalName>(
    paths.imu
      ? [
          'Vehicle.Acceleration.Longitudinal',
          'Vehicle.Acceleration.Lateral',
          'Vehicle.Acceleration.Vertical',
        ]
      : [],
  );
  const signals: { from: string; to: SignalName; offset?: number }[] = [];
  if (paths.can) {
    for (const m of paths.can.mapping ?? demoCanMapping) {
      if (fromGnss.has(m.signal) || fromImu.has(m.signal)) continue;
      signals.push({ from: `can.${m.message}.${m.dbcSignal}`, to: m.signal });
    }
  }
  if (paths.gnss) {
    signals.push(
      { from: 'gnss.latitude', to: 'Vehicle.CurrentLocation.Latitude' },
      { from: 'gnss.longitude', to: 'Vehicle.CurrentLocation.Longitude' },
      { from: 'gnss.altitude', to: 'Vehicle.CurrentLocation.Altitude' },
      { from: 'gnss.course', to: 'Vehicle.CurrentLocation.Heading' },
    );
    if (!paths.can || !signals.some((s) => s.to === 'Vehicle.Speed')) {
      signals.push({ from: 'gnss.speed', to: 'Vehicle.Speed' });
    }
  }
  if (paths.imu) {
    signals.push(
      { from: 'imu.accel_x', to: 'Vehicle.Acceleration.Longitudinal' },
      { from: 'imu.accel_y', to: 'Vehicle.Acceleration.Lateral' },
      // The board reports gravity; the catalogue's vertical acceleration is without it.
      { from: 'imu.accel_z', to: 'Vehicle.Acceleration.Vertical', offset: -G },
    );
  }
  return {
    ...(paths.can
      ? {
          can: {
            // Adapter time stamps: each frame keeps the time the simulated bus sent it at.
            source: { type: 'slcan', path: paths.can.path, bitrate: 500000, timestamps: true },
            dbc: paths.can.dbc,
          },
        }
      : {}),
    ...(paths.gnss ? { gnss: { path: paths.gnss.path, baudRate: 115200 } } : {}),
    ...(paths.imu ? { imu: { path: paths.imu.path, baudRate: 115200 } } : {}),
    signals,
  };
}
