import {
  STANDARD_GRAVITY as G,
  type Sample,
  type SignalName,
  seededRandom,
  signalById,
  signalId,
  type VehicleEvent,
} from '@fleetline/proto';
import { cityLoop, highwayLeg, positionAt, type RoutePath, routePath } from './route.js';
import {
  type CrashDirection,
  defaultSampleRates,
  type SampleRates,
  type Scenario,
  type ScenarioEvent,
  type SpeedProfile,
} from './scenario.js';

/**
 * A deterministic vehicle model driving a scenario: the vehicle follows its route at a speed
 * from its driving profile, and the powertrain, cooling, fuel, battery and accelerometer
 * follow from that, with the scenario's faults and events injected. It steps at 10 ms (or a
 * coarser `stepMs`, for drives without shock pulses); each
 * signal is sampled on its own grid (see SampleRates), values rounded to the catalogue's
 * wire resolution. The same scenario (and seed) always gives the same samples and events.
 *
 * Acceleration is in the vehicle frame (m/s², x forward, y left, z up, gravity removed), as
 * the crash rule of @fleetline/proto expects.
 */

interface ProfileSpec {
  cruiseKmh: [number, number];
  cruiseS: [number, number];
  /** Stop duration; undefined: never stops. */
  stopS?: [number, number];
  accel: number;
  brake: number;
}

const profiles: Record<SpeedProfile, ProfileSpec> = {
  city: { cruiseKmh: [30, 60], cruiseS: [20, 70], stopS: [10, 40], accel: 1.8, brake: 2.4 },
  highway: { cruiseKmh: [90, 120], cruiseS: [30, 120], accel: 0.7, brake: 1.0 },
  stopAndGo: { cruiseKmh: [5, 25], cruiseS: [4, 15], stopS: [3, 12], accel: 1.3, brake: 1.8 },
};

const GEAR_RATIOS = [3.6, 2.1, 1.4, 1.0, 0.8, 0.65];
const FINAL_DRIVE = 3.9;
const TYRE_CIRCUMFERENCE_M = 1.95;
const IDLE_RPM = 780;
const MASS_KG = 1500;
const TANK_L = 55;
const WHEELBASE_M = 2.7;
/** Heading filter for the lateral acceleration: a corner takes a few seconds to drive. */
const YAW_TAU_S = 4;
const STEERING_RATIO = 15;
/** Maximum engine power, for throttle and pedal position. */
const MAX_POWER_W = 90_000;
/** Petrol, kg/L, and the stoichiometric air–fuel ratio: mass air flow from fuel flow. */
const FUEL_DENSITY = 0.745;
const AIR_FUEL_RATIO = 14.7;

export const modelSignals = {
  speed: signalId('Vehicle.Speed'),
  rpm: signalId('Vehicle.Powertrain.CombustionEngine.Speed'),
  coolant: signalId('Vehicle.Powertrain.CombustionEngine.ECT'),
  fuel: signalId('Vehicle.Powertrain.FuelSystem.RelativeLevel'),
  consumption: signalId('Vehicle.Powertrain.FuelSystem.InstantConsumption'),
  load: signalId('Vehicle.OBD.EngineLoad'),
  odometer: signalId('Vehicle.TraveledDistance'),
  battery: signalId('Vehicle.LowVoltageBattery.CurrentVoltage'),
  lat: signalId('Vehicle.CurrentLocation.Latitude'),
  lon: signalId('Vehicle.CurrentLocation.Longitude'),
  heading: signalId('Vehicle.CurrentLocation.Heading'),
  gear: signalId('Vehicle.Powertrain.Transmission.CurrentGear'),
  ax: signalId('Vehicle.Acceleration.Longitudinal'),
  ay: signalId('Vehicle.Acceleration.Lateral'),
  az: signalId('Vehicle.Acceleration.Vertical'),
  altitude: signalId('Vehicle.CurrentLocation.Altitude'),
  accuracy: signalId('Vehicle.CurrentLocation.HorizontalAccuracy'),
  oil: signalId('Vehicle.Powertrain.CombustionEngine.EOT'),
  intake: signalId('Vehicle.OBD.IntakeTemp'),
  air: signalId('Vehicle.Exterior.AirTemperature'),
  maf: signalId('Vehicle.OBD.MAF'),
  throttle: signalId('Vehicle.OBD.ThrottlePosition'),
  baro: signalId('Vehicle.OBD.BarometricPressure'),
  runTime: signalId('Vehicle.OBD.RunTime'),
  steering: signalId('Vehicle.Chassis.SteeringWheel.Angle'),
  yaw: signalId('Vehicle.AngularVelocity.Yaw'),
  brake: signalId('Vehicle.Chassis.Brake.PedalPosition'),
  accelerator: signalId('Vehicle.Chassis.Accelerator.PedalPosition'),
  tyreFL: signalId('Vehicle.Chassis.Axle.Row1.Wheel.Left.Tire.Pressure'),
  tyreFR: signalId('Vehicle.Chassis.Axle.Row1.Wheel.Right.Tire.Pressure'),
  tyreRL: signalId('Vehicle.Chassis.Axle.Row2.Wheel.Left.Tire.Pressure'),
  tyreRR: signalId('Vehicle.Chassis.Axle.Row2.Wheel.Right.Tire.Pressure'),
} satisfies Record<string, number>;

