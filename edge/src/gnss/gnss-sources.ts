import type { BackoffOptions } from '../serial/backoff.js';
import { FileLineSource } from '../serial/file-line-source.js';
import { type PortOpener, SerialLineSource } from '../serial/serial-line-source.js';
import type { EpochClockOptions } from './epoch-clock.js';
import type { GnssFix } from './fix-tracker.js';
import { NmeaDecoder } from './nmea-decoder.js';

/** NMEA 0183 §4 specifies 4800 baud, but nearly every current receiver defaults to 9600. */
export const DEFAULT_GNSS_BAUD_RATE = 9600;

/**
 * How long the line must be quiet before the epoch being assembled is emitted. A receiver
 * sends an epoch as one burst; the gap to the next burst is most of a second at 1 Hz, while
 * sentences within a burst follow each other back to back.
 */
export const DEFAULT_EPOCH_IDLE_MS = 200;

export interface GnssSerialSourceOptions {
  readonly path: string;
  readonly baudRate?: number;
  readonly name?: string;
  readonly backoff?: Partial<BackoffOptions>;
  readonly epochIdleMs?: number;
  readonly clock?: EpochClockOptions;
  /** Called with every fix, valid or not, before its readings are emitted. */
  readonly onFix?: (fix: GnssFix) => void;
  readonly openPort?: PortOpener;
  readonly now?: () => number;
}

/** A GNSS receiver on a serial port, speaking NMEA 0183. */
export class GnssSerialSource extends SerialLineSource {
  readonly nmea: NmeaDecoder;

  constructor(options: GnssSerialSourceOptions) {
    const baudRate = options.baudRate ?? DEFAULT_GNSS_BAUD_RATE;
    const now = options.now ?? Date.now;
    const nmea = new NmeaDecoder({
      clock: options.clock,
      fallbackUs: () => now() * 1000,
      onFix: options.onFix,
    });
    super({
      path: options.path,
      baudRate,
      decoder: nmea,
      name: options.name ?? `gnss:${options.path}@${baudRate}`,
      backoff: options.backoff,
      idleFlushMs: options.epochIdleMs ?? DEFAULT_EPOCH_IDLE_MS,
      openPort: options.openPort,
      now,
    });
    this.nmea = nmea;
  }
}

export interface GnssReplaySourceOptions {
  readonly file: string;
  readonly name?: string;
  /** 0 (default): as fast as possible; 1: paced by the sentence times; n: n times faster. */
  readonly pace?: number;
  readonly maxPauseMs?: number;
  /**
   * Dates a log that never has a valid RMC (the nearest day to it is used). Defaults to the
   * host clock when the replay needs it.
   */
  readonly fallbackUs?: () => number;
  readonly onFix?: (fix: GnssFix) => void;
}

/**
 * Replays an NMEA capture (`#` comment lines allowed, as in gpsd's test logs). Dates come
 * from the log itself, never from the host clock (see EpochClock), so a 2009 capture
 * replays as 2009.
 */
export class GnssReplaySource extends FileLineSource {
  readonly nmea: NmeaDecoder;

  constructor(options: GnssReplaySourceOptions) {
    const nmea = new NmeaDecoder({ fallbackUs: options.fallbackUs, onFix: options.onFix });
    super({
      file: options.file,
      decoder: nmea,
      name: options.name,
      pace: options.pace,
      maxPauseMs: options.maxPauseMs,
    });
    this.nmea = nmea;
  }
}
