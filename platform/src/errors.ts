import { type ErrorDetails, FleetlineError } from '@fleetline/proto';

export const PlatformErrorCodes = {
  configInvalid: 'CONFIG_INVALID',
  logUnavailable: 'LOG_UNAVAILABLE',
  logRejected: 'LOG_REJECTED',
  logClosed: 'LOG_CLOSED',
  storeUnavailable: 'STORE_UNAVAILABLE',
  storeRejected: 'STORE_REJECTED',
  storeClosed: 'STORE_CLOSED',
  storeBusy: 'STORE_BUSY',
  portInUse: 'PORT_IN_USE',
  startAborted: 'START_ABORTED',
  recordConflict: 'RECORD_CONFLICT',
  recordsUnavailable: 'RECORDS_UNAVAILABLE',
  recordsRejected: 'RECORDS_REJECTED',
  recordsClosed: 'RECORDS_CLOSED',
} as const;

/** One or more configuration values are wrong; the message names each key and the fix. */
export class ConfigError extends FleetlineError {
  static readonly code = PlatformErrorCodes.configInvalid;
  constructor(
    message: string,
    readonly problems: readonly string[],
  ) {
    super(ConfigError.code, message, { problems });
  }
}

/**
 * The log (Kafka or embedded) cannot take or give records right now: unreachable, busy, timed
 * out. Retrying may succeed.
 */
export class LogUnavailableError extends FleetlineError {
  static readonly code = PlatformErrorCodes.logUnavailable;
  constructor(message: string, details?: ErrorDetails) {
    super(LogUnavailableError.code, message, details, true);
  }
}

/**
 * The log refused the operation for a reason that retrying does not change: refused
 * authentication or TLS, no permission, a request it does not accept. The message names it.
 */
export class LogRejectedError extends FleetlineError {
  static readonly code = PlatformErrorCodes.logRejected;
  constructor(message: string, details?: ErrorDetails) {
    super(LogRejectedError.code, message, details, false);
  }
}

export class LogClosedError extends FleetlineError {
  static readonly code = PlatformErrorCodes.logClosed;
  constructor(message = 'the log is closed') {
    super(LogClosedError.code, message);
  }
}

/**
 * The store cannot be reached, is busy or overloaded, or did not answer in time; retrying may
 * succeed.
 */
export class StoreUnavailableError extends FleetlineError {
  static readonly code = PlatformErrorCodes.storeUnavailable;
  constructor(message: string, details?: ErrorDetails) {
    super(StoreUnavailableError.code, message, details, true);
  }
}

/**
 * The store refused the operation for a reason that retrying does not change: a statement or
 * value it does not accept, a missing table, refused credentials or TLS, no permission. The
 * message names it.
 */
export class StoreRejectedError extends FleetlineError {
  static readonly code = PlatformErrorCodes.storeRejected;
  constructor(message: string, details?: ErrorDetails) {
    super(StoreRejectedError.code, message, details, false);
  }
}

export class StoreClosedError extends FleetlineError {
  static readonly code = PlatformErrorCodes.storeClosed;
  constructor(message = 'the store is closed') {
    super(StoreClosedError.code, message);
  }
}

/**
 * The store refused a read because too many are waiting already (the embedded store's reader
 * threads are all busy and its read queue is full). Nothing was read; the same read may
 * succeed after `retryAfterSeconds`.
 */
export class StoreBusyError extends FleetlineError {
  static readonly code = PlatformErrorCodes.storeBusy;
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    details?: ErrorDetails,
  ) {
    super(StoreBusyError.code, message, { ...details, retryAfterSeconds }, true);
  }
}

/** A listener could not bind because something else holds its port. */
export class PortInUseError extends FleetlineError {
  static readonly code = PlatformErrorCodes.portInUse;
  constructor(what: string, host: string, port: number, envVar: string) {
    super(
      PortInUseError.code,
      `${what} port ${port} on ${host} is already in use by another process: stop that process or choose a free port with ${envVar}=<port>`,
      { host, port, envVar },
    );
  }
}

/**
 * A start was stopped before it finished (SIGINT or SIGTERM during start-up): what it had
 * opened is closed again, and the process ends as a stopped service does.
 */
export class StartAbortedError extends FleetlineError {
  static readonly code = PlatformErrorCodes.startAborted;
  constructor(signal: string) {
    super(StartAbortedError.code, `start-up stopped by ${signal}`, { signal });
  }
}

/**
 * A business record would break a uniqueness rule (a login, VIN, device or store code
 * already taken). `field` names the input field; `row`, for an import, the 0-based row.
 */
export class RecordConflictError extends FleetlineError {
  static readonly code = PlatformErrorCodes.recordConflict;
  constructor(
    message: string,
    readonly field: string,
    readonly row?: number,
  ) {
    super(RecordConflictError.code, message, { field, ...(row === undefined ? {} : { row }) });
  }
}

/**
 * The business-records database cannot be reached, is busy or did not answer in time;
 * retrying may succeed.
 */
export class RecordsUnavailableError extends FleetlineError {
  static readonly code = PlatformErrorCodes.recordsUnavailable;
  constructor(message: string, details?: ErrorDetails) {
    super(RecordsUnavailableError.code, message, details, true);
  }
}

/**
 * The business-records database refused the operation for a reason that retrying does not
 * change: a schema newer than this version knows, refused credentials or TLS, no permission,
 * a value or a reference it does not accept (a store of no organisation). The message names it.
 */
export class RecordsRejectedError extends FleetlineError {
  static readonly code = PlatformErrorCodes.recordsRejected;
  constructor(message: string, details?: ErrorDetails) {
    super(RecordsRejectedError.code, message, details, false);
  }
}

export class RecordsClosedError extends FleetlineError {
  static readonly code = PlatformErrorCodes.recordsClosed;
  constructor(message = 'the business-records database is closed') {
    super(RecordsClosedError.code, message);
  }
}