/** The model's signals that a vehicle sends at the driving-dynamics rate (SampleRates.speedMs). */
const dynamicsSignals = ['speed', 'steering', 'yaw', 'brake', 'accelerator'] as const;
/** Position signals: not sent while the GPS receiver has no fix. */
const positionSignals = ['lat', 'lon', 'heading', 'altitude', 'accuracy'] as const;
/** Sent each SampleRates.defaultMs (engine speed and battery too, and faster when cranking). */
const secondSignals = (Object.keys(modelSignals) as (keyof typeof modelSignals)[]).filter(
  (k) =>
    !(dynamicsSignals as readonly string[]).includes(k) &&
    !['rpm', 'battery', 'ax', 'ay', 'az'].includes(k),
);

type ModelSignal = keyof typeof modelSignals;

/** Each model signal's value in a state, in the catalogue's unit (speed km/h, …). */
export function modelValues(s: DriveState): Record<ModelSignal, number> {
  return {
    speed: s.speedMs * 3.6,
    rpm: s.engineRpm,
    coolant: s.coolantC,
    fuel: s.fuelPct,
    consumption: s.consumptionL100,
    load: s.loadPct,
    odometer: s.odometerKm,
    battery: s.batteryV,
    lat: s.latitude,
    lon: s.longitude,
    heading: s.headingDeg,
    gear: s.gear,
    ax: s.ax,
    ay: s.ay,
    az: s.az,
    altitude: s.altitudeM,
    accuracy: s.horizontalAccuracyM,
    oil: s.oilC,
    intake: s.intakeC,
    air: s.airC,
    maf: s.mafGs,
    throttle: s.throttlePct,
    baro: s.baroKPa,
    runTime: s.runTimeS,
    steering: s.steeringDeg,
    yaw: s.yawRateDps,
    brake: s.brakePedalPct,
    accelerator: s.acceleratorPedalPct,
    tyreFL: s.tyresKPa[0],
    tyreFR: s.tyresKPa[1],
    tyreRL: s.tyresKPa[2],
    tyreRR: s.tyresKPa[3],
  };
}

/** The same values keyed by catalogue (VSS) name. */
export function catalogueValues(s: DriveState): Partial<Record<SignalName, number>> {
  const values = modelValues(s);
  const out: Partial<Record<SignalName, number>> = {};
  for (const [key, id] of Object.entries(modelSignals)) {
    const name = signalById(id)?.name as SignalName | undefined;
    if (name) out[name] = values[key as ModelSignal];
  }
  return out;
}

/** 10^decimals of each signal's wire resolution. */
const scales = new Map<number, number>(
  Object.values(modelSignals).flatMap((id) => {
    const d = signalById(id)?.decimals;
    return d === undefined ? [] : [[id, 10 ** d] as [number, number]];
  }),
);

/** The model's state after a step (plain values, SI units unless named). */
export interface DriveState {
  timeMs: number;
  engine: 'off' | 'cranking' | 'running';
  speedMs: number;
  /** Longitudinal acceleration from driving (without shocks), m/s². */
  driveAccel: number;
  distanceM: number;
  latitude: number;
  longitude: number;
  headingDeg: number;
  gear: number;
  engineRpm: number;
  coolantC: number;
  fuelPct: number;
  consumptionL100: number;
  loadPct: number;
  odometerKm: number;
  batteryV: number;
  /** Measured acceleration (with shocks and noise). */
  ax: number;
  ay: number;
  az: number;
  crashed: boolean;
  activeDtcs: string[];
  /** Metres above the ellipsoid: a rolling terrain along the route. */
  altitudeM: number;
  /** What the GPS receiver reports as its horizontal accuracy. */
  horizontalAccuracyM: number;
  /** Whether the GPS receiver has a fix (no: a scenario's gnssOutage). */
  gnssFix: boolean;
  oilC: number;
  intakeC: number;
  airC: number;
  mafGs: number;
  throttlePct: number;
  baroKPa: number;
  /** Seconds since the engine started (0 while it is off). */
  runTimeS: number;
  /** Steering wheel angle, positive to the left. */
  steeringDeg: number;
  /** Yaw rate, positive counter-clockwise seen from above. */
  yawRateDps: number;
  brakePedalPct: number;
  acceleratorPedalPct: number;
  /** Front left, front right, rear left, rear right. */
  tyresKPa: [number, number, number, number];
}

