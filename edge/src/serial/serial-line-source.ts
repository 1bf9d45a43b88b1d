import { SerialPort } from 'serialport';
import { SerialUnavailableError } from '../errors.js';
import type { Reading } from '../signals/reading.js';
import { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF } from './backoff.js';
import { DecodingSource } from './decoding-source.js';
import { LineFramer } from './line-framer.js';
import type { Decoded, LineDecoder, LineSourceStats } from './line-source.js';

/** The part of serialport's SerialPort the source uses (a fake stands in for it in tests). */
export interface SerialPortLike {
  readonly isOpen: boolean;
  open(callback: (err: Error | null) => void): void;
  close(callback?: (err: Error | null) => void): void;
  on(event: 'data', listener: (chunk: Buffer) => void): this;
  on(event: 'close', listener: (err?: Error | null) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  removeAllListeners(): this;
}

export type PortOpener = (options: { path: string; baudRate: number }) => SerialPortLike;

export const openSerialPort: PortOpener = ({ path, baudRate }) =>
  new SerialPort({ path, baudRate, autoOpen: false });

export interface SerialLineSourceOptions {
  /** Device path, e.g. `/dev/ttyUSB0` or a pseudo-terminal. */
  readonly path: string;
  readonly baudRate: number;
  readonly decoder: LineDecoder;
  /** Defaults to `serial:<path>@<baud>`. */
  readonly name?: string;
  /** Delays between attempts to reopen a device that went away. */
  readonly backoff?: Partial<BackoffOptions>;
  /**
   * When set, the decoder is flushed after this long without data, so the last group of an
   * input that sends in bursts (a GNSS epoch) is emitted without waiting for the next burst.
   */
  readonly idleFlushMs?: number;
  readonly maxLineBytes?: number;
  readonly openPort?: PortOpener;
  /** Host clock in milliseconds (injectable for tests). */
  readonly now?: () => number;
}

export interface SerialLineSourceStats extends LineSourceStats {
  /** Times the device went away while open. */
  disconnects: number;
  /** Times it was reopened after that. */
  reconnects: number;
}

export type SerialLineSourceState = 'closed' | 'opening' | 'open' | 'reconnecting';

/**
 * A line-based input on a serial device. Lines are framed, decoded with the given decoder
 * (stamped with the host clock on arrival) and emitted as readings.
 *
 * If the device goes away (USB receiver unplugged, pseudo-terminal closed), the source emits
 * `disconnect`, flushes what the decoder holds, and reopens the same path with exponential
 * backoff until it succeeds (`connect`) or close() is called. Only the first open reports a
 * failure to the caller: a wrong path at start-up is a configuration problem, a device that
 * disappears later is something to ride out.
 */
export class SerialLineSource extends DecodingSource {
  private readonly options: SerialLineSourceOptions;
  private readonly backoff: BackoffOptions;
  private readonly framer: LineFramer;
  private readonly now: () => number;
  private port: SerialPortLike | undefined;
  private current: SerialLineSourceState = 'closed';
  private reconnectTimer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private disconnects = 0;
  private reconnects = 0;

  constructor(options: SerialLineSourceOptions) {
    super(options.name ?? `serial:${options.path}@${options.baudRate}`, options.decoder);
    this.options = options;
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.framer = new LineFramer(options.maxLineBytes);
    this.now = options.now ?? Date.now;
  }

  get state(): SerialLineSourceState {
    return this.current;
  }

  override get stats(): Readonly<SerialLineSourceStats> {
    return { ...this.counters, disconnects: this.disconnects, reconnects: this.reconnects };
  }

  /** Opens the device; rejects with the driver's error if the first attempt fails. */
  async open(): Promise<void> {
    if (this.current !== 'closed') return;
    this.current = 'opening';
    let port: SerialPortLike;
    try {
      port = await this.openOnce();
    } catch (err) {
      if (this.current === 'opening') this.current = 'closed';
      throw err;
    }
    if (this.current !== 'opening') {
      // close() ran while the device was being opened: release it again.
      await new Promise<void>((resolve) => port.close(() => resolve()));
      port.removeAllListeners();
      port.on('error', () => {});
      return;
    }
    this.port = port;
    this.current = 'open';
    this.emit('connect');
  }

