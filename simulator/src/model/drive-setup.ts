import { seededRandom } from '@fleetline/proto';
import { type BatteryCondition, batteryCondition } from './battery.js';
import type { DriveState } from './drive-state.js';
import type { RoutePosition } from './route.js';
import type { Scenario } from './scenario.js';
import { altitudeAt, baroAt, drawTerrain, type Terrain } from './terrain.js';
import { drawColdTyres } from './tyres.js';

/**
 * What a scenario's seed makes of the vehicle before it moves: its random streams, the
 * weather, odometer, fuel, battery, where on the route it starts, the terrain and its tyres.
 * The draws come in a fixed order (new ones only ever at the end), so a seed always gives the
 * same vehicle and adding a signal leaves the older ones as they were.
 */

export interface DriveSetup {
  /** The driver's decisions. */
  driveRandom: () => number;
  /** Sensor noise and the small random parts of events. */
  noise: () => number;
  ambientC: number;
  odometerKm: number;
  /** The last service's odometer reading (a multiple of the service interval). */
  lastServiceKm: number;
  fuelPct: number;
  battery: BatteryCondition;
  startDistanceM: number;
  terrain: Terrain;
  coldTyresKPa: number[];
  /** How long the first stop lasts: until a few seconds after the engine starts. */
  firstStopS: number;
}

export function setUpDrive(
  scenario: Scenario,
  routeLengthM: number,
  engineStartMs: number,
): DriveSetup {
  // Separate streams, so injecting an event does not change the rest of the drive.
  const setup = seededRandom(scenario.seed);
  const driveRandom = seededRandom(Math.floor(setup() * 2 ** 32));
  const noise = seededRandom(Math.floor(setup() * 2 ** 32));
  const ambientC = scenario.ambientC ?? 10 + setup() * 15;
  const interval = scenario.serviceIntervalKm ?? 10_000;
  let odometerKm = scenario.odometerKm ?? 5_000 + setup() * 80_000;
  if (scenario.serviceDueInKm !== undefined) {
    odometerKm = Math.ceil(odometerKm / interval) * interval - scenario.serviceDueInKm;
  }
  const lastServiceKm = Math.floor(odometerKm / interval) * interval;
  const fuelPct = scenario.fuelPct ?? 40 + setup() * 55;
  const battery = batteryCondition(scenario.battery === 'weak', setup());
  const startDistanceM = setup() * routeLengthM;
  // Drawn after everything else, so these signals leave the older ones' draws unchanged.
  const more = seededRandom(Math.floor(setup() * 2 ** 32));
  const terrain = drawTerrain(more);
  const coldTyresKPa = drawColdTyres(more);
  const firstStopS = engineStartMs / 1000 + 3 + setup() * 3;
  return {
    driveRandom,
    noise,
    ambientC,
    odometerKm,
    lastServiceKm,
    fuelPct,
    battery,
    startDistanceM,
    terrain,
    coldTyresKPa,
    firstStopS,
  };
}

/** The state before the first step: parked at the start position, engine off. */
export function initialState(
  scenario: Scenario,
  d: DriveSetup,
  at: RoutePosition,
  gnssFix: boolean,
): DriveState {
  const altitudeM = altitudeAt(d.terrain, d.startDistanceM);
  return {
    timeMs: 0,
    engine: 'off',
    speedMs: 0,
    driveAccel: 0,
    distanceM: d.startDistanceM,
    latitude: at.latitude,
    longitude: at.longitude,
    headingDeg: at.headingDeg,
    gear: 0,
    engineRpm: 0,
    coolantC: scenario.coolantC ?? d.ambientC,
    fuelPct: d.fuelPct,
    consumptionL100: 0,
    loadPct: 0,
    odometerKm: d.odometerKm,
    batteryV: d.battery.restingV,
    ax: 0,
    ay: 0,
    az: 0,
    crashed: false,
    activeDtcs: [],
    altitudeM,
    horizontalAccuracyM: 1.5,
    gnssFix,
    oilC: scenario.coolantC ?? d.ambientC,
    intakeC: d.ambientC,
    airC: d.ambientC,
    mafGs: 0,
    throttlePct: 0,
    baroKPa: baroAt(d.terrain, altitudeM),
    runTimeS: 0,
    steeringDeg: 0,
    yawRateDps: 0,
    brakePedalPct: 0,
    acceleratorPedalPct: 0,
    tyresKPa: [...d.coldTyresKPa] as [number, number, number, number],
  };
}
