import { EventEmitter } from 'node:events';
import { SerialPort } from 'serialport';
import { CanSourceUnavailableError } from '../errors.js';
import { eofAwareBinding } from './serial-eof-binding.js';

export interface SerialLinkEvents {
  data: [Buffer];
  /** The port closed without close() being called: unplugged, or the pty's far side gone. */
  lost: [Error];
}

/**
 * A serial port as a byte pipe with promises: open, write, close, and a `lost` event when
 * the device disappears. Knows nothing of SLCAN.
 */
export class SerialLink extends EventEmitter<SerialLinkEvents> {
  private closedByUs = false;

  private constructor(
    private readonly port: SerialPort,
    readonly path: string,
  ) {
    super();
    port.on('data', (chunk: Buffer) => this.emit('data', chunk));
    // The stream reports a read error ('error') and then closes; a disconnect arrives as
    // 'close' with an error whose `disconnected` is true. Either way the device is gone.
    let lost = false;
    const onLost = (error: Error) => {
      if (this.closedByUs || lost) return;
      lost = true;
      this.emit('lost', error);
    };
    port.on('error', onLost);
    port.on('close', (error?: Error | null) => {
      onLost(error ?? new Error('the serial port closed'));
    });
    // End of input: the tty was hung up (see serial-eof-binding.ts).
    port.on('end', () => onLost(new Error('the serial line was hung up (end of file)')));
  }

  /** Opens `path`; CanSourceUnavailableError when it does not exist or cannot be opened. */
  static async open(path: string, baudRate: number): Promise<SerialLink> {
    let port: SerialPort;
    try {
      port = new SerialPort({
        path,
        baudRate,
        autoOpen: false,
        binding: eofAwareBinding,
      } as ConstructorParameters<typeof SerialPort>[0]);
    } catch (err) {
      throw new CanSourceUnavailableError(`cannot open serial port ${path}: ${message(err)}`, {
        path,
        cause: err,
      });
    }
    await new Promise<void>((resolve, reject) => {
      port.open((err) =>
        err
          ? reject(
              new CanSourceUnavailableError(`cannot open serial port ${path}: ${err.message}`, {
                path,
                cause: err,
              }),
            )
          : resolve(),
      );
    });
    return new SerialLink(port, path);
  }

  get isOpen(): boolean {
    return this.port.isOpen && !this.closedByUs;
  }

  write(bytes: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.isOpen) {
        reject(new CanSourceUnavailableError(`serial port ${this.path} is not open`));
        return;
      }
      this.port.write(Buffer.from(bytes, 'latin1'), (err) =>
        err
          ? reject(
              new CanSourceUnavailableError(`writing to ${this.path} failed: ${err.message}`, {
                path: this.path,
                cause: err,
              }),
            )
          : resolve(),
      );
    });
  }

  /** Closes the port; idempotent, and quiet when the device is already gone. */
  close(): Promise<void> {
    this.closedByUs = true;
    if (!this.port.isOpen) return Promise.resolve();
    return new Promise((resolve) => this.port.close(() => resolve()));
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
