import { EventEmitter } from 'node:events';

/**
 * The device side of the Lawicel SLCAN protocol (CAN232 / CANUSB manuals), as a CANable
 * or USBtin behaves towards its host: pure state and text, no I/O. It is written apart
 * from the edge package's host-side codec on purpose, so a misreading of the protocol on one
 * side is not silently mirrored on the other.
 *
 * Commands it answers (CR = OK, BEL = error):
 *   Sn        bit rate n = 0…8, only while closed, only rates in `bitrates`
 *   O / L     open / open listen-only, only while closed and once a bit rate is set
 *   C         close, only while open (a closed CANUSB answers BEL)
 *   Zn        time stamps off/on: received frames then end in 4 hex digits of ms (mod 60000)
 *   V / N / F version / serial number / status flags (F only while open)
 *   t/T/r/R   transmit, only while open and not listen-only; answered CR, or z/Z in
 *             `ack: 'z'` mode (CANUSB); BEL while closed, listen-only, or when malformed
 */

/** A frame as the simulator handles it; the edge package's CanFrame fits this shape. */
export interface SimCanFrame {
  readonly id: number;
  readonly extended: boolean;
  readonly remote?: boolean;
  readonly data: ArrayLike<number>;
  /** For remote frames: how many bytes are requested. Defaults to data.length. */
  readonly dlc?: number;
}

/** What the device answers to a frame the host transmits: frames to put on the "bus". */
export type TransmitHandler = (frame: SimCanFrame) => readonly SimCanFrame[] | undefined;

export interface SlcanDeviceOptions {
  /** `S` codes the device accepts (a USBtin takes all; some clones lack S7). Default 0…8. */
  bitrates?: readonly number[];
  /** Reply to a transmit: `cr` (CANable, USBtin) or `z` (`z`/`Z` like a CANUSB). */
  ack?: 'cr' | 'z';
  /** `V` reply digits: hardware (2) and software (2) version. Default "1013". */
  version?: string;
  /** `N` reply: 4 characters. Default "SIM1". */
  serial?: string;
  /** The device's millisecond clock for time stamps. Default: ms since the device was made. */
  clockMs?: () => number;
}

export interface SlcanDeviceEvents {
  /** Every command line the host sent, without its CR, after it was answered. */
  command: [string];
  /** A frame the host transmitted and the device accepted. */
  transmit: [SimCanFrame];
}

export type ChannelState = 'closed' | 'open' | 'listen-only';

const BIT_RATES = [
  10_000, 20_000, 50_000, 100_000, 125_000, 250_000, 500_000, 800_000, 1_000_000,
] as const;
const OK = '\r';
const BEL = '\x07';
/** Longer than any valid command (`T` + 8 + 1 + 16 = 26); the rest of the line is refused. */
const MAX_COMMAND = 32;
/** F flags (CAN232 manual): bit 1 = transmit FIFO full. */
const FLAG_TX_FULL = 0x02;

export class SlcanDevice extends EventEmitter<SlcanDeviceEvents> {
  private channel: ChannelState = 'closed';
  private bitrateValue: number | undefined;
  private timestampsOn = false;
  private txQueueFull = false;
  private unresponsive = false;
  private partial = '';
  private handler: TransmitHandler | undefined;
  private readonly accepted: readonly number[];
  private readonly ack: 'cr' | 'z';
  private readonly versionDigits: string;
  private readonly serialText: string;
  private readonly clockMs: () => number;
  /** Every command line received, in order (without CR). */
  readonly commands: string[] = [];
  /** Frames the host transmitted that the device accepted, in order. */
  readonly transmitted: SimCanFrame[] = [];

  /** `write` carries the device's output (replies and frames) to the host. */
  constructor(
    private readonly write: (text: string) => void,
    options: SlcanDeviceOptions = {},
  ) {
    super();
    this.accepted = options.bitrates ?? [0, 1, 2, 3, 4, 5, 6, 7, 8];
    this.ack = options.ack ?? 'cr';
    this.versionDigits = options.version ?? '1013';
    this.serialText = options.serial ?? 'SIM1';
    const start = Date.now();
    this.clockMs = options.clockMs ?? (() => Date.now() - start);
  }

  get state(): ChannelState {
    return this.channel;
  }

  /** The CAN bit rate set with `Sn`, in bit/s. */
  get bitrate(): number | undefined {
    return this.bitrateValue;
  }

  get timestamps(): boolean {
    return this.timestampsOn;
  }

  /** Answers transmitted frames (an ECU replying to an OBD-II request, say). */
  onTransmit(handler: TransmitHandler | undefined): void {
    this.handler = handler;
  }

  /** While set, transmits are refused with BEL and F reports the transmit FIFO full. */
  setTxQueueFull(full: boolean): void {
    this.txQueueFull = full;
  }

  /** While set, commands are recorded but not answered or acted on: a hung firmware. */
  setUnresponsive(unresponsive: boolean): void {
    this.unresponsive = unresponsive;
  }

