export { type RunningSystem, startSystem } from './embedded.js';