export interface DriveOutput {
  samples: Sample[];
  events: VehicleEvent[];
}

interface Pulse {
  startMs: number;
  durationMs: number;
  /** Peak acceleration per axis, m/s² (signed). */
  x: number;
  y: number;
  z: number;
  /** z as a full sine (down then up) rather than a half sine. */
  zFull: boolean;
  /** Whether the pulse changes the vehicle's speed (crashes do, road shocks do not). */
  moves: boolean;
}

const clamp = (x: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, x));
const wrap180 = (deg: number) => ((((deg + 180) % 360) + 360) % 360) - 180;

export class DriveModel {
  readonly scenario: Scenario;
  readonly path: RoutePath;
  readonly startMs: number;
  readonly deviceId: string;
  /** The last service's odometer reading (a multiple of the service interval). */
  readonly lastServiceKm: number;
  readonly state: DriveState;

  private readonly profile: ProfileSpec;
  private readonly rates: SampleRates;
  private readonly driveRandom: () => number;
  private readonly noise: () => number;
  private readonly events: readonly ScenarioEvent[];
  private readonly engineStartMs: number;
  private readonly ambientC: number;
  private readonly restingV: number;
  private readonly crankDipV: number;
  private readonly pulses: Pulse[] = [];
  private readonly eventWindows: [number, number][];
  private readonly keepMoving: [number, number][];
  private readonly fanWindows: [number, number][];
  private readonly gnssOutages: [number, number][];
  private readonly baseAltitudeM: number;
  private readonly terrainPhase: number;
  private readonly weatherKPa: number;
  private readonly coldTyresKPa: readonly number[];
  /** 0 cold … 1 tyres at running temperature. */
  private tyreWarmth = 0;
  private readonly brakings: { from: number; to: number; g: number }[];
  private mode: 'stop' | 'cruise' = 'stop';
  private targetMs = 0;
  private phaseLeftS: number;
  private jerkAccel = 0;
  private filteredHeading: number;
  private runningSinceMs = 0;
  private nextDtcPollMs = Number.POSITIVE_INFINITY;
  private reportedDtcs: string | undefined;
  private seq = 1;
  private crashEndsMs = Number.POSITIVE_INFINITY;
  private pending: DriveOutput = { samples: [], events: [] };
  private readonly onlySignals: ReadonlySet<number> | undefined;
  private readonly stepMs: number;
  /** The step in seconds. */
  private readonly dt: number;

