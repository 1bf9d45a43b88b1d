import { collisionDetector } from './collision.js';
import type { DetectorInput, DetectorStates } from './detector.js';
import { type DetectorSet, detectorSet } from './detector-set.js';
import { type DtcLimits, dtcDetector } from './dtc.js';
import { harshDrivingDetector } from './harsh-driving.js';
import { lowBatteryDetector } from './low-battery.js';
import { lowFuelDetector } from './low-fuel.js';
import { maintenanceDetector, type ServicePlan } from './maintenance.js';
import { offlineDetector } from './offline.js';
import { overheatDetector } from './overheat.js';

/**
 * Every detector of one vehicle: the list. Adding a detector is its file (a `Detector`,
 * detector.ts) and one line here; the vehicle actor, its snapshots and their restore take it
 * from the list. An input reaches the detectors in the list's order, which is the order of
 * their findings.
 */

export type { RestoredDetectors } from './detector-set.js';

/** What a vehicle actor feeds its detectors (detector.ts). */
export type VehicleInput = DetectorInput;

export interface VehicleDetectorOptions {
  servicePlan?: ServicePlan;
  offlineAfterMs?: number;
  /** How many trouble-code alerts a vehicle may have open and raise a day (dtc.ts). */
  dtcLimits?: DtcLimits;
}

export function vehicleDetectorList(options: VehicleDetectorOptions = {}) {
  return [
    overheatDetector,
    lowFuelDetector,
    lowBatteryDetector,
    harshDrivingDetector(),
    collisionDetector,
    dtcDetector(options.dtcLimits),
    maintenanceDetector(options.servicePlan),
    offlineDetector(options.offlineAfterMs),
  ] as const;
}

/** The state of every detector of a vehicle, keyed by detector. */
export type VehicleDetectorState = DetectorStates<ReturnType<typeof vehicleDetectorList>>;

/** The vehicle's detectors behind one function (detector-set.ts). */
export function vehicleDetectors(
  options: VehicleDetectorOptions = {},
): DetectorSet<VehicleDetectorState> {
  return detectorSet(vehicleDetectorList(options));
}
