export * from './can/index.js';
export { type FleetOptions, type FleetStats, type RunningFleet, startFleet } from './fleet.js';
export { type FleetRun, type FleetRunOptions, startFleetRun, vehicleId } from './fleet-run.js';
export { type FleetRunStats, LatencyHistogram, ratePerS } from './fleet-stats.js';
export * from './model/index.js';
export { seededRandom, seedOf } from './random.js';
export { VehicleModel, type VehicleModelOptions, type VehicleState } from './vehicle-model.js';
