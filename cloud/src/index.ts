export { type ApiTokenRequest, issueApiToken } from './access/api-tokens.js';
export { type Actor, ActorSystem, type ActorSystemOptions } from './actors/actor-system.js';
export { alertChanges, type OpenAlerts } from './alerts/alert-changes.js';
export { startAlertRecorder } from './alerts/alert-recorder.js';
export { type Api, type ApiOptions, buildApi, listenApi } from './api/server.js';
export * from './channels/alert-channel.js';
export * from './channels/alert-message.js';
export {
  ConsoleAlertChannel,
  type ConsoleAlertChannelOptions,
} from './channels/console-channel.js';
export { IdempotencyWindow } from './channels/idempotency-window.js';
export {
  type VehicleDetectorOptions,
  type VehicleInput,
  vehicleDetectors,
} from './detectors/vehicle.js';
export { AlertChannelClosedError, AlertMessageError, CloudErrorCodes } from './errors.js';
export {
  type AlertEvent,
  type DroppedEvent,
  type ErrorEvent,
  type LiveFilter,
  type LiveKind,
  type LiveMessage,
  liveKinds,
  type StateEvent,
} from './live/events.js';
export { LiveFeed, type LiveFeedOptions, type LiveSubscription } from './live/live-feed.js';
export { type ProcessorOptions, type RunningProcessor, startProcessor } from './processor.js';
export { withRetry } from './retry.js';
export { type RunningCloud, startCloud } from './service.js';
export { VehicleActor } from './vehicle-actor.js';
export type { EventMessage, TelemetryMessage, VehicleMessage } from './vehicle-messages.js';
