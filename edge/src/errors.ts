import { type ErrorDetails, FleetlineError } from '@fleetline/proto';

/** The edge agent's closed list of error codes. */
export const EdgeErrorCodes = {
  uplinkClosed: 'EDGE_UPLINK_CLOSED',
  uplinkRefused: 'EDGE_UPLINK_REFUSED',
  configInvalid: 'EDGE_CONFIG_INVALID',
  dbcInvalid: 'EDGE_DBC_INVALID',
  dbcEncodeInvalid: 'EDGE_DBC_ENCODE_INVALID',
  frameTooShort: 'EDGE_FRAME_TOO_SHORT',
  canLineInvalid: 'EDGE_CAN_LINE_INVALID',
  canFrameInvalid: 'EDGE_CAN_FRAME_INVALID',
  canSourceUnavailable: 'EDGE_CAN_SOURCE_UNAVAILABLE',
  canSendUnsupported: 'EDGE_CAN_SEND_UNSUPPORTED',
  slcanRejected: 'EDGE_SLCAN_REJECTED',
  nmeaInvalid: 'EDGE_NMEA_INVALID',
  imuLineInvalid: 'EDGE_IMU_LINE_INVALID',
  serialUnavailable: 'EDGE_SERIAL_UNAVAILABLE',
  obdNoResponse: 'EDGE_OBD_NO_RESPONSE',
  obdNegativeResponse: 'EDGE_OBD_NEGATIVE_RESPONSE',
  spoolCorrupt: 'EDGE_SPOOL_CORRUPT',
} as const;

export type EdgeErrorCode = (typeof EdgeErrorCodes)[keyof typeof EdgeErrorCodes];

/** Base of the edge agent's errors: `code` is one of EdgeErrorCodes. */
export class EdgeError extends FleetlineError {
  constructor(code: EdgeErrorCode, message: string, details?: ErrorDetails, retryable = false) {
    super(code, message, details, retryable);
  }
}

export class UplinkClosedError extends EdgeError {
  static readonly code = EdgeErrorCodes.uplinkClosed;
  constructor(message = 'the uplink is closed') {
    super(UplinkClosedError.code, message);
  }
}

/** The broker refused the connection or a publish (bad credentials, not authorised). */
export class UplinkRefusedError extends EdgeError {
  static readonly code = EdgeErrorCodes.uplinkRefused;
  constructor(message: string, details?: ErrorDetails) {
    super(UplinkRefusedError.code, message, details, true);
  }
}

/** The agent's config file is wrong; the message names each JSON path and the fix. */
export class EdgeConfigError extends EdgeError {
  static readonly code = EdgeErrorCodes.configInvalid;
  constructor(
    message: string,
    readonly problems: readonly string[] = [],
  ) {
    super(EdgeConfigError.code, message, { problems });
  }
}

/** A DBC file does not parse: the message says `file:line: what is wrong`. */
export class DbcError extends EdgeError {
  static readonly code = EdgeErrorCodes.dbcInvalid;
  constructor(
    message: string,
    readonly file: string,
    readonly line: number,
  ) {
    super(DbcError.code, `${file}:${line}: ${message}`, { file, line });
  }
}

/**
 * Signal values cannot be encoded into a frame: a required signal is missing, a value is out
 * of its [min|max] range or does not fit its bits, a label is not in the value table.
 */
export class DbcEncodeError extends EdgeError {
  static readonly code = EdgeErrorCodes.dbcEncodeInvalid;
  constructor(message: string, details?: ErrorDetails) {
    super(DbcEncodeError.code, message, details);
  }
}

/** A frame is shorter than the DBC message it is decoded with. */
export class FrameTooShortError extends EdgeError {
  static readonly code = EdgeErrorCodes.frameTooShort;
  constructor(message: string, details?: ErrorDetails) {
    super(FrameTooShortError.code, message, details);
  }
}

/** A line from a CAN adapter or log (SLCAN, candump) does not parse. */
export class CanLineError extends EdgeError {
  static readonly code = EdgeErrorCodes.canLineInvalid;
  constructor(message: string, details?: ErrorDetails) {
    super(CanLineError.code, message, details);
  }
}

/** A frame that cannot be transmitted (id out of range, FD or error frame over SLCAN). */
export class CanFrameInvalidError extends EdgeError {
  static readonly code = EdgeErrorCodes.canFrameInvalid;
  constructor(message: string, details?: ErrorDetails) {
    super(CanFrameInvalidError.code, message, details);
  }
}

export class CanSourceUnavailableError extends EdgeError {
  static readonly code = EdgeErrorCodes.canSourceUnavailable;
  constructor(message: string, details?: ErrorDetails) {
    super(CanSourceUnavailableError.code, message, details, true);
  }
}

export class CanSendUnsupportedError extends EdgeError {
  static readonly code = EdgeErrorCodes.canSendUnsupported;
  constructor(source: string) {
    super(
      CanSendUnsupportedError.code,
      `${source} cannot transmit frames (read-only or listen-only)`,
    );
  }
}

/** An SLCAN adapter answered a command with an error (BEL). */
export class SlcanRejectedError extends EdgeError {
  static readonly code = EdgeErrorCodes.slcanRejected;
  constructor(message: string, details?: ErrorDetails) {
    super(SlcanRejectedError.code, message, details, true);
  }
}

/** An NMEA 0183 sentence is malformed or its checksum is wrong. */
export class NmeaError extends EdgeError {
  static readonly code = EdgeErrorCodes.nmeaInvalid;
  constructor(message: string, details?: ErrorDetails) {
    super(NmeaError.code, message, details);
  }
}

/** A serial device (GNSS receiver, IMU board) or a replay file cannot be opened. */
export class SerialUnavailableError extends EdgeError {
  static readonly code = EdgeErrorCodes.serialUnavailable;
  constructor(message: string, details?: ErrorDetails) {
    super(SerialUnavailableError.code, message, details, true);
  }
}

/** An IMU line does not follow the documented line protocol. */
export class ImuLineError extends EdgeError {
  static readonly code = EdgeErrorCodes.imuLineInvalid;
  constructor(message: string, details?: ErrorDetails) {
    super(ImuLineError.code, message, details);
  }
}

export class ObdNoResponseError extends EdgeError {
  static readonly code = EdgeErrorCodes.obdNoResponse;
  constructor(message: string, details?: ErrorDetails) {
    super(ObdNoResponseError.code, message, details, true);
  }
}

export class ObdNegativeResponseError extends EdgeError {
  static readonly code = EdgeErrorCodes.obdNegativeResponse;
  constructor(message: string, details?: ErrorDetails) {
    super(ObdNegativeResponseError.code, message, details);
  }
}

/** A spool record failed its checksum or framing; the spool truncates at the damage. */
export class SpoolCorruptError extends EdgeError {
  static readonly code = EdgeErrorCodes.spoolCorrupt;
  constructor(message: string, details?: ErrorDetails) {
    super(SpoolCorruptError.code, message, details);
  }
}
