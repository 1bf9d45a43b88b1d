import {
  CanSendUnsupportedError,
  CanSourceUnavailableError,
  EdgeConfigError,
  SlcanRejectedError,
} from '../errors.js';
import type { CanFrame } from './frame.js';
import { SerialLink } from './serial-link.js';
import { SlcanClock } from './slcan-clock.js';
import {
  bitrateCommand,
  encodeSlcanFrame,
  formatBitrate,
  isSlcanBitrate,
  type SlcanBitrate,
  SlcanCommand,
  type SlcanFrameLine,
  SlcanLineReader,
  type SlcanMessage,
} from './slcan-protocol.js';
import type { CanSource } from './source.js';
import { CanSourceBase, epochMicros } from './source-base.js';

export interface SlcanSourceOptions {
  /** Serial device, e.g. `/dev/ttyACM0`. */
  path: string;
  /**
   * Serial line speed. Default 115200. USB CDC adapters (CANable, USBtin) ignore it; those
   * behind a USB-UART bridge (CANUSB's FTDI) need the speed they were set to.
   */
  baudRate?: number;
  /** CAN bit rate, one the `Sn` command knows (10k … 1M). Default 500 kbit/s. */
  bitrate?: SlcanBitrate;
  /**
   * Open with `L` (listen-only: the adapter never ACKs or transmits) instead of `O`. The
   * original CANable slcan firmware lacks `L` and answers BEL, which fails open().
   */
  listenOnly?: boolean;
  /**
   * true sends Z1 (the adapter stamps frames), false sends Z0; left out, Z is not sent at
   * all, because adapters without time stamps (CANable's slcan firmware) answer Z with BEL.
   * Stamped frames are recognised by their length either way.
   */
  timestamps?: boolean;
  /** How long to wait for the adapter's reply to each command. Default 1000 ms. */
  replyTimeoutMs?: number;
}

type ReplyKind = Exclude<SlcanMessage['kind'], 'frame' | 'invalid'>;
type Reply<K extends ReplyKind> = Extract<SlcanMessage, { kind: K }>;

interface Pending {
  what: string;
  /** The replies that answer this command; BEL among them when it is no failure. */
  accepts: readonly ReplyKind[];
  /** Runs as the reply is matched, before any further line is read. */
  onAccepted?: () => void;
  resolve: (reply: SlcanMessage) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

type State = 'new' | 'opening' | 'open' | 'failed' | 'gone' | 'closed';

/**
 * A CAN source on an SLCAN (Lawicel) adapter — CANable, USBtin, CANUSB and their clones —
 * over a serial port.
 *
 * Commands go one at a time: each waits for its reply (CR, BEL, z/Z or a query answer)
 * before the next is written, because the replies carry no tag to match them by. A reply
 * that arrives after its command timed out is dropped when nothing is outstanding; if it
 * arrives while a later command waits, that command takes it — the protocol gives no way
 * to tell, which is why the timeout is generous.
 */
export class SlcanSource extends CanSourceBase implements CanSource {
  readonly name: string;
  private readonly path: string;
  private readonly baudRate: number;
  private readonly bitrate: SlcanBitrate;
  private readonly listenOnly: boolean;
  private readonly timestamps: boolean | undefined;
  private readonly replyTimeoutMs: number;

  private state: State = 'new';
  private link: SerialLink | undefined;
  private readonly reader = new SlcanLineReader();
  private readonly clock = new SlcanClock();
  private pending: Pending | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private opening: Promise<void> | undefined;
  private closed: Promise<void> | undefined;

  constructor(options: SlcanSourceOptions) {
    super();
    this.path = options.path;
    this.baudRate = options.baudRate ?? 115_200;
    this.bitrate = options.bitrate ?? 500_000;
    this.listenOnly = options.listenOnly ?? false;
    this.timestamps = options.timestamps;
    this.replyTimeoutMs = options.replyTimeoutMs ?? 1000;
    const problems: string[] = [];
    if (!this.path) problems.push('path: name the serial device, e.g. /dev/ttyACM0');
    if (!isSlcanBitrate(this.bitrate)) {
      problems.push(
        `bitrate: ${this.bitrate} is not an SLCAN rate (10000, 20000, 50000, 100000, 125000, 250000, 500000, 800000, 1000000)`,
      );
    }
    if (!Number.isInteger(this.baudRate) || this.baudRate <= 0) {
      problems.push(`baudRate: ${this.baudRate} must be a positive integer`);
    }
    if (!(this.replyTimeoutMs > 0)) problems.push('replyTimeoutMs: must be above 0');
    if (problems.length > 0) {
      throw new EdgeConfigError(`invalid SLCAN source options: ${problems.join('; ')}`, problems);
    }
    this.name = `slcan:${this.path}@${formatBitrate(this.bitrate)}`;
  }

