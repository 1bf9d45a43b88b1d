export {
  DriveModel,
  type DriveOutput,
  type DriveState,
  modelSignals,
  samplesBySignal,
  simulate,
} from './drive.js';
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
