import { type Sample, type SignalName, signalById, signalId } from '@fleetline/proto';
import { batteryVoltage } from './battery.js';
import { headingFilter, steeringWheelDeg, yawRateDps } from './chassis.js';
import { type ThermalConditions, temperaturesAfter } from './cooling.js';
import { initialState, setUpDrive } from './drive-setup.js';
import type { DriveOutput, DriveState } from './drive-state.js';
import {
  aimedSpeed,
  type DrivePhase,
  followWanted,
  nextPhase,
  type ProfileSpec,
  pedals,
  profiles,
  wantedAcceleration,
} from './driver.js';
import {
  activeTroubleCodes,
  brakingAt,
  type EventPlan,
  inWindow,
  planEvents,
} from './event-plan.js';
import {
  engineAt,
  engineManagement,
  powerDemand,
  powertrainAfter,
  roadPowerW,
} from './powertrain.js';
import { crashImpact, rearAxlePulse, shockAt } from './pulses.js';
import { cityLoop, highwayLeg, positionAt, type RoutePath, routePath } from './route.js';
import { collectSamples, type SamplingPlan } from './sampling.js';
import {
  defaultSampleRates,
  type SampleRates,
  type Scenario,
  type ScenarioEvent,
} from './scenario.js';
import { altitudeAt, baroAt, type Terrain } from './terrain.js';
import { tyrePressure, tyreWarmthAfter } from './tyres.js';

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
 *
 * This class holds the state and the order of a step; each part of the vehicle is a pure
 * function in a module of its own (driver, powertrain, cooling, battery, pulses, chassis,
 * terrain, tyres), and what is sent when is in sampling.ts.
 */
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
  private readonly plan: EventPlan;
  private readonly sampling: SamplingPlan;
  private readonly engineStartMs: number;
  private readonly ambientC: number;
  private readonly battery: { restingV: number; crankDipV: number };
  private readonly terrain: Terrain;
  private readonly coldTyresKPa: readonly number[];
  /** 0 cold … 1 tyres at running temperature. */
  private tyreWarmth = 0;
  private phase: DrivePhase;
  private jerkAccel = 0;
  private filteredHeading: number;
  private runningSinceMs = 0;
  private nextDtcPollMs = Number.POSITIVE_INFINITY;
  private reportedDtcs: string | undefined;
  private seq = 1;
  private crashEndsMs = Number.POSITIVE_INFINITY;
  private pending: DriveOutput = { samples: [], events: [] };
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
    this.startMs = scenario.startMs ?? Date.UTC(2026, 0, 1, 8);
    this.deviceId = scenario.deviceId ?? 'sim-0001';
    this.events = [...(scenario.events ?? [])].sort((a, b) => a.atMs - b.atMs);
    this.engineStartMs = scenario.engineStartMs ?? 2000;
    this.sampling = {
      rates: this.rates,
      startMs: this.startMs,
      engineStartMs: this.engineStartMs,
      only: scenario.signals && new Set(scenario.signals.map((n) => signalId(n))),
    };
    const setup = setUpDrive(scenario, this.path.lengthM, this.engineStartMs);
    this.driveRandom = setup.driveRandom;
    this.noise = setup.noise;
    this.ambientC = setup.ambientC;
    this.lastServiceKm = setup.lastServiceKm;
    this.battery = setup.battery;
    this.terrain = setup.terrain;
    this.coldTyresKPa = setup.coldTyresKPa;
    const pos = positionAt(this.path, setup.startDistanceM);
    this.filteredHeading = pos.headingDeg;
    this.phase = { mode: 'stop', targetMs: 0, phaseLeftS: setup.firstStopS };
    this.plan = planEvents(this.events);
    this.state = initialState(scenario, setup, pos, !inWindow(this.plan.gnssOutages, 0));
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

  /**
   * One step: events that start now, the engine, the driver and the car's motion, then each
   * part of the vehicle in turn. The noise stream is drawn in a fixed order (accelerometer,
   * engine speed, battery, steering, GPS accuracy), which keeps a seed's drive the same.
   */
  private step(): void {
    const s = this.state;
    const t = s.timeMs + this.stepMs;
    s.timeMs = t;
    const n = () => this.noise() + this.noise() - 1; // triangular, [-1, 1]

    this.startEvents(t);
    if (!s.crashed && t >= this.crashEndsMs) s.crashed = true;
    const engine = engineAt(s.engine, t, this.engineStartMs, s.crashed);
    if (engine === 'running' && s.engine !== 'running') {
      this.runningSinceMs = t;
      this.nextDtcPollMs = t + 1000;
    }
    s.engine = engine;

    const { driveV, driveAccel } = this.driverStep(t);
    const shock = shockAt(this.plan.pulses, t);
    const v = Math.max(0, driveV + shock.moving * this.dt);
    s.driveAccel = driveAccel;
    const yawRate = this.moveAlongRoute(v);

    // Accelerometer: driving, shocks, road noise.
    const road = Math.min(1, v / 15);
    s.ax = driveAccel + shock.x + n() * 0.08;
    s.ay = -v * yawRate + shock.y + n() * 0.06;
    s.az = shock.z + n() * 0.5 * road;

    const running = s.engine === 'running';
    const runningForMs = t - this.runningSinceMs;
    const powerW = roadPowerW(v, driveAccel);
    const at = { engine: s.engine, v, powerW, runningForMs, dt: this.dt };
    Object.assign(s, powertrainAfter(s, at, n));
    const thermal: ThermalConditions = {
      running,
      fanFailed: inWindow(this.plan.fanWindows, t),
      load: s.loadPct / 100,
      v,
      ambientC: this.ambientC,
      dt: this.dt,
    };
    Object.assign(s, temperaturesAfter(s, thermal));
    const crankingForMs = t - this.engineStartMs;
    const battery = { engine: s.engine, crankingForMs, runningForMs, crashed: s.crashed };
    s.batteryV = batteryVoltage(this.battery, battery, n());
    Object.assign(s, engineManagement(running, powerW, runningForMs));
    s.airC = this.ambientC;
    const demand = powerDemand(powerW);
    const targetMs = this.phase.targetMs;
    Object.assign(
      s,
      pedals({ running, crashed: s.crashed, speedMs: v, driveAccel, targetMs, demand }),
    );
    s.yawRateDps = yawRateDps(yawRate);
    s.steeringDeg = steeringWheelDeg(yawRate, v, n());

    // Position quality, terrain and air pressure.
    s.gnssFix = !inWindow(this.plan.gnssOutages, t);
    s.altitudeM = altitudeAt(this.terrain, s.distanceM);
    s.baroKPa = baroAt(this.terrain, s.altitudeM);
    s.horizontalAccuracyM = 1.2 + 0.9 * this.noise();

    this.tyreWarmth = tyreWarmthAfter(this.tyreWarmth, v, this.dt);
    for (let i = 0; i < 4; i++) {
      s.tyresKPa[i] = tyrePressure(this.coldTyresKPa[i] as number, this.tyreWarmth);
    }
  }

  /** Sizes the crash pulses that start in this step and adds potholes' rear-axle pulses. */
  private startEvents(t: number): void {
    const s = this.state;
    const pulses = this.plan.pulses;
    for (const e of this.events) {
      if (!(e.atMs > t - this.stepMs && e.atMs <= t)) continue;
      if (e.kind === 'crash') {
        const pulse = pulses.find((p) => p.startMs === e.atMs && p.moves);
        if (pulse) {
          Object.assign(pulse, crashImpact(e, pulse.durationMs, s.speedMs, this.noise()));
          this.crashEndsMs = e.atMs + pulse.durationMs;
        }
      }
      if (e.kind === 'pothole' && s.speedMs > 0.5) {
        const front = pulses.find((p) => p.startMs === e.atMs && !p.moves);
        if (front) pulses.push(rearAxlePulse(front, s.speedMs));
      }
    }
  }

  /** The driver's phase, the speed aimed at and the car's jerk-limited response to it. */
  private driverStep(t: number): { driveV: number; driveAccel: number } {
    const s = this.state;
    const p = this.profile;
    const can = {
      drive: !s.crashed && s.engine === 'running',
      keepMoving: inWindow(this.plan.keepMoving, t),
    };
    this.phase = nextPhase(this.phase, p, this.dt, can, this.driveRandom);
    // Slow down for corners ahead.
    const aimed = aimedSpeed(this.phase.targetMs, s.speedMs, positionAt(this.path, s.distanceM), p);
    const wanted = wantedAcceleration(aimed, s.speedMs, p, brakingAt(this.plan, t), s.crashed);
    const response = followWanted(this.jerkAccel, wanted, s.speedMs, this.dt);
    this.jerkAccel = response.jerkAccel;
    return response;
  }

  /** Moves the vehicle along its route at the step's mean speed; returns the yaw rate (rad/s, clockwise). */
  private moveAlongRoute(v: number): number {
    const s = this.state;
    const stepM = ((s.speedMs + v) / 2) * this.dt;
    s.speedMs = v;
    s.distanceM += stepM;
    s.odometerKm += stepM / 1000;
    const at = positionAt(this.path, s.distanceM);
    s.latitude = at.latitude;
    s.longitude = at.longitude;
    s.headingDeg = at.headingDeg;
    const turn = headingFilter(this.filteredHeading, at.headingDeg, this.dt);
    this.filteredHeading = turn.filteredHeading;
    return turn.yawRate;
  }

  private emit(t: number): void {
    if (this.options.samples !== false) {
      const fullRate =
        this.scenario.fullRateAcceleration === true || inWindow(this.plan.eventWindows, t);
      collectSamples(this.pending.samples, t, this.state, this.sampling, fullRate);
    }
    this.pollDtcs(t);
  }

  /** The agent reads trouble codes at start and then periodically, and reports changes. */
  private pollDtcs(t: number): void {
    const s = this.state;
    if (s.engine === 'running' && t >= this.nextDtcPollMs) {
      const timeMs = this.startMs + t;
      this.nextDtcPollMs = t + (this.scenario.dtcPollMs ?? 60_000);
      s.activeDtcs = activeTroubleCodes(this.events, t);
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
