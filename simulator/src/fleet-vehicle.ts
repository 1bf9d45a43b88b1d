import { type Sample, type SignalName, seededRandom } from '@fleetline/proto';
import { DriveModel } from './model/drive.js';
import { generatedRoute, highwayLeg } from './model/route.js';
import type { SpeedProfile } from './model/scenario.js';
import { seedOf } from './random.js';

/**
 * What a fleet vehicle sends by default: what a basic telematics unit reads over OBD-II and
 * GNSS, and what the load figures in the README were measured with. The drive model drives
 * every catalogue signal; pass `signals: 'all'` for all of them.
 */
export const fleetSignals: readonly SignalName[] = [
  'Vehicle.Speed',
  'Vehicle.Powertrain.CombustionEngine.Speed',
  'Vehicle.Powertrain.CombustionEngine.ECT',
  'Vehicle.Powertrain.FuelSystem.RelativeLevel',
  'Vehicle.Powertrain.FuelSystem.InstantConsumption',
  'Vehicle.OBD.EngineLoad',
  'Vehicle.TraveledDistance',
  'Vehicle.LowVoltageBattery.CurrentVoltage',
  'Vehicle.CurrentLocation.Latitude',
  'Vehicle.CurrentLocation.Longitude',
  'Vehicle.CurrentLocation.Heading',
  'Vehicle.Powertrain.Transmission.CurrentGear',
  'Vehicle.Acceleration.Longitudinal',
  'Vehicle.Acceleration.Lateral',
  'Vehicle.Acceleration.Vertical',
];

/**
 * One vehicle of a simulated fleet: the drive model on a route and profile of its own, drawn
 * from its seed (most drive loops through town, some the highway, some sit in traffic),
 * sampled every signal each `sampleIntervalMs` in real time from when it started.
 */
export class FleetVehicleDrive {
  readonly model: DriveModel;

  constructor(
    seed: number,
    deviceId: string,
    startMs: number,
    sampleIntervalMs: number,
    signals: readonly SignalName[] | 'all' = fleetSignals,
  ) {
    if (!Number.isInteger(sampleIntervalMs) || sampleIntervalMs % 10 !== 0) {
      throw new RangeError(`sample interval ${sampleIntervalMs} ms: must be a multiple of 10 ms`);
    }
    const r = seededRandom(seed);
    const pick = r();
    const profile: SpeedProfile = pick < 0.6 ? 'city' : pick < 0.85 ? 'highway' : 'stopAndGo';
    // Spread over a city some 30 km across, each on a loop of its own.
    const center = [31.1 + r() * 0.25, 121.3 + r() * 0.3] as const;
    const every = sampleIntervalMs;
    this.model = new DriveModel(
      {
        seed,
        deviceId,
        startMs,
        profile,
        route: profile === 'highway' ? highwayLeg : generatedRoute(seed, center, 1000 + r() * 2000),
        ...(signals === 'all' ? {} : { signals }),
        rates: {
          defaultMs: every,
          speedMs: every,
          accelerationMs: every,
          accelerationEventMs: every,
          crankingMs: every,
        },
      },
      // A fleet vehicle carries no shock pulses, so it steps as coarsely as its sampling allows.
      { stepMs: fleetStepMs(sampleIntervalMs) },
    );
  }

  /** The samples taken since the last call, up to `nowMs` (epoch ms). */
  samplesUntil(nowMs: number): Sample[] {
    return this.model.advance(nowMs - this.model.startMs).samples;
  }
}

/** The model step for a fleet vehicle: the coarsest of 100, 50, 20, 10 ms that divides its sampling. */
export function fleetStepMs(sampleIntervalMs: number): 10 | 20 | 50 | 100 {
  return ([100, 50, 20] as const).find((step) => sampleIntervalMs % step === 0) ?? 10;
}

/** A fleet vehicle's seed, from the fleet's seed and its id. */
export function fleetVehicleSeed(fleetSeed: number, deviceId: string): number {
  return seedOf(`${fleetSeed}:${deviceId}`);
}
