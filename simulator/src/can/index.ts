export {
  agentSignalMappings,
  type CanSignalMapping,
  demoCanMapping,
  demoDbcPath,
  loadDemoDbc,
} from './mapping.js';
export {
  type CanFrameSink,
  canFeed,
  type ServeCanTrafficOptions,
  type ServedCanTraffic,
  type SlcanCanSimulator,
  serveCanTraffic,
  startSlcanCanSimulator,
} from './slcan.js';
export {
  CanTraffic,
  type CanTrafficOptions,
  candumpLines,
  candumpLog,
  type ScheduledCanMessage,
  type SimulatedCanFrame,
  toCanFrame,
} from './traffic.js';
