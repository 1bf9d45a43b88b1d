export { type LineDeviceStats, PtyLineDevice } from './line-device.js';
export { openPtyEnd } from './pty-end.js';
export { type PtyPair, startPtyPair } from './pty-pair.js';
export { SimulatedSlcanAdapter } from './slcan-adapter.js';
export {
  type ChannelState,
  type SimCanFrame,
  SlcanDevice,
  type SlcanDeviceEvents,
  type SlcanDeviceOptions,
  type TransmitHandler,
} from './slcan-device.js';
