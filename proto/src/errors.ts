/**
 * Error base shared by every Fleetline package, and the wire contract's own error codes.
 *
 * The base lives here because `proto` is the one package everything else imports; each
 * package keeps its own closed list of codes in its own `errors.ts`.
 */

export interface ErrorDetails {
  cause?: unknown;
  [detail: string]: unknown;
}

export class FleetlineError extends Error {
  /** Stable, machine-readable code, e.g. `PROTO_MALFORMED`. */
  readonly code: string;
  /** Whether retrying the same operation may succeed (retry loops read this). */
  readonly retryable: boolean;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, details: ErrorDetails = {}, retryable = false) {
    const { cause, ...rest } = details;
    super(message, cause === undefined ? undefined : { cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = retryable;
    this.details = rest;
  }
}

export const ProtoErrorCodes = {
  /** The bytes are not a valid protobuf encoding of the expected message. */
  malformed: 'PROTO_MALFORMED',
  /** The message decodes but breaks a rule of the contract (lengths, ranges, ids). */
  invalid: 'PROTO_INVALID',
  /** A device id or topic does not follow the topic scheme. */
  badTopic: 'PROTO_BAD_TOPIC',
  /** The message carries more of something (samples, trouble codes) than one message may. */
  limitExceeded: 'PROTO_LIMIT_EXCEEDED',
} as const;

/** The payload could not be decoded as the expected protobuf message. */
export class MalformedMessageError extends FleetlineError {
  static readonly code = ProtoErrorCodes.malformed;
  constructor(message: string, details?: ErrorDetails) {
    super(MalformedMessageError.code, message, details);
  }
}

/** The message decoded but violates the contract. */
export class InvalidMessageError extends FleetlineError {
  static readonly code = ProtoErrorCodes.invalid;
  constructor(message: string, details?: ErrorDetails) {
    super(InvalidMessageError.code, message, details);
  }
}

/** The message carries more than the contract allows in one message (see the MAX_ constants). */
export class LimitExceededError extends FleetlineError {
  static readonly code = ProtoErrorCodes.limitExceeded;
  constructor(message: string, details?: ErrorDetails) {
    super(LimitExceededError.code, message, details);
  }
}

export class BadTopicError extends FleetlineError {
  static readonly code = ProtoErrorCodes.badTopic;
  constructor(message: string, details?: ErrorDetails) {
    super(BadTopicError.code, message, details);
  }
}