  /** Bytes from the host. */
  receive(bytes: string | Uint8Array): void {
    const text = typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('latin1');
    for (const c of text) {
      if (c === '\r') {
        const line = this.partial;
        this.partial = '';
        this.execute(line);
      } else if (this.partial.length <= MAX_COMMAND) {
        this.partial += c;
      }
    }
  }

  /**
   * A frame seen on the bus, sent to the host as t/T/r/R (with a time stamp when Z1).
   * A closed channel passes nothing on; returns whether the frame went out.
   */
  emitFrame(frame: SimCanFrame, timestampMs?: number): boolean {
    if (this.channel === 'closed') return false;
    this.write(`${encodeFrame(frame)}${this.stamp(timestampMs)}\r`);
    return true;
  }

  /** Writes raw text to the host as is — a garbled line for fault tests. */
  injectRaw(text: string): void {
    this.write(text);
  }

  private stamp(timestampMs: number | undefined): string {
    if (!this.timestampsOn) return '';
    const ms = (timestampMs ?? this.clockMs()) % 60_000;
    return hex(Math.floor(ms), 4);
  }

  private execute(line: string): void {
    this.commands.push(line);
    if (this.unresponsive) {
      this.emit('command', line);
      return;
    }
    const answers = this.answer(line);
    this.write(answers.reply);
    this.emit('command', line);
    if (answers.transmitted) {
      this.emit('transmit', answers.transmitted);
      const responses = this.handler?.(answers.transmitted) ?? [];
      for (const response of responses) this.emitFrame(response);
    }
  }

  private answer(line: string): { reply: string; transmitted?: SimCanFrame } {
    const closed = this.channel === 'closed';
    switch (line[0]) {
      case 'S': {
        const n = line.length === 2 ? Number(line[1]) : Number.NaN;
        if (!closed || !this.accepted.includes(n)) return { reply: BEL };
        this.bitrateValue = BIT_RATES[n];
        return { reply: OK };
      }
      case 'O':
      case 'L':
        if (line.length !== 1 || !closed || this.bitrateValue === undefined) return { reply: BEL };
        this.channel = line === 'O' ? 'open' : 'listen-only';
        return { reply: OK };
      case 'C':
        if (line.length !== 1 || closed) return { reply: BEL };
        this.channel = 'closed';
        return { reply: OK };
      case 'Z':
        if (line !== 'Z0' && line !== 'Z1') return { reply: BEL };
        this.timestampsOn = line === 'Z1';
        return { reply: OK };
      case 'V':
        return { reply: line === 'V' ? `V${this.versionDigits}\r` : BEL };
      case 'N':
        return { reply: line === 'N' ? `N${this.serialText}\r` : BEL };
      case 'F': {
        if (line !== 'F' || closed) return { reply: BEL };
        const flags = this.txQueueFull ? FLAG_TX_FULL : 0;
        return { reply: `F${hex(flags, 2)}\r` };
      }
      case 't':
      case 'T':
      case 'r':
      case 'R': {
        const frame = decodeFrame(line);
        if (!frame || this.channel !== 'open' || this.txQueueFull) return { reply: BEL };
        this.transmitted.push(frame);
        const reply = this.ack === 'z' ? `${frame.extended ? 'Z' : 'z'}\r` : OK;
        return { reply, transmitted: frame };
      }
      default:
        return { reply: BEL };
    }
  }
}

function hex(value: number, digits: number): string {
  return value.toString(16).toUpperCase().padStart(digits, '0');
}

function encodeFrame(frame: SimCanFrame): string {
  const remote = frame.remote ?? false;
  const letter = frame.extended ? (remote ? 'R' : 'T') : remote ? 'r' : 't';
  const id = hex(frame.id, frame.extended ? 8 : 3);
  const bytes = Array.from(frame.data);
  const dlc = remote ? (frame.dlc ?? 0) : bytes.length;
  const data = remote ? '' : bytes.map((b) => hex(b, 2)).join('');
  return `${letter}${id}${dlc}${data}`;
}

/** A transmit command as the firmware checks it: id digits, length 0…8, exact data digits. */
function decodeFrame(line: string): SimCanFrame | undefined {
  const extended = line[0] === 'T' || line[0] === 'R';
  const remote = line[0] === 'r' || line[0] === 'R';
  const idDigits = extended ? 8 : 3;
  const match = new RegExp(`^.([0-9A-Fa-f]{${idDigits}})([0-8])([0-9A-Fa-f]*)$`).exec(line);
  if (!match) return undefined;
  const id = Number.parseInt(match[1] ?? '', 16);
  const dlc = Number(match[2]);
  const dataText = match[3] ?? '';
  if (id > (extended ? 0x1fff_ffff : 0x7ff)) return undefined;
  if (dataText.length !== (remote ? 0 : dlc * 2)) return undefined;
  const data = Array.from({ length: remote ? 0 : dlc }, (_, i) =>
    Number.parseInt(dataText.slice(i * 2, i * 2 + 2), 16),
  );
  return { id, extended, remote, data: Uint8Array.from(data), dlc };
}
