/**
 * The signal catalogue: canonical names are COVESA Vehicle Signal Specification (VSS 4.x)
 * paths; the wire carries the numeric id. Ids are part of the v1 contract: never renumber or
 * reuse one, only add.
 *
 * `decimals` is the wire resolution: values travel as integers q with value = q / 10^decimals.
 * It is chosen at or below the finest resolution any source reports (OBD-II, common DBCs,
 * GNSS receivers), so quantisation loses nothing the source knew.
 */

export interface SignalDefinition {
  readonly id: number;
  /** VSS path, e.g. `Vehicle.Speed`. */
  readonly name: string;
  /** VSS unit symbol. */
  readonly unit: string;
  /** Wire resolution as decimal places; undefined: sent as IEEE double. */
  readonly decimals: number | undefined;
  readonly description: string;
}

const definitions = [
  { id: 1, name: 'Vehicle.Speed', unit: 'km/h', decimals: 2, description: 'Vehicle speed.' },
  {
    id: 2,
    name: 'Vehicle.Powertrain.CombustionEngine.Speed',
    unit: 'rpm',
    decimals: 2,
    description: 'Engine speed (OBD-II PID 0x0C resolution is 0.25 rpm).',
  },
  {
    id: 3,
    name: 'Vehicle.Powertrain.CombustionEngine.ECT',
    unit: 'celsius',
    decimals: 1,
    description: 'Engine coolant temperature.',
  },
  {
    id: 4,
    name: 'Vehicle.Powertrain.FuelSystem.RelativeLevel',
    unit: 'percent',
    decimals: 2,
    description: 'Fuel level as a percentage of capacity.',
  },
  {
    id: 5,
    name: 'Vehicle.TraveledDistance',
    unit: 'km',
    decimals: 1,
    description: 'Odometer reading (OBD-II PID 0xA6 resolution is 0.1 km).',
  },
  {
    id: 6,
    name: 'Vehicle.LowVoltageBattery.CurrentVoltage',
    unit: 'V',
    decimals: 3,
    description: 'Low-voltage (12 V) battery voltage.',
  },
  {
    id: 7,
    name: 'Vehicle.CurrentLocation.Latitude',
    unit: 'degrees',
    decimals: 7,
    description: 'WGS 84 latitude; 1e-7 degree is about 1 cm.',
  },
  {
    id: 8,
    name: 'Vehicle.CurrentLocation.Longitude',
    unit: 'degrees',
    decimals: 7,
    description: 'WGS 84 longitude; 1e-7 degree is at most about 1 cm.',
  },
  {
    id: 9,
    name: 'Vehicle.Acceleration.Longitudinal',
    unit: 'm/s^2',
    decimals: 3,
    description: 'Longitudinal acceleration, positive forward.',
  },
  {
    id: 10,
    name: 'Vehicle.Acceleration.Lateral',
    unit: 'm/s^2',
    decimals: 3,
    description: 'Lateral acceleration, positive to the left.',
  },
  {
    id: 11,
    name: 'Vehicle.Acceleration.Vertical',
    unit: 'm/s^2',
    decimals: 3,
    description: 'Vertical acceleration, positive up.',
  },
  {
    id: 12,
    name: 'Vehicle.CurrentLocation.Altitude',
    unit: 'm',
    decimals: 1,
    description: 'Altitude above the WGS 84 ellipsoid.',
  },
  {
    id: 13,
    name: 'Vehicle.CurrentLocation.Heading',
    unit: 'degrees',
    decimals: 1,
    description: 'Course over ground, clockwise from true north.',
  },
  {
    id: 14,
    name: 'Vehicle.Powertrain.Transmission.CurrentGear',
    unit: 'count',
    decimals: 0,
    description: 'Engaged gear; 0 is neutral, negative is reverse.',
  },
  {
    id: 15,
    name: 'Vehicle.OBD.EngineLoad',
    unit: 'percent',
    decimals: 2,
    description: 'Calculated engine load (OBD-II PID 0x04).',
  },
  {
    id: 16,
    name: 'Vehicle.Powertrain.CombustionEngine.EOT',
    unit: 'celsius',
    decimals: 1,
    description: 'Engine oil temperature.',
  },
  {
    id: 17,
    name: 'Vehicle.OBD.IntakeTemp',
    unit: 'celsius',
    decimals: 1,
    description: 'Intake air temperature (OBD-II PID 0x0F).',
  },
  {
    id: 18,
    name: 'Vehicle.Exterior.AirTemperature',
    unit: 'celsius',
    decimals: 1,
    description: 'Outside air temperature.',
  },
  {
    id: 19,
    name: 'Vehicle.OBD.MAF',
    unit: 'g/s',
    decimals: 2,
    description: 'Mass air flow (OBD-II PID 0x10).',
  },
  {
    id: 20,
    name: 'Vehicle.Powertrain.FuelSystem.InstantConsumption',
    unit: 'l/100km',
    decimals: 2,
    description: 'Current fuel consumption.',
  },
  {
    id: 21,
    name: 'Vehicle.OBD.ThrottlePosition',
    unit: 'percent',
    decimals: 2,
    description: 'Throttle position (OBD-II PID 0x11).',
  },
  {
    id: 22,
    name: 'Vehicle.Chassis.SteeringWheel.Angle',
    unit: 'degrees',
    decimals: 1,
    description: 'Steering wheel angle, positive to the left.',
  },
  {
    id: 23,
    name: 'Vehicle.AngularVelocity.Yaw',
    unit: 'degrees/s',
    decimals: 2,
    description: 'Yaw rate, positive counter-clockwise seen from above.',
  },
  {
    id: 24,
    name: 'Vehicle.Chassis.Axle.Row1.Wheel.Left.Tire.Pressure',
    unit: 'kPa',
    decimals: 1,
    description: 'Front left tyre pressure.',
  },
  {
    id: 25,
    name: 'Vehicle.Chassis.Axle.Row1.Wheel.Right.Tire.Pressure',
    unit: 'kPa',
    decimals: 1,
    description: 'Front right tyre pressure.',
  },
  {
    id: 26,
    name: 'Vehicle.Chassis.Axle.Row2.Wheel.Left.Tire.Pressure',
    unit: 'kPa',
    decimals: 1,
    description: 'Rear left tyre pressure.',
  },
  {
    id: 27,
    name: 'Vehicle.Chassis.Axle.Row2.Wheel.Right.Tire.Pressure',
    unit: 'kPa',
    decimals: 1,
    description: 'Rear right tyre pressure.',
  },
  {
    id: 28,
    name: 'Vehicle.OBD.BarometricPressure',
    unit: 'kPa',
    decimals: 0,
    description: 'Barometric pressure (OBD-II PID 0x33).',
  },
  {
    id: 29,
    name: 'Vehicle.Chassis.Brake.PedalPosition',
    unit: 'percent',
    decimals: 1,
    description: 'Brake pedal travel.',
  },
  {
    id: 30,
    name: 'Vehicle.Chassis.Accelerator.PedalPosition',
    unit: 'percent',
    decimals: 1,
    description: 'Accelerator pedal travel.',
  },
  {
    id: 31,
    name: 'Vehicle.OBD.RunTime',
    unit: 's',
    decimals: 0,
    description: 'Time since engine start (OBD-II PID 0x1F).',
  },
  {
    id: 32,
    name: 'Vehicle.CurrentLocation.HorizontalAccuracy',
    unit: 'm',
    decimals: 1,
    description: 'GNSS horizontal accuracy.',
  },
] as const satisfies readonly SignalDefinition[];

export type SignalName = (typeof definitions)[number]['name'];

export const catalogue: readonly SignalDefinition[] = definitions;

const byId = new Map<number, SignalDefinition>(catalogue.map((s) => [s.id, s]));
const byName = new Map<string, SignalDefinition>(catalogue.map((s) => [s.name, s]));

export function signalById(id: number): SignalDefinition | undefined {
  return byId.get(id);
}

export function signalByName(name: string): SignalDefinition | undefined {
  return byName.get(name);
}

/** The id of a catalogue signal by its VSS name; throws for a name not in the catalogue. */
export function signalId(name: SignalName): number {
  const s = byName.get(name);
  if (!s) throw new Error(`signal ${name} is not in the catalogue`);
  return s.id;
}
