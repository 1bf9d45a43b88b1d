import './runtime.js';

export { fleetline as pb } from '../gen/fleetline.js';
export * from './catalogue.js';
export * from './codec.js';
export * from './crash-rule.js';
export * from './errors.js';
export * from './seeded-random.js';
export { MAX_SAMPLES_PER_MESSAGE, type Sample } from './series.js';
export * from './time-range.js';
export * from './topics.js';
export * from './trouble-codes.js';
export * from './units.js';
