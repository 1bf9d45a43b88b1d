export { type FleetOptions, type FleetStats, type RunningFleet, startFleet } from './fleet.js';
export { seededRandom, seedOf } from './random.js';
export { VehicleModel, type VehicleModelOptions, type VehicleState } from './vehicle-model.js';
