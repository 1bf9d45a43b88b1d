import type { EventEmitter } from 'node:events';
import type { Reading } from '../signals/reading.js';

/**
 * The port every line-based input implements (GNSS over NMEA 0183, the IMU line protocol),
 * whether it reads a live serial device or replays a capture file.
 *
 * Events:
 * - `reading`: one value decoded from the input, in input order.
 * - `error`: one line or sentence that did not decode. It is counted in `stats.errors` and
 *   the source carries on. It is emitted only while someone listens, because an unhandled
 *   `error` event would throw and stop the process. (So do not wait with `events.once(source,
 *   'end')`: it listens for `error` too and rejects on the first refused line.)
 * - `connect` / `disconnect`: a live device was (re)opened / went away (the source retries).
 * - `end`: a replay has no more lines. Live sources never end by themselves.
 */
export interface LineSourceEvents {
  reading: [Reading];
  error: [Error];
  connect: [];
  disconnect: [Error];
  end: [];
}

export interface LineSourceStats {
  /** Non-empty lines read (comment lines of replay files are not counted). */
  lines: number;
  /** Readings emitted. */
  readings: number;
  /** Lines or sentences refused (each one also emitted as an `error` event). */
  errors: number;
}

export interface LineSource extends EventEmitter<LineSourceEvents> {
  /** Human-readable name, e.g. `gnss:/dev/ttyUSB0@9600` or `gnss-replay:drive.log`. */
  readonly name: string;
  readonly stats: Readonly<LineSourceStats>;
  /** Opens the device or file and starts emitting readings. */
  open(): Promise<void>;
  /** Stops emitting, emits what the decoder still holds, and releases the device; idempotent. */
  close(): Promise<void>;
}

/** What a decoder made of one line (or of a flush). */
export interface Decoded {
  readonly readings: readonly Reading[];
  readonly errors: readonly Error[];
}

export const NOTHING_DECODED: Decoded = Object.freeze({ readings: [], errors: [] });

/**
 * The pure part of a line-based input: text in, readings and typed errors out. Decoders do not
 * throw for bad input; they return the error so the source can count it and carry on.
 */
export interface LineDecoder {
  /**
   * Decodes one line (without its line ending). `receivedAtUs` is the host clock when the
   * line arrived from a live device; replays pass `undefined` (there is no meaningful host
   * time for a line read from a file).
   */
  decode(line: string, receivedAtUs?: number): Decoded;
  /** The input went quiet (or the device went away): emit what is complete. */
  flush(receivedAtUs?: number): Decoded;
  /** No more input will come: emit everything still held. */
  end(): Decoded;
  /** The typed error for a line longer than the framer accepts. */
  tooLong(maxBytes: number): Error;
}
