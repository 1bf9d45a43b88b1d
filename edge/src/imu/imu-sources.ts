import type { BackoffOptions } from '../serial/backoff.js';
import { FileLineSource } from '../serial/file-line-source.js';
import { type PortOpener, SerialLineSource } from '../serial/serial-line-source.js';
import { ImuDecoder } from './imu-decoder.js';

/** 100 Hz of ~40-byte lines is 4000 bytes/s: more than 9600 baud carries (PROTOCOL.md). */
export const DEFAULT_IMU_BAUD_RATE = 115_200;

/** Lines are short; anything longer than this is noise, not a sample. */
const IMU_MAX_LINE_BYTES = 256;

export interface ImuSerialSourceOptions {
  readonly path: string;
  readonly baudRate?: number;
  readonly name?: string;
  readonly backoff?: Partial<BackoffOptions>;
  readonly resyncUs?: number;
  readonly openPort?: PortOpener;
  readonly now?: () => number;
}

/** An accelerometer board on a serial port, speaking the `$IMU` line protocol. */
export class ImuSerialSource extends SerialLineSource {
  constructor(options: ImuSerialSourceOptions) {
    const baudRate = options.baudRate ?? DEFAULT_IMU_BAUD_RATE;
    super({
      path: options.path,
      baudRate,
      decoder: new ImuDecoder({ resyncUs: options.resyncUs }),
      name: options.name ?? `imu:${options.path}@${baudRate}`,
      backoff: options.backoff,
      maxLineBytes: IMU_MAX_LINE_BYTES,
      openPort: options.openPort,
      now: options.now,
    });
  }
}

export interface ImuReplaySourceOptions {
  readonly file: string;
  readonly name?: string;
  /** 0 (default): as fast as possible; 1: paced by the sample times; n: n times faster. */
  readonly pace?: number;
  /** Epoch microseconds of the first sample (default: the host clock when it is read). */
  readonly startUs?: number;
}

/** Replays a file of `$IMU` lines (`#` comments and blank lines allowed). */
export class ImuReplaySource extends FileLineSource {
  constructor(options: ImuReplaySourceOptions) {
    const startUs = options.startUs;
    super({
      file: options.file,
      decoder: new ImuDecoder({
        replayStartUs: startUs === undefined ? undefined : () => startUs,
      }),
      name: options.name,
      pace: options.pace,
      maxLineBytes: IMU_MAX_LINE_BYTES,
    });
  }
}
