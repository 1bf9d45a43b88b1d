import type { EventEmitter } from 'node:events';
import type { CanFrame } from './frame.js';

/**
 * The CAN source port. Every adapter (SLCAN over a serial port, SocketCAN, candump log
 * replay) implements it and passes one contract test suite.
 *
 * Events: `frame` for each received frame, in bus order; `error` for a problem that did not
 * stop the source (a garbled line, an adapter error reply) — counted in `stats.errors`;
 * `end` when the source has no more frames (replay finished, device gone).
 */
export interface CanSourceEvents {
  frame: [CanFrame];
  error: [Error];
  end: [];
}

export interface CanSourceStats {
  frames: number;
  errors: number;
}

export interface CanSource extends EventEmitter<CanSourceEvents> {
  /** Human-readable name, e.g. `slcan:/dev/ttyACM0@500k`. */
  readonly name: string;
  /** Whether send() can put frames on the bus (false for replay and listen-only). */
  readonly canSend: boolean;
  readonly stats: Readonly<CanSourceStats>;
  /** Opens the device / file and starts emitting frames. */
  open(): Promise<void>;
  /** Transmits a frame; rejects for sources that cannot send. */
  send(frame: CanFrame): Promise<void>;
  /** Stops emitting and releases the device; idempotent. */
  close(): Promise<void>;
}