  async close(): Promise<void> {
    if (this.current === 'closed') return;
    this.current = 'closed';
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.idleTimer);
    const port = this.port;
    this.port = undefined;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    port?.removeAllListeners();
    // serialport may still report a late error on a closed port; with no listener it would throw.
    port?.on('error', () => {});
    // A partial line at close is cut off, not a line to decode.
    this.framer.reset();
    this.deliver(this.guard(() => this.decoder.end()));
  }

  private openOnce(): Promise<SerialPortLike> {
    const { path, baudRate } = this.options;
    const openPort = this.options.openPort ?? openSerialPort;
    return new Promise((resolve, reject) => {
      let port: SerialPortLike;
      const unavailable = (err: unknown) =>
        new SerialUnavailableError(`cannot open serial port ${path}: ${(err as Error).message}`, {
          cause: err,
        });
      try {
        port = openPort({ path, baudRate });
      } catch (err) {
        reject(unavailable(err));
        return;
      }
      // Without an 'error' listener an asynchronous driver error would crash the process;
      // losing the device is handled through 'close', so errors need no action of their own.
      port.on('error', () => {});
      port.open((err) => {
        if (err) {
          port.removeAllListeners();
          port.on('error', () => {});
          reject(unavailable(err));
          return;
        }
        port.on('data', (chunk) => this.onData(port, chunk));
        port.on('close', (closeErr) => this.onPortClosed(port, closeErr));
        resolve(port);
      });
    });
  }

  private onData(port: SerialPortLike, chunk: Buffer): void {
    if (port !== this.port || this.current !== 'open') return;
    const framed = this.framer.push(chunk);
    for (let i = 0; i < framed.overlong; i++)
      this.refuse(this.decoder.tooLong(this.framer.maxLineBytes));
    this.deliver(this.framedLines(framed.lines));
    this.armIdleFlush();
  }

  /** Decodes lines that arrived together; they share one receive time. */
  private framedLines(lines: readonly string[]): Decoded {
    const receivedAtUs = this.now() * 1000;
    const readings: Reading[] = [];
    const errors: Error[] = [];
    for (const line of lines) {
      const decoded = this.decodeLine(line, receivedAtUs);
      readings.push(...decoded.readings);
      errors.push(...decoded.errors);
    }
    return { readings, errors };
  }

  private armIdleFlush(): void {
    const idleMs = this.options.idleFlushMs;
    if (idleMs === undefined) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.current === 'open')
        this.deliver(this.guard(() => this.decoder.flush(this.now() * 1000)));
    }, idleMs);
  }

  private onPortClosed(port: SerialPortLike, err: Error | null | undefined): void {
    if (port !== this.port || this.current !== 'open') return;
    clearTimeout(this.idleTimer);
    this.port = undefined;
    port.removeAllListeners();
    port.on('error', () => {});
    this.framer.reset();
    this.disconnects++;
    this.current = 'reconnecting';
    this.deliver(this.guard(() => this.decoder.flush(this.now() * 1000)));
    this.emit('disconnect', err ?? new Error(`${this.options.path} closed`));
    this.scheduleReconnect(0);
  }

  private scheduleReconnect(attempt: number): void {
    this.reconnectTimer = setTimeout(
      async () => {
        if (this.current !== 'reconnecting') return;
        let port: SerialPortLike;
        try {
          port = await this.openOnce();
        } catch {
          if (this.current === 'reconnecting') this.scheduleReconnect(attempt + 1);
          return;
        }
        if (this.current !== 'reconnecting') {
          // close() ran while this attempt was opening the device.
          port.close();
          return;
        }
        this.port = port;
        this.current = 'open';
        this.reconnects++;
        this.emit('connect');
      },
      backoffDelay(attempt, this.backoff),
    );
  }
}