  /**
   * `samples: false` keeps the model from collecting samples, for callers that read `state`
   * directly (the CAN, NMEA and IMU outputs); edge events are still produced.
   *
   * `stepMs` (default 10) trades resolution for CPU: a fleet of thousands sampled once a second
   * needs no 10-ms physics (1,000 vehicles at 10 ms cost a quarter of a core). Crashes and
   * potholes are pulses of 40–120 ms and need the 10-ms step; every sample rate must be a
   * multiple of the step. The same scenario and step always give the same drive.
   */
  constructor(
    scenario: Scenario,
    private readonly options: { samples?: boolean; stepMs?: 10 | 20 | 50 | 100 } = {},
  ) {
    this.scenario = scenario;
    this.stepMs = options.stepMs ?? 10;
    this.dt = this.stepMs / 1000;
    const profileName = scenario.profile ?? 'city';
    this.profile = profiles[profileName];
    this.path = routePath(scenario.route ?? (profileName === 'highway' ? highwayLeg : cityLoop));
    this.rates = { ...defaultSampleRates, ...scenario.rates };
    if (this.stepMs !== 10) this.checkCoarseStep(scenario);
    this.onlySignals = scenario.signals && new Set(scenario.signals.map((n) => signalId(n)));
    this.startMs = scenario.startMs ?? Date.UTC(2026, 0, 1, 8);
    this.deviceId = scenario.deviceId ?? 'sim-0001';
    this.events = [...(scenario.events ?? [])].sort((a, b) => a.atMs - b.atMs);
    this.engineStartMs = scenario.engineStartMs ?? 2000;
    // Separate streams, so injecting an event does not change the rest of the drive.
    const setup = seededRandom(scenario.seed);
    this.driveRandom = seededRandom(Math.floor(setup() * 2 ** 32));
    this.noise = seededRandom(Math.floor(setup() * 2 ** 32));
    this.ambientC = scenario.ambientC ?? 10 + setup() * 15;
    const interval = scenario.serviceIntervalKm ?? 10_000;
    let odometerKm = scenario.odometerKm ?? 5_000 + setup() * 80_000;
    if (scenario.serviceDueInKm !== undefined) {
      odometerKm = Math.ceil(odometerKm / interval) * interval - scenario.serviceDueInKm;
    }
    this.lastServiceKm = Math.floor(odometerKm / interval) * interval;
    const fuelPct = scenario.fuelPct ?? 40 + setup() * 55;
    const weak = scenario.battery === 'weak';
    this.restingV = weak ? 11.75 + setup() * 0.1 : 12.55 + setup() * 0.1;
    this.crankDipV = weak ? 3.3 : 2.2;
    const startDistance = setup() * this.path.lengthM;
    // Drawn after everything else, so these signals leave the older ones' draws unchanged.
    const more = seededRandom(Math.floor(setup() * 2 ** 32));
    this.baseAltitudeM = 5 + more() * 300;
    this.terrainPhase = more() * 2 * Math.PI;
    this.weatherKPa = (more() - 0.5) * 3;
    const cold = 225 + more() * 15;
    this.coldTyresKPa = [0, 1, 2, 3].map(() => cold + (more() - 0.5) * 6);
    const pos = positionAt(this.path, startDistance);
    this.filteredHeading = pos.headingDeg;
    this.phaseLeftS = this.engineStartMs / 1000 + 3 + setup() * 3;

    for (const e of this.events) this.planPulses(e);
    this.eventWindows = this.events
      .filter((e) => e.kind === 'crash' || e.kind === 'pothole' || e.kind === 'hardBraking')
      .map((e) => [e.atMs - 2000, e.atMs + 3000 + ('durationMs' in e ? (e.durationMs ?? 0) : 0)]);
    this.keepMoving = this.events
      .filter((e) => e.kind === 'crash' || e.kind === 'pothole' || e.kind === 'hardBraking')
      .map((e) => [e.atMs - 25_000, e.atMs + ('durationMs' in e ? (e.durationMs ?? 0) : 0)]);

    this.fanWindows = this.events.flatMap((e): [number, number][] =>
      e.kind === 'fanFailure' ? [[e.atMs, e.repairedAtMs ?? Number.POSITIVE_INFINITY]] : [],
    );
    this.gnssOutages = this.events.flatMap((e): [number, number][] =>
      e.kind === 'gnssOutage' ? [[e.atMs, e.atMs + e.durationMs]] : [],
    );
    this.brakings = this.events.flatMap((e) =>
      e.kind === 'hardBraking'
        ? [{ from: e.atMs, to: e.atMs + (e.durationMs ?? 1500), g: e.g ?? 0.65 }]
        : [],
    );

    this.state = {
      timeMs: 0,
      engine: 'off',
      speedMs: 0,
      driveAccel: 0,
      distanceM: startDistance,
      latitude: pos.latitude,
      longitude: pos.longitude,
      headingDeg: pos.headingDeg,
      gear: 0,
      engineRpm: 0,
      coolantC: scenario.coolantC ?? this.ambientC,
      fuelPct,
      consumptionL100: 0,
      loadPct: 0,
      odometerKm,
      batteryV: this.restingV,
      ax: 0,
      ay: 0,
      az: 0,
      crashed: false,
      activeDtcs: [],
      altitudeM: this.altitudeAt(startDistance),
      horizontalAccuracyM: 1.5,
      gnssFix: !this.inWindow(this.gnssOutages, 0),
      oilC: scenario.coolantC ?? this.ambientC,
      intakeC: this.ambientC,
      airC: this.ambientC,
      mafGs: 0,
      throttlePct: 0,
      baroKPa: 0,
      runTimeS: 0,
      steeringDeg: 0,
      yawRateDps: 0,
      brakePedalPct: 0,
      acceleratorPedalPct: 0,
      tyresKPa: [...this.coldTyresKPa] as [number, number, number, number],
    };
    this.state.baroKPa = this.baroAt(this.state.altitudeM);
    this.emit(0);
  }

  private checkCoarseStep(scenario: Scenario): void {
    const pulse = scenario.events?.find((e) => e.kind === 'crash' || e.kind === 'pothole');
    if (pulse) {
      throw new RangeError(`a ${pulse.kind} needs the 10-ms step (stepMs ${this.stepMs})`);
    }
    for (const [name, ms] of Object.entries(this.rates)) {
      if (ms % this.stepMs !== 0) {
        throw new RangeError(`rates.${name} ${ms} ms is not a multiple of stepMs ${this.stepMs}`);
      }
    }
  }

