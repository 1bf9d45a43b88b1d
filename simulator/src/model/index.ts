export { DriveModel, samplesBySignal, simulate } from './drive.js';
export type { DriveOutput, DriveState } from './drive-state.js';
export {
  builtInRoutes,
  cityLoop,
  distanceToRoute,
  generatedRoute,
  highwayLeg,
  type LatLon,
  type Leg,
  localMetres,
  positionAt,
  type Route,
  type RoutePath,
  type RoutePosition,
  routePath,
} from './route.js';
export {
  type CrashDirection,
  defaultSampleRates,
  type SampleRates,
  type Scenario,
  type ScenarioEvent,
  type SpeedProfile,
} from './scenario.js';
export { builtInScenarios, parseScenario, ScenarioError } from './scenario-file.js';
export { modelSignals } from './signals.js';
