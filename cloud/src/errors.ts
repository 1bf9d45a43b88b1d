import { type ErrorDetails, FleetlineError } from '@fleetline/proto';

export const CloudErrorCodes = {
  poisonMessage: 'CLOUD_POISON_MESSAGE',
  badSnapshot: 'CLOUD_BAD_SNAPSHOT',
} as const;

/**
 * A message its vehicle actor cannot handle (the detectors threw on it): it goes to the
 * dead-letter topic with this error, the actor restarts from its snapshot, and the stream
 * carries on. Retrying the same message would fail the same way.
 */
export class PoisonMessageError extends FleetlineError {
  static readonly code = CloudErrorCodes.poisonMessage;
  constructor(message: string, details?: ErrorDetails) {
    super(PoisonMessageError.code, message, details);
  }
}

/**
 * A vehicle snapshot that cannot be restored (not JSON, or a layout this code does not know,
 * such as one written by newer code): the actor starts afresh and the snapshot is reported.
 */
export class SnapshotError extends FleetlineError {
  static readonly code = CloudErrorCodes.badSnapshot;
  constructor(message: string, details?: ErrorDetails) {
    super(SnapshotError.code, message, details);
  }
}