  /** Runs the model up to `toMs` (from the scenario start); returns what it produced since the last call. */
  advance(toMs: number): DriveOutput {
    while (this.state.timeMs + this.stepMs <= toMs) {
      this.step();
      this.emit(this.state.timeMs);
    }
    const out = this.pending;
    this.pending = { samples: [], events: [] };
    return out;
  }

  /** Rolling terrain: two slow undulations along the route. */
  private altitudeAt(distanceM: number): number {
    return (
      this.baseAltitudeM +
      15 * Math.sin(distanceM / 1500) +
      6 * Math.sin(distanceM / 430 + this.terrainPhase)
    );
  }

  /** The barometric formula, with the day's weather. */
  private baroAt(altitudeM: number): number {
    return 101.325 * Math.exp(-altitudeM / 8434) + this.weatherKPa;
  }

  private planPulses(e: ScenarioEvent): void {
    if (e.kind === 'crash') {
      // The Δv of the front impact needs the speed at the time: worked out when it starts.
      const durationMs =
        e.durationMs ?? (e.direction === 'front' ? 120 : e.direction === 'rear' ? 100 : 90);
      this.pulses.push({
        startMs: e.atMs,
        durationMs,
        x: 0,
        y: 0,
        z: 0,
        zFull: false,
        moves: true,
      });
    } else if (e.kind === 'pothole') {
      const durationMs = e.durationMs ?? 40;
      const peak = (e.peakG ?? 4) * G;
      this.pulses.push({
        startMs: e.atMs,
        durationMs,
        x: -0.4 * peak,
        y: 0,
        z: peak,
        zFull: true,
        moves: false,
      });
    }
  }

  private crashPulse(e: Extract<ScenarioEvent, { kind: 'crash' }>, pulse: Pulse): void {
    const dir: CrashDirection = e.direction;
    const dvKmh =
      e.deltaVKmh ??
      (dir === 'front' ? clamp(this.state.speedMs * 3.6 * 1.1, 12, 64) : dir === 'rear' ? 16 : 18);
    // Half sine: Δv = peak · 2T/π.
    const peak = ((dvKmh / 3.6) * Math.PI) / (2 * (pulse.durationMs / 1000));
    if (dir === 'front') pulse.x = -peak;
    else if (dir === 'rear') pulse.x = peak;
    // An impact on the left pushes the vehicle right (y points left).
    else pulse.y = dir === 'left' ? -peak : peak;
    pulse.z = (this.noise() - 0.5) * 0.3 * peak;
    this.crashEndsMs = e.atMs + pulse.durationMs;
  }

  private shocks(t: number): { x: number; y: number; z: number; moving: number } {
    let x = 0;
    let y = 0;
    let z = 0;
    let moving = 0;
    for (const p of this.pulses) {
      const u = (t - p.startMs) / p.durationMs;
      if (u < 0 || u > 1) continue;
      const s = Math.sin(Math.PI * u);
      x += p.x * s;
      y += p.y * s;
      z += p.zFull ? -p.z * Math.sin(2 * Math.PI * u) : p.z * s;
      if (p.moves) moving += p.x * s;
    }
    return { x, y, z, moving };
  }

  private inWindow(windows: [number, number][], t: number): boolean {
    return windows.some(([a, b]) => t >= a && t <= b);
  }

