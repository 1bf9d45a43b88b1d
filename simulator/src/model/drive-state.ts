import type { Sample, VehicleEvent } from '@fleetline/proto';

/** The engine: off, turned by the starter, or running. */
export type EngineState = 'off' | 'cranking' | 'running';

/** The model's state after a step (plain values, SI units unless named). */
export interface DriveState {
  timeMs: number;
  engine: EngineState;
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
