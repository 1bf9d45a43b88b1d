import './runtime.js';

export { fleetline as pb } from '../gen/fleetline.js';
export * from './catalogue.js';
export * from './codec/alert-change.js';
export * from './codec/command.js';
export * from './codec/event.js';
export * from './codec/service-update.js';
export * from './codec/status.js';
export * from './codec/telemetry-batch.js';
export * from './crash-rule.js';
export { assertDeviceId, DEVICE_ID_PATTERN, isValidDeviceId } from './device-id.js';
export * from './errors.js';
export { MAX_SAMPLES_PER_MESSAGE, type Sample } from './series.js';
export { MAX_EVIDENCE_ENTRIES, MAX_SET_CONFIG_ENTRIES, TEXT_LIMITS } from './text-limits.js';
export { isWireTime, WIRE_TIME_END_MS, WIRE_TIME_MIN_MS, wireTimeProblem } from './time-range.js';
export * from './topics.js';
export * from './trouble-codes.js';
