import { type SignalName, signalById, signalId } from '@fleetline/proto';
import type { DriveState } from './drive-state.js';

/** The catalogue signals the model produces, by the model's short name. */
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

export type ModelSignal = keyof typeof modelSignals;

/** The model's signals that a vehicle sends at the driving-dynamics rate (SampleRates.speedMs). */
export const dynamicsSignals = ['speed', 'steering', 'yaw', 'brake', 'accelerator'] as const;
/** Position signals: not sent while the GPS receiver has no fix. */
export const positionSignals = ['lat', 'lon', 'heading', 'altitude', 'accuracy'] as const;
/** Sent each SampleRates.defaultMs (engine speed and battery too, and faster when cranking). */
export const secondSignals = (Object.keys(modelSignals) as ModelSignal[]).filter(
  (k) =>
    !(dynamicsSignals as readonly string[]).includes(k) &&
    !['rpm', 'battery', 'ax', 'ay', 'az'].includes(k),
);

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
export const wireScales = new Map<number, number>(
  Object.values(modelSignals).flatMap((id) => {
    const d = signalById(id)?.decimals;
    return d === undefined ? [] : [[id, 10 ** d] as [number, number]];
  }),
);