  get canSend(): boolean {
    return !this.listenOnly;
  }

  /**
   * Opens the port and runs the init sequence, each step waiting for its reply:
   * `C` twice, `Sn`, `Z0`/`Z1` if asked, then `O` or `L`.
   *
   * `C` goes twice because the first CR also ends whatever partial command an interrupted
   * earlier writer left in the adapter's line buffer (that line, and a `C` on a closed
   * channel, draw BEL, which is fine here); the second then surely closes the channel, since
   * `S` is refused while it is open. A bare CR would not do as a flush: CANable firmware
   * repeats its previous command on an empty line.
   *
   * A source opens once; on failure the port is released and a new source may try again.
   */
  open(): Promise<void> {
    this.opening ??= this.runOpen();
    return this.opening;
  }

  private async runOpen(): Promise<void> {
    if (this.closing) throw new CanSourceUnavailableError(`${this.name} is closed`);
    this.state = 'opening';
    const link = await SerialLink.open(this.path, this.baudRate);
    if (this.closing) {
      await link.close();
      throw new CanSourceUnavailableError(`${this.name} was closed while opening`);
    }
    this.link = link;
    link.on('data', (chunk) => this.onData(chunk));
    link.on('lost', (error) => this.onLost(error));
    try {
      await this.command(SlcanCommand.close, 'close the channel', ['ok', 'bel']);
      await this.command(SlcanCommand.close, 'close the channel', ['ok', 'bel']);
      await this.command(
        bitrateCommand(this.bitrate),
        `set the bit rate to ${formatBitrate(this.bitrate)}`,
        ['ok'],
      );
      if (this.timestamps !== undefined) {
        await this.command(
          this.timestamps ? SlcanCommand.timestampsOn : SlcanCommand.timestampsOff,
          `switch time stamps ${this.timestamps ? 'on' : 'off'}`,
          ['ok'],
        );
      }
      await this.command(
        this.listenOnly ? SlcanCommand.openListenOnly : SlcanCommand.open,
        this.listenOnly ? 'open the channel listen-only' : 'open the channel',
        ['ok'],
        // Frames right behind the OK in the same chunk belong to the open channel.
        { onAccepted: () => (this.state = 'open') },
      );
    } catch (err) {
      this.state = 'failed';
      await link.close();
      throw err;
    }
  }

  async send(frame: CanFrame): Promise<void> {
    if (this.listenOnly) throw new CanSendUnsupportedError(this.name);
    if (this.state !== 'open' || this.closing) {
      throw new CanSourceUnavailableError(`${this.name} is not open`);
    }
    const line = encodeSlcanFrame(frame);
    await this.command(line, `transmit ${line.slice(0, -1)}`, ['ok', 'transmitted']);
  }

  /** `V`: hardware and software version, two digits each. */
  async version(): Promise<{ hardware: string; software: string }> {
    const r = await this.command(SlcanCommand.version, 'report its version', ['version']);
    return { hardware: r.hardware, software: r.software };
  }

  /** `N`: the adapter's serial number. */
  async serialNumber(): Promise<string> {
    const r = await this.command(SlcanCommand.serialNumber, 'report its serial number', ['serial']);
    return r.serial;
  }

  /**
   * `F`: the status flags (CAN232 manual, command F): bit 0 receive FIFO full, 1 transmit
   * FIFO full, 2 error warning, 3 data overrun, 5 error passive, 6 arbitration lost,
   * 7 bus error. Reading them clears them on the adapter.
   */
  async statusFlags(): Promise<number> {
    const r = await this.command(SlcanCommand.statusFlags, 'report its status flags', ['status']);
    return r.flags;
  }

  /** Closes the channel (`C`, best effort) and the port; idempotent. */
  close(): Promise<void> {
    this.closed ??= this.runClose();
    return this.closed;
  }

