export { maySubscribe, publishTopicFor, type UplinkTopic } from './acl.js';
export { type Routed, routeUplink } from './bridge.js';
export { generateSecret, hashSecret, verifySecret } from './credentials.js';
export { type CommandDisposition, commandDisposition, startDownlink } from './downlink.js';
export * from './errors.js';
export { type GatewayOptions, type RunningGateway, startGateway } from './gateway.js';
export {
  type ConnectAttempt,
  clientIdIdentity,
  type DeviceIdentity,
  type IdentityResult,
  type RefusalReason,
} from './identity.js';
export {
  type DeviceLookup,
  RegistryIdentity,
  type RegistryIdentityOptions,
} from './registry-identity.js';
export { startGatewayService } from './service.js';
