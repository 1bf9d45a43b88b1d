export { type RunningSystem, startSystem } from './embedded.js';
export { type AppConfig, appSettings } from './settings.js';