  private async runClose(): Promise<void> {
    this.closing = true;
    if (this.opening) {
      // An open still in progress gives up at its next step.
      this.failPending(new CanSourceUnavailableError(`${this.name} was closed while opening`));
      await this.opening.catch(() => {});
    }
    const link = this.link;
    if (this.state === 'open' && link?.isOpen) {
      await this.command(SlcanCommand.close, 'close the channel', ['ok', 'bel']).catch(() => {});
    }
    this.state = 'closed';
    await link?.close();
  }

  private onData(chunk: Buffer): void {
    const hostUs = epochMicros();
    for (const message of this.reader.push(chunk)) {
      switch (message.kind) {
        case 'frame':
          // Frames before our `O`/`L` was answered were left over from before this open.
          if (this.state === 'open') this.deliver(this.toCanFrame(message.frame, hostUs));
          break;
        case 'invalid':
          this.report(message.error);
          break;
        default:
          this.onReply(message);
      }
    }
  }

  private onReply(reply: Reply<ReplyKind>): void {
    const pending = this.pending;
    if (!pending) {
      // A BEL nobody asked for is the adapter complaining; a stray OK is a late reply.
      if (reply.kind === 'bel') {
        this.report(new SlcanRejectedError(`${this.name}: the adapter signalled an error (BEL)`));
      }
      return;
    }
    this.pending = undefined;
    clearTimeout(pending.timer);
    if (pending.accepts.includes(reply.kind)) {
      pending.onAccepted?.();
      pending.resolve(reply);
    } else if (reply.kind === 'bel') {
      pending.reject(
        new SlcanRejectedError(`${this.name}: the adapter refused to ${pending.what} (BEL)`, {
          command: pending.what,
        }),
      );
    } else {
      pending.reject(
        new SlcanRejectedError(
          `${this.name}: unexpected reply "${reply.kind}" when asked to ${pending.what}`,
          { command: pending.what, reply: reply.kind },
        ),
      );
    }
  }

  private onLost(error: Error): void {
    const gone = new CanSourceUnavailableError(`${this.name}: the device went away`, {
      path: this.path,
      cause: error,
    });
    this.failPending(gone);
    // While opening, open() rejects with this; events are for a source that was open.
    if (this.state !== 'open') return;
    this.state = 'gone';
    this.report(gone);
    this.finish();
    void this.link?.close();
  }

  private failPending(error: Error): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    clearTimeout(pending.timer);
    pending.reject(error);
  }

  /** Writes one command and waits for its reply; commands run strictly one after another. */
  private command<K extends ReplyKind>(
    text: string,
    what: string,
    accepts: readonly K[],
    extra: { onAccepted?: () => void } = {},
  ): Promise<Reply<K>> {
    const run = () =>
      new Promise<Reply<K>>((resolve, reject) => {
        const link = this.link;
        const usable = this.state === 'open' || (this.state === 'opening' && !this.closing);
        if (!link?.isOpen || !usable) {
          reject(new CanSourceUnavailableError(`${this.name} is not open (asked to ${what})`));
          return;
        }
        const pending: Pending = {
          what,
          accepts,
          onAccepted: extra.onAccepted,
          // Only a reply of a kind in `accepts` resolves, so the cast holds.
          resolve: resolve as (reply: SlcanMessage) => void,
          reject,
          timer: setTimeout(() => {
            if (this.pending !== pending) return;
            this.pending = undefined;
            reject(
              new CanSourceUnavailableError(
                `${this.name}: no reply within ${this.replyTimeoutMs} ms when asked to ${what} ` +
                  `(is it an SLCAN adapter, at ${this.baudRate} baud?)`,
                { command: what },
              ),
            );
          }, this.replyTimeoutMs),
        };
        this.pending = pending;
        link.write(text).catch((err: Error) => {
          if (this.pending !== pending) return;
          this.pending = undefined;
          clearTimeout(pending.timer);
          reject(err);
        });
      });
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => {});
    return result;
  }

  private toCanFrame(line: SlcanFrameLine, hostUs: number): CanFrame {
    return {
      id: line.id,
      extended: line.extended,
      remote: line.remote,
      fd: false,
      error: false,
      data: line.data,
      dlc: line.dlc,
      timeUs: line.adapterMs === undefined ? hostUs : this.clock.toEpochUs(line.adapterMs, hostUs),
    };
  }
}
