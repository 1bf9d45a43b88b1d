import type { ReadStream } from 'node:tty';
import { openPtyEnd } from './pty-end.js';
import {
  type SimCanFrame,
  SlcanDevice,
  type SlcanDeviceOptions,
  type TransmitHandler,
} from './slcan-device.js';

/**
 * A simulated SLCAN adapter on a pseudo-terminal: an SlcanDevice wired to the device end
 * of a pty pair (for instance socat's `pty,raw,echo=0` pair), so the host end behaves like
 * the `/dev/ttyACM0` of a real CANable. Test code drives the bus through `device`.
 */
export class SimulatedSlcanAdapter {
  private readonly closedPromise: Promise<void>;
  private stopped = false;

  private constructor(
    private readonly tty: ReadStream,
    readonly device: SlcanDevice,
    readonly path: string,
  ) {
    this.closedPromise = new Promise((resolve) => tty.once('close', () => resolve()));
    tty.on('data', (chunk: Buffer) => device.receive(chunk));
  }

  /** Opens the device end of a pty at `path` and starts answering the host. */
  static async open(
    path: string,
    options: SlcanDeviceOptions = {},
  ): Promise<SimulatedSlcanAdapter> {
    const tty = await openPtyEnd(path);
    let adapter: SimulatedSlcanAdapter | undefined;
    const device = new SlcanDevice((text) => adapter?.writeOut(text), options);
    adapter = new SimulatedSlcanAdapter(tty, device, path);
    return adapter;
  }

  /** Resolves when the pty end has closed (close(), or the pty pair went away). */
  get closed(): Promise<void> {
    return this.closedPromise;
  }

  /** A frame on the bus, passed to the host when the channel is open (see SlcanDevice). */
  emitFrame(frame: SimCanFrame, timestampMs?: number): boolean {
    return this.device.emitFrame(frame, timestampMs);
  }

  /** A garbled line, CR added, for fault tests. */
  injectGarbage(line: string): void {
    this.device.injectRaw(`${line}\r`);
  }

  /** Answers frames the host transmits (see SlcanDevice.onTransmit). */
  onTransmit(handler: TransmitHandler | undefined): void {
    this.device.onTransmit(handler);
  }

  private writeOut(text: string): void {
    if (this.stopped || this.tty.destroyed) return;
    this.tty.write(Buffer.from(text, 'latin1'));
  }

  /** Stops answering and releases the pty end; idempotent. */
  async close(): Promise<void> {
    this.stopped = true;
    if (!this.tty.destroyed) this.tty.destroy();
    await this.closedPromise;
  }
}
