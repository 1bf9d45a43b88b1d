// The pty devices the simulator serves on, as its API has always offered them.
export {
  type LineDeviceStats,
  PtyLineDevice,
  type PtyPair,
  startPtyPair,
} from '@fleetline/pty-devices';
export * from './can/index.js';
export { type SimulateIo, type SimulateSummary, simulateFleet } from './cli/simulate.js';
export { simulateDevice } from './cli/simulate-device.js';
export { stopOnSignals } from './cli/stop.js';
export {
  type Feed,
  feed,
  type Served,
  type ServeOptions,
  sendDue,
  serveFeeds,
  type TimedSource,
} from './device/feeds.js';
export { GnssTraffic, type GnssTrafficOptions, type SimulatedGnssEpoch } from './device/gnss.js';
export { ImuTraffic, type ImuTrafficOptions, type SimulatedImuLine } from './device/imu.js';
export {
  type AgentDevicePaths,
  agentDeviceConfig,
  startVehicleDevices,
  type VehicleDevices,
  type VehicleDevicesOptions,
  type VehicleDevicesStats,
} from './device/vehicle-devices.js';
export { type FleetRun, type FleetRunOptions, startFleetRun, vehicleId } from './fleet-run.js';
export { type FleetRunStats, LatencyHistogram, ratePerS } from './fleet-stats.js';
export { FleetVehicleDrive, fleetSignals, fleetStepMs, fleetVehicleSeed } from './fleet-vehicle.js';
export * from './model/index.js';
export { seedOf } from './random.js';
export {
  DEFAULT_NMEA_SENTENCES,
  type NmeaOptions,
  type NmeaSentenceType,
  nmeaSentences,
  type SimulatedFix,
} from './serial/nmea.js';
