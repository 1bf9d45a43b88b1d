import { type ErrorDetails, FleetlineError } from '@fleetline/proto';

export const GatewayErrorCodes = {
  notAuthorized: 'GATEWAY_NOT_AUTHORIZED',
  badIdentity: 'GATEWAY_BAD_IDENTITY',
  /** Dead-letter code: a payload's device_id is not the device of its topic. */
  deviceMismatch: 'GATEWAY_DEVICE_MISMATCH',
  /** Dead-letter code: a time too far ahead of the gateway's clock. */
  clockAhead: 'GATEWAY_CLOCK_AHEAD',
  /** Dead-letter code: a time before 2000, from a device clock that was never set. */
  clockUnset: 'GATEWAY_CLOCK_UNSET',
  /** A device over its byte budget: disconnected without a PUBACK. */
  overRate: 'GATEWAY_OVER_RATE',
} as const;

/** A device tried to publish or subscribe outside its own topics. */
export class NotAuthorizedError extends FleetlineError {
  static readonly code = GatewayErrorCodes.notAuthorized;
  constructor(message: string, details?: ErrorDetails) {
    super(NotAuthorizedError.code, message, details);
  }
}

/** A connecting client does not present a usable device identity. */
export class BadIdentityError extends FleetlineError {
  static readonly code = GatewayErrorCodes.badIdentity;
  constructor(message: string, details?: ErrorDetails) {
    super(BadIdentityError.code, message, details);
  }
}

/** A device published more bytes than its budget allows; the publish is not taken. */
export class OverRateError extends FleetlineError {
  static readonly code = GatewayErrorCodes.overRate;
  constructor(message: string, details?: ErrorDetails) {
    super(OverRateError.code, message, details);
  }
}
