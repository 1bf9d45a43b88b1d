import { type ErrorDetails, FleetlineError } from '@fleetline/proto';

export const EdgeErrorCodes = {
  uplinkClosed: 'EDGE_UPLINK_CLOSED',
  uplinkRefused: 'EDGE_UPLINK_REFUSED',
} as const;

export class UplinkClosedError extends FleetlineError {
  static readonly code = EdgeErrorCodes.uplinkClosed;
  constructor(message = 'the uplink is closed') {
    super(UplinkClosedError.code, message);
  }
}

/** The broker refused the connection or a publish (bad credentials, not authorised). */
export class UplinkRefusedError extends FleetlineError {
  static readonly code = EdgeErrorCodes.uplinkRefused;
  constructor(message: string, details?: ErrorDetails) {
    super(UplinkRefusedError.code, message, details, true);
  }
}