  private step(): void {
    const s = this.state;
    const t = s.timeMs + this.stepMs;
    s.timeMs = t;
    const r = this.driveRandom;
    const n = () => this.noise() + this.noise() - 1; // triangular, [-1, 1]

    // Events that start now.
    for (const e of this.events) {
      if (e.atMs > t - this.stepMs && e.atMs <= t && e.kind === 'crash') {
        const pulse = this.pulses.find((p) => p.startMs === e.atMs && p.moves);
        if (pulse) this.crashPulse(e, pulse);
      }
      if (e.kind === 'pothole' && e.atMs > t - this.stepMs && e.atMs <= t && s.speedMs > 0.5) {
        // The rear axle meets the hole a wheelbase later, a little softer.
        const first = this.pulses.find((p) => p.startMs === e.atMs && !p.moves);
        if (first) {
          this.pulses.push({
            ...first,
            startMs: e.atMs + Math.round((WHEELBASE_M / s.speedMs) * 1000),
            x: first.x * 0.6,
            z: first.z * 0.6,
          });
        }
      }
    }
    if (!s.crashed && t >= this.crashEndsMs) s.crashed = true;

    // Engine.
    if (s.engine === 'off' && t >= this.engineStartMs && !s.crashed) s.engine = 'cranking';
    if (s.engine === 'cranking' && t >= this.engineStartMs + 700) {
      s.engine = 'running';
      this.runningSinceMs = t;
      this.nextDtcPollMs = t + 1000;
    }

    // Driver: the speed wanted now.
    const p = this.profile;
    const keepMoving = this.inWindow(this.keepMoving, t);
    this.phaseLeftS -= this.dt;
    if (s.crashed || s.engine !== 'running') {
      this.targetMs = 0;
    } else if (this.phaseLeftS <= 0 || (keepMoving && this.mode === 'stop')) {
      if (this.mode === 'cruise' && p.stopS && !keepMoving) {
        this.mode = 'stop';
        this.targetMs = 0;
        this.phaseLeftS = p.stopS[0] + r() * (p.stopS[1] - p.stopS[0]);
      } else {
        this.mode = 'cruise';
        this.targetMs = (p.cruiseKmh[0] + r() * (p.cruiseKmh[1] - p.cruiseKmh[0])) / 3.6;
        this.phaseLeftS = p.cruiseS[0] + r() * (p.cruiseS[1] - p.cruiseS[0]);
      }
    }
    let target = this.targetMs;
    // Slow down for corners ahead.
    const pos = positionAt(this.path, s.distanceM);
    const cap =
      pos.turnDeg >= 120
        ? 15 / 3.6
        : pos.turnDeg >= 45
          ? 20 / 3.6
          : pos.turnDeg >= 20
            ? 35 / 3.6
            : Infinity;
    if (s.speedMs > cap && pos.toTurnM < (s.speedMs ** 2 - cap ** 2) / (2 * p.brake * 0.7) + 15) {
      target = Math.min(target, cap);
    }
    let wanted = clamp((target - s.speedMs) / 2, -p.brake, p.accel);
    let jerk = 3;
    const braking = this.brakings.find((b) => t >= b.from && t < b.to);
    if (braking && s.speedMs > 0) {
      wanted = -braking.g * G;
      jerk = 25;
    }
    if (s.crashed) {
      wanted = s.speedMs > 0 ? -4 : 0;
      jerk = 25;
    }
    this.jerkAccel += clamp(wanted - this.jerkAccel, -jerk * this.dt, jerk * this.dt);
    let driveV = s.speedMs + this.jerkAccel * this.dt;
    if (driveV <= 0) {
      driveV = 0;
      if (this.jerkAccel < 0) this.jerkAccel = 0;
    }
    const driveAccel = (driveV - s.speedMs) / this.dt;
    const shock = this.shocks(t);
    const v = Math.max(0, driveV + shock.moving * this.dt);
    s.driveAccel = driveAccel;

    // Along the route.
    const stepM = ((s.speedMs + v) / 2) * this.dt;
    s.speedMs = v;
    s.distanceM += stepM;
    s.odometerKm += stepM / 1000;
    const at = positionAt(this.path, s.distanceM);
    s.latitude = at.latitude;
    s.longitude = at.longitude;
    s.headingDeg = at.headingDeg;
    const lag = wrap180(at.headingDeg - this.filteredHeading);
    this.filteredHeading = (this.filteredHeading + (lag * this.dt) / YAW_TAU_S + 360) % 360;
    const yawRate = ((lag / YAW_TAU_S) * Math.PI) / 180; // rad/s, clockwise
    const lateral = -v * yawRate;

    // Accelerometer: driving, shocks, road noise.
    const road = Math.min(1, v / 15);
    s.ax = driveAccel + shock.x + n() * 0.08;
    s.ay = lateral + shock.y + n() * 0.06;
    s.az = shock.z + n() * 0.5 * road;

    // Powertrain.
    const powerW = Math.max(
      0,
      MASS_KG * v * driveAccel + MASS_KG * G * 0.012 * v + 0.5 * 1.2 * 0.7 * v ** 3,
    );
    if (s.engine === 'running') {
      if (v < 0.3) s.gear = 0;
      else {
        if (s.gear === 0) s.gear = 1;
        const rpmIn = (g: number) =>
          (v / TYRE_CIRCUMFERENCE_M) * 60 * (GEAR_RATIOS[g - 1] as number) * FINAL_DRIVE;
        if (rpmIn(s.gear) > 2600 && s.gear < GEAR_RATIOS.length) s.gear++;
        else if (rpmIn(s.gear) < 1250 && s.gear > 1) s.gear--;
      }
      const flare = 450 * Math.exp(-(t - this.runningSinceMs) / 800);
      const wheelRpm =
        s.gear === 0
          ? 0
          : (v / TYRE_CIRCUMFERENCE_M) * 60 * (GEAR_RATIOS[s.gear - 1] as number) * FINAL_DRIVE;
      s.engineRpm = Math.max(IDLE_RPM + flare + n() * 8, wheelRpm);
      const fuelLps = 0.9 / 3600 + powerW / (0.22 * 34.2e6);
      s.fuelPct = Math.max(0, s.fuelPct - ((fuelLps * this.dt) / TANK_L) * 100);
      s.consumptionL100 = v < 0.5 ? 0 : Math.min(50, ((fuelLps * 3600) / (v * 3.6)) * 100);
      s.loadPct = clamp(18 + (powerW / 90_000) * 100, 0, 100);
    } else {
      s.gear = 0;
      s.engineRpm = s.engine === 'cranking' ? 200 + n() * 30 : 0;
      s.consumptionL100 = 0;
      s.loadPct = 0;
    }

    // Cooling: warm-up, thermostat at ~90 °C, or a failed fan.
    const load = s.loadPct / 100;
    const fanFailed = this.inWindow(this.fanWindows, t);
    if (s.engine !== 'running') {
      s.coolantC += ((this.ambientC - s.coolantC) * this.dt) / 1800;
    } else if (fanFailed) {
      const hot = 120 + 10 * load - 18 * Math.min(1, (v * 3.6) / 90);
      s.coolantC += ((hot - s.coolantC) * this.dt) / 90;
    } else if (s.coolantC < 88) {
      s.coolantC += (0.15 + 0.3 * load) * this.dt;
    } else {
      s.coolantC += ((90 + 4 * load - s.coolantC) * this.dt) / 30;
    }

    // 12 V battery: resting, cranking dip, alternator.
    if (s.engine === 'cranking') {
      const u = (t - this.engineStartMs) / 700;
      const shape = Math.min(1, u * 18) * (0.85 + 0.15 * Math.sin(u * 6 * Math.PI));
      s.batteryV = this.restingV - this.crankDipV * shape + n() * 0.02;
    } else if (s.engine === 'running') {
      const charging =
        14.2 - (14.2 - (this.restingV - 0.3)) * Math.exp(-(t - this.runningSinceMs) / 1500);
      s.batteryV = charging + n() * 0.03;
    } else {
      s.batteryV = this.restingV - (s.crashed ? 0.1 : 0) + n() * 0.005;
    }

    // Engine management: air flow follows fuel flow; oil lags the coolant.
    const running = s.engine === 'running';
    const demand = powerW / MAX_POWER_W;
    const fuelFlowLps = running ? 0.9 / 3600 + powerW / (0.22 * 34.2e6) : 0;
    s.mafGs = fuelFlowLps * FUEL_DENSITY * 1000 * AIR_FUEL_RATIO;
    s.throttlePct = running ? clamp(3.5 + demand * 100, 0, 100) : 0;
    s.runTimeS = running ? (t - this.runningSinceMs) / 1000 : 0;
    const oilTarget = running ? s.coolantC + 5 * load : this.ambientC;
    s.oilC += ((oilTarget - s.oilC) * this.dt) / (running ? 180 : 2400);
    // Under-bonnet heat soaks the intake air when the car is slow.
    const intakeTarget = this.ambientC + (running ? 4 + 14 * (1 - Math.min(1, v / 15)) : 0);
    s.intakeC += ((intakeTarget - s.intakeC) * this.dt) / 40;
    s.airC = this.ambientC;

    // Pedals: the accelerator while driving on, the brake when slowing beyond engine braking
    // and to hold the car at a stop.
    s.acceleratorPedalPct =
      running && !s.crashed && driveAccel > -0.05 && (v > 0.3 || this.targetMs > 0)
        ? clamp(demand * 105, 0, 100)
        : 0;
    s.brakePedalPct =
      !running || s.crashed
        ? 0
        : v < 0.3
          ? this.targetMs > 0
            ? 0
            : 25
          : driveAccel < -0.4
            ? clamp(5 + (-driveAccel / (0.9 * G)) * 100, 0, 100)
            : 0;

    // Steering from the yaw rate (single-track model): road-wheel angle atan(L·ψ'/v).
    s.yawRateDps = -(yawRate * 180) / Math.PI;
    const wheelRad = v > 1 ? Math.atan((WHEELBASE_M * -yawRate) / v) : 0;
    s.steeringDeg = clamp(((wheelRad * 180) / Math.PI) * STEERING_RATIO, -540, 540) + n() * 0.3;

    // Position quality, terrain and air pressure.
    s.gnssFix = !this.inWindow(this.gnssOutages, t);
    s.altitudeM = this.altitudeAt(s.distanceM);
    s.baroKPa = this.baroAt(s.altitudeM);
    s.horizontalAccuracyM = 1.2 + 0.9 * this.noise();

    // Tyres warm up over a quarter of an hour of driving, and cool more slowly.
    const warmTarget = Math.min(1, v / 25);
    this.tyreWarmth +=
      ((warmTarget - this.tyreWarmth) * this.dt) / (warmTarget > this.tyreWarmth ? 900 : 1800);
    for (let i = 0; i < 4; i++) {
      s.tyresKPa[i] = (this.coldTyresKPa[i] as number) * (1 + 0.07 * this.tyreWarmth);
    }
  }

