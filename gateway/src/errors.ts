import { type ErrorDetails, FleetlineError } from '@fleetline/proto';

export const GatewayErrorCodes = {
  notAuthorized: 'GATEWAY_NOT_AUTHORIZED',
  badIdentity: 'GATEWAY_BAD_IDENTITY',
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
