import { fileURLToPath } from 'node:url';
import { type DbcDatabase, loadDbcFile } from '@fleetline/edge';
import type { SignalName } from '@fleetline/proto';

/** Where one catalogue (VSS) signal of the vehicle model travels on the bus. */
export interface CanSignalMapping {
  /** The catalogue signal the model drives, e.g. `Vehicle.Speed`. */
  readonly signal: SignalName;
  /** The DBC message (BO_ name) that carries it. */
  readonly message: string;
  /** The DBC signal (SG_ name) within that message. */
  readonly dbcSignal: string;
}

/** The demo DBC shipped with the simulator (`simulator/dbc/fleetline-demo.dbc`). */
export const demoDbcPath = fileURLToPath(new URL('../../dbc/fleetline-demo.dbc', import.meta.url));

/** Loads the demo DBC with the edge package's parser. */
export function loadDemoDbc(): Promise<DbcDatabase> {
  return loadDbcFile(demoDbcPath);
}

/** Every catalogue signal on the demo DBC (the model drives them all). */
export const demoCanMapping: readonly CanSignalMapping[] = [
  { signal: 'Vehicle.Speed', message: 'VEHICLE_DYNAMICS', dbcSignal: 'SPEED' },
  {
    signal: 'Vehicle.Acceleration.Longitudinal',
    message: 'VEHICLE_DYNAMICS',
    dbcSignal: 'ACCEL_LONG',
  },
  { signal: 'Vehicle.Acceleration.Lateral', message: 'VEHICLE_DYNAMICS', dbcSignal: 'ACCEL_LAT' },
  { signal: 'Vehicle.Acceleration.Vertical', message: 'VEHICLE_DYNAMICS', dbcSignal: 'ACCEL_VERT' },
  {
    signal: 'Vehicle.Powertrain.CombustionEngine.Speed',
    message: 'ENGINE',
    dbcSignal: 'ENGINE_SPEED',
  },
  {
    signal: 'Vehicle.Powertrain.CombustionEngine.ECT',
    message: 'ENGINE',
    dbcSignal: 'COOLANT_TEMP',
  },
  {
    signal: 'Vehicle.Powertrain.FuelSystem.RelativeLevel',
    message: 'ENGINE',
    dbcSignal: 'FUEL_LEVEL',
  },
  { signal: 'Vehicle.Powertrain.Transmission.CurrentGear', message: 'ENGINE', dbcSignal: 'GEAR' },
  {
    signal: 'Vehicle.LowVoltageBattery.CurrentVoltage',
    message: 'BODY',
    dbcSignal: 'BATTERY_VOLTAGE',
  },
  { signal: 'Vehicle.TraveledDistance', message: 'BODY', dbcSignal: 'ODOMETER' },
  { signal: 'Vehicle.CurrentLocation.Latitude', message: 'GNSS_POSITION', dbcSignal: 'LATITUDE' },
  { signal: 'Vehicle.CurrentLocation.Longitude', message: 'GNSS_POSITION', dbcSignal: 'LONGITUDE' },
  { signal: 'Vehicle.OBD.EngineLoad', message: 'ENGINE_2', dbcSignal: 'ENGINE_LOAD' },
  { signal: 'Vehicle.OBD.ThrottlePosition', message: 'ENGINE_2', dbcSignal: 'THROTTLE_POS' },
  { signal: 'Vehicle.OBD.MAF', message: 'ENGINE_2', dbcSignal: 'MAF' },
  { signal: 'Vehicle.OBD.IntakeTemp', message: 'ENGINE_2', dbcSignal: 'INTAKE_TEMP' },
  { signal: 'Vehicle.Powertrain.CombustionEngine.EOT', message: 'ENGINE_2', dbcSignal: 'OIL_TEMP' },
  {
    signal: 'Vehicle.Powertrain.FuelSystem.InstantConsumption',
    message: 'ENGINE_2',
    dbcSignal: 'FUEL_CONSUMPTION',
  },
  {
    signal: 'Vehicle.Chassis.SteeringWheel.Angle',
    message: 'CHASSIS',
    dbcSignal: 'STEERING_ANGLE',
  },
  { signal: 'Vehicle.AngularVelocity.Yaw', message: 'CHASSIS', dbcSignal: 'YAW_RATE' },
  { signal: 'Vehicle.Chassis.Brake.PedalPosition', message: 'CHASSIS', dbcSignal: 'BRAKE_PEDAL' },
  {
    signal: 'Vehicle.Chassis.Accelerator.PedalPosition',
    message: 'CHASSIS',
    dbcSignal: 'ACCEL_PEDAL',
  },
  {
    signal: 'Vehicle.Chassis.Axle.Row1.Wheel.Left.Tire.Pressure',
    message: 'TPMS',
    dbcSignal: 'TIRE_PRESSURE_FL',
  },
  {
    signal: 'Vehicle.Chassis.Axle.Row1.Wheel.Right.Tire.Pressure',
    message: 'TPMS',
    dbcSignal: 'TIRE_PRESSURE_FR',
  },
  {
    signal: 'Vehicle.Chassis.Axle.Row2.Wheel.Left.Tire.Pressure',
    message: 'TPMS',
    dbcSignal: 'TIRE_PRESSURE_RL',
  },
  {
    signal: 'Vehicle.Chassis.Axle.Row2.Wheel.Right.Tire.Pressure',
    message: 'TPMS',
    dbcSignal: 'TIRE_PRESSURE_RR',
  },
  { signal: 'Vehicle.Exterior.AirTemperature', message: 'ENVIRONMENT', dbcSignal: 'AIR_TEMP' },
  { signal: 'Vehicle.OBD.BarometricPressure', message: 'ENVIRONMENT', dbcSignal: 'BARO_PRESSURE' },
  { signal: 'Vehicle.OBD.RunTime', message: 'ENVIRONMENT', dbcSignal: 'RUN_TIME' },
  { signal: 'Vehicle.CurrentLocation.Altitude', message: 'GNSS_INFO', dbcSignal: 'ALTITUDE' },
  { signal: 'Vehicle.CurrentLocation.Heading', message: 'GNSS_INFO', dbcSignal: 'HEADING' },
  {
    signal: 'Vehicle.CurrentLocation.HorizontalAccuracy',
    message: 'GNSS_INFO',
    dbcSignal: 'H_ACCURACY',
  },
];

/**
 * The same mapping in the edge agent's config form (`signals[]`: reading `can.<MSG>.<SIG>` →
 * catalogue signal), so an agent reading the simulated bus maps it back.
 */
export function agentSignalMappings(
  mapping: readonly CanSignalMapping[] = demoCanMapping,
): { from: string; to: SignalName }[] {
  return mapping.map((m) => ({ from: `can.${m.message}.${m.dbcSignal}`, to: m.signal }));
}
