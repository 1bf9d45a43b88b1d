export { SampleBatcher } from './batcher.js';
export * from './errors.js';
export { MqttUplink, type MqttUplinkOptions, type UplinkState } from './uplink/mqtt-uplink.js';
