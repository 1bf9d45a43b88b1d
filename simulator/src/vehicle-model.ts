import { type Sample, type SignalName, signalId } from '@fleetline/proto';
import { seededRandom } from './random.js';

/**
 * A simple driving model: the vehicle alternates between stops and drives towards a target
 * speed drawn from a city/highway mix, with gear, engine speed, coolant warm-up, fuel use,
 * odometer, battery and position following from the speed. Deterministic for a seed.
 */

const G = 9.80665;
const EARTH_RADIUS_M = 6_371_000;

export interface VehicleState {
  speedKmh: number;
  targetKmh: number;
  /** Seconds left in the current phase (stop or drive). */
  phaseLeftS: number;
  gear: number;
  engineRpm: number;
  coolantC: number;
  fuelPct: number;
  odometerKm: number;
  batteryV: number;
  latitude: number;
  longitude: number;
  headingDeg: number;
  accelLongMs2: number;
  accelLatMs2: number;
}

export interface VehicleModelOptions {
  seed: number;
  latitude?: number;
  longitude?: number;
  odometerKm?: number;
}

const ids = {
  speed: signalId('Vehicle.Speed'),
  rpm: signalId('Vehicle.Powertrain.CombustionEngine.Speed'),
  coolant: signalId('Vehicle.Powertrain.CombustionEngine.ECT'),
  fuel: signalId('Vehicle.Powertrain.FuelSystem.RelativeLevel'),
  odometer: signalId('Vehicle.TraveledDistance'),
  battery: signalId('Vehicle.LowVoltageBattery.CurrentVoltage'),
  lat: signalId('Vehicle.CurrentLocation.Latitude'),
  lon: signalId('Vehicle.CurrentLocation.Longitude'),
  heading: signalId('Vehicle.CurrentLocation.Heading'),
  gear: signalId('Vehicle.Powertrain.Transmission.CurrentGear'),
  ax: signalId('Vehicle.Acceleration.Longitudinal'),
  ay: signalId('Vehicle.Acceleration.Lateral'),
  az: signalId('Vehicle.Acceleration.Vertical'),
} satisfies Record<string, number>;

export class VehicleModel {
  readonly state: VehicleState;
  private readonly random: () => number;

  constructor(options: VehicleModelOptions) {
    this.random = seededRandom(options.seed);
    const r = this.random;
    this.state = {
      speedKmh: 0,
      targetKmh: 0,
      phaseLeftS: 2 + r() * 5,
      gear: 0,
      engineRpm: 780,
      coolantC: 15 + r() * 10,
      fuelPct: 40 + r() * 55,
      odometerKm: options.odometerKm ?? Math.round(5_000 + r() * 80_000),
      batteryV: 14.1,
      latitude: options.latitude ?? 31.2 + r() * 0.1,
      longitude: options.longitude ?? 121.4 + r() * 0.1,
      headingDeg: r() * 360,
      accelLongMs2: 0,
      accelLatMs2: 0,
    };
  }

  /** Advances the model by dtS seconds. */
  step(dtS: number): void {
    const s = this.state;
    const r = this.random;
    s.phaseLeftS -= dtS;
    if (s.phaseLeftS <= 0) {
      const stopping = s.targetKmh > 0;
      s.targetKmh = stopping ? 0 : r() < 0.3 ? 80 + r() * 40 : 25 + r() * 35;
      s.phaseLeftS = stopping ? 5 + r() * 20 : 30 + r() * 90;
    }
    // Accelerate up to ~2.5 m/s², brake up to ~3.5 m/s², towards the target.
    const dv = s.targetKmh - s.speedKmh;
    const maxStep = (dv > 0 ? 2.5 : 3.5) * 3.6 * dtS;
    const change = Math.max(-maxStep, Math.min(maxStep, dv));
    const before = s.speedKmh;
    s.speedKmh = Math.max(0, before + change + (s.targetKmh > 0 ? (r() - 0.5) * 0.6 : 0));
    s.accelLongMs2 = (s.speedKmh - before) / 3.6 / dtS;
    // Gentle bends: heading wanders, lateral acceleration follows v²·κ.
    const turnRate = (r() - 0.5) * 6; // deg/s
    s.headingDeg = (s.headingDeg + turnRate * dtS + 360) % 360;
    const v = s.speedKmh / 3.6;
    s.accelLatMs2 = v * ((turnRate * Math.PI) / 180);
    const distanceM = v * dtS;
    s.odometerKm += distanceM / 1000;
    const h = (s.headingDeg * Math.PI) / 180;
    s.latitude += ((distanceM * Math.cos(h)) / EARTH_RADIUS_M) * (180 / Math.PI);
    s.longitude +=
      ((distanceM * Math.sin(h)) / (EARTH_RADIUS_M * Math.cos((s.latitude * Math.PI) / 180))) *
      (180 / Math.PI);
    s.gear = s.speedKmh < 1 ? 0 : Math.min(6, 1 + Math.floor(s.speedKmh / 22));
    s.engineRpm =
      s.gear === 0
        ? 780 + r() * 20
        : Math.min(6000, 1100 + ((s.speedKmh % 22) / 22) * 1800 + s.gear * 50);
    s.coolantC += (90 - s.coolantC) * Math.min(1, dtS / 240);
    s.fuelPct = Math.max(0, s.fuelPct - (distanceM / 1000) * 0.012 - dtS * 0.00005);
    s.batteryV = 13.9 + r() * 0.4;
  }

  /** The current value of every signal the model drives, stamped with timeMs. */
  samples(timeMs: number): Sample[] {
    const s = this.state;
    const at = (signal: number, value: number): Sample => ({ signalId: signal, timeMs, value });
    return [
      at(ids.speed, s.speedKmh),
      at(ids.rpm, s.engineRpm),
      at(ids.coolant, s.coolantC),
      at(ids.fuel, s.fuelPct),
      at(ids.odometer, s.odometerKm),
      at(ids.battery, s.batteryV),
      at(ids.lat, s.latitude),
      at(ids.lon, s.longitude),
      at(ids.heading, s.headingDeg),
      at(ids.gear, s.gear),
      at(ids.ax, s.accelLongMs2),
      at(ids.ay, s.accelLatMs2),
      at(ids.az, (this.random() - 0.5) * 0.2 * G * 0.1),
    ];
  }
}

export type { SignalName };
