import { type ErrorDetails, FleetlineError } from '@fleetline/proto';

export const CloudErrorCodes = {
  poisonMessage: 'CLOUD_POISON_MESSAGE',
  /** A request the API's own checks refuse (text that is not Unicode, a number not plain). */
  badInput: 'CLOUD_BAD_INPUT',
  /** A live stream refused: too many open, from the address or in all. */
  tooManyStreams: 'CLOUD_TOO_MANY_STREAMS',
  badSnapshot: 'CLOUD_BAD_SNAPSHOT',
  /** An alert message a channel refuses before sending (no recipient, unknown parameters). */
  alertMessageInvalid: 'CLOUD_ALERT_MESSAGE_INVALID',
  /** A send on an alert channel that was closed. */
  alertChannelClosed: 'CLOUD_ALERT_CHANNEL_CLOSED',
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
 * A request the API refuses beyond its JSON schemas: text that is not well-formed Unicode (a
 * lone UTF-16 surrogate, bytes that are not UTF-8), a query number that is not a plain
 * integer. Answered 400 naming where; nothing is stored as something else.
 */
export class BadInputError extends FleetlineError {
  static readonly code = CloudErrorCodes.badInput;
  readonly statusCode = 400;
  constructor(message: string, details?: ErrorDetails) {
    super(BadInputError.code, message, details);
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

/**
 * An alert message a channel refuses before anything is sent: an empty or malformed recipient,
 * a template the channel does not know, parameters the template does not name or names and
 * does not get. The message is wrong, not the vendor: sending it again fails the same way, so
 * the notifier records it as a failed notification and does not retry it.
 */
export class AlertMessageError extends FleetlineError {
  static readonly code = CloudErrorCodes.alertMessageInvalid;
  constructor(message: string, details?: ErrorDetails) {
    super(AlertMessageError.code, message, details);
  }
}

/** A send on an alert channel after its close(). */
export class AlertChannelClosedError extends FleetlineError {
  static readonly code = CloudErrorCodes.alertChannelClosed;
  constructor(kind: string) {
    super(AlertChannelClosedError.code, `the ${kind} alert channel is closed`, { kind });
  }
}
