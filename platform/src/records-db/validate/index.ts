export * from './checked.js';
export * from './input.js';
export * from './mobile.js';
export * from './vin.js';
