export { maySubscribe, publishTopicFor, type UplinkTopic } from './acl.js';
export { type Routed, routeUplink } from './bridge.js';
export * from './errors.js';
export { type GatewayOptions, type RunningGateway, startGateway } from './gateway.js';
export { clientIdIdentity, type DeviceIdentity } from './identity.js';
export { startGatewayService } from './service.js';