  private readDtcs(t: number): string[] {
    const codes = this.events
      .filter(
        (e): e is Extract<ScenarioEvent, { kind: 'dtc' }> =>
          e.kind === 'dtc' && t >= e.atMs && t < (e.clearAtMs ?? Number.POSITIVE_INFINITY),
      )
      .map((e) => e.code);
    return [...new Set(codes)].sort();
  }

  private emit(t: number): void {
    if (this.options.samples !== false) this.emitSamples(t);
    this.pollDtcs(t);
  }

  private emitSamples(t: number): void {
    const s = this.state;
    const out = this.pending.samples;
    const rt = this.rates;
    const timeMs = this.startMs + t;
    const only = this.onlySignals;
    const put = (id: number, value: number) => {
      if (only && !only.has(id)) return;
      const scale = scales.get(id);
      const q = scale === undefined ? value : Math.round(value * scale) / scale;
      out.push({ signalId: id, timeMs, value: q + 0 });
    };
    const cranking = t >= this.engineStartMs - 2000 && t <= this.engineStartMs + 4000;
    const dynamics = t % rt.speedMs === 0;
    const everySecond = t % rt.defaultMs === 0;
    // Most 10-ms steps send acceleration at most: the full set of values only when needed.
    const values = dynamics || everySecond ? modelValues(s) : undefined;
    if (values && dynamics) {
      for (const key of dynamicsSignals) put(modelSignals[key], values[key]);
    }
    if (everySecond || (cranking && t % rt.crankingMs === 0)) {
      put(modelSignals.rpm, s.engineRpm);
      put(modelSignals.battery, s.batteryV);
    }
    if (values && everySecond) {
      for (const key of secondSignals) {
        if (!s.gnssFix && (positionSignals as readonly string[]).includes(key)) continue;
        put(modelSignals[key], values[key]);
      }
    }
    this.emitAcceleration(t, put);
  }

