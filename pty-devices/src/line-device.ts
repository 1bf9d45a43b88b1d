import type { ReadStream } from 'node:tty';
import { openPtyEnd } from './pty-end.js';

/**
 * A simulated serial device that sends text lines (a GPS receiver, an IMU board) on the
 * device end of a pseudo-terminal. Lines end in CR LF, as NMEA 0183 and the `$IMU` protocol
 * send them.
 *
 * A real UART does not wait for a reader: with nobody on the host end, its bytes are lost.
 * Here they would pile up in memory instead, so past `maxBufferedBytes` of unsent output a
 * line is dropped and counted, like an overrun.
 */
export interface LineDeviceStats {
  /** Lines handed to the pty. */
  readonly lines: number;
  /** Lines dropped because the host end was not reading. */
  readonly dropped: number;
}

export class PtyLineDevice {
  private readonly closedPromise: Promise<void>;
  private sent = 0;
  private overrun = 0;

  private constructor(
    private readonly tty: ReadStream,
    readonly path: string,
    private readonly maxBufferedBytes: number,
  ) {
    this.closedPromise = new Promise((resolve) => tty.once('close', () => resolve()));
    // What the host writes to the device (configuration commands) is not acted on.
    tty.resume();
  }

  static async open(path: string, options: { maxBufferedBytes?: number } = {}) {
    return new PtyLineDevice(await openPtyEnd(path), path, options.maxBufferedBytes ?? 64 * 1024);
  }

  get stats(): LineDeviceStats {
    return { lines: this.sent, dropped: this.overrun };
  }

  /** Resolves when the pty end has closed (close(), or the pty pair went away). */
  get closed(): Promise<void> {
    return this.closedPromise;
  }

  /** Sends lines (without line endings); false when they were dropped. */
  writeLines(lines: readonly string[]): boolean {
    if (lines.length === 0) return true;
    if (this.tty.destroyed || this.tty.writableLength > this.maxBufferedBytes) {
      this.overrun += lines.length;
      return false;
    }
    this.tty.write(Buffer.from(`${lines.join('\r\n')}\r\n`, 'latin1'));
    this.sent += lines.length;
    return true;
  }

  /** Stops sending and releases the pty end; idempotent. */
  async close(): Promise<void> {
    if (!this.tty.destroyed) this.tty.destroy();
    await this.closedPromise;
  }
}