  private emitAcceleration(t: number, put: (id: number, value: number) => void): void {
    const s = this.state;
    const rt = this.rates;
    const fullRate =
      this.scenario.fullRateAcceleration === true || this.inWindow(this.eventWindows, t);
    if (t % (fullRate ? rt.accelerationEventMs : rt.accelerationMs) === 0) {
      put(modelSignals.ax, s.ax);
      put(modelSignals.ay, s.ay);
      put(modelSignals.az, s.az);
    }
  }

  /** The agent reads trouble codes at start and then periodically, and reports changes. */
  private pollDtcs(t: number): void {
    const s = this.state;
    if (s.engine === 'running' && t >= this.nextDtcPollMs) {
      const timeMs = this.startMs + t;
      this.nextDtcPollMs = t + (this.scenario.dtcPollMs ?? 60_000);
      s.activeDtcs = this.readDtcs(t);
      const key = s.activeDtcs.join(',');
      if (key !== this.reportedDtcs) {
        this.reportedDtcs = key;
        this.pending.events.push({
          deviceId: this.deviceId,
          seq: this.seq++,
          timeMs,
          payload: { kind: 'troubleCodes', codes: [...s.activeDtcs] },
        });
      }
    }
  }
}

/** Runs a scenario from its start for `durationMs`: every sample (in time order) and edge event. */
export function simulate(scenario: Scenario, durationMs: number): DriveOutput {
  return new DriveModel(scenario).advance(durationMs);
}

/** Samples grouped by signal name. */
export function samplesBySignal(samples: readonly Sample[]): Map<SignalName, Sample[]> {
  const by = new Map<SignalName, Sample[]>();
  for (const x of samples) {
    const name = signalById(x.signalId)?.name as SignalName | undefined;
    if (!name) continue;
    const list = by.get(name) ?? [];
    if (list.length === 0) by.set(name, list);
    list.push(x);
  }
  return by;
}
