import { CanFrameInvalidError, CanLineError } from '../errors.js';
import { type CanFrame, MAX_EXTENDED_ID, MAX_STANDARD_ID } from './frame.js';

/**
 * The Lawicel SLCAN line protocol (CAN232 / CANUSB manuals), pure: no I/O, no clock.
 *
 * Host → adapter, each command terminated by CR:
 *   Sn          set a standard bit rate, n = 0…8 (10k … 1M); only while the channel is closed
 *   O / L / C   open the channel / open it listen-only / close it
 *   Zn          time stamps off (0) / on (1): frames then end in 4 hex digits of milliseconds
 *   V / N / F   hardware+software version / serial number / status flags
 *   tiiiL<dd…>        transmit a standard (11-bit) data frame, L = 0…8 data bytes
 *   TiiiiiiiiL<dd…>   transmit an extended (29-bit) data frame
 *   riiiL / RiiiiiiiiL   transmit a remote frame asking for L bytes
 *
 * Adapter → host: received frames in the same t/T/r/R form (plus the time stamp when Z1),
 * and one reply per command: CR alone for OK, BEL (0x07, no CR) for an error, `z`/`Z` + CR
 * for a transmitted standard/extended frame (CANUSB; CANable and others answer a bare CR),
 * `Vhhss`, `Nxxxx`, `Fxx` for the queries.
 */

/** The bit rates `Sn` selects, indexed by n (CAN232 manual, command S). */
export const SLCAN_BITRATES = [
  10_000, 20_000, 50_000, 100_000, 125_000, 250_000, 500_000, 800_000, 1_000_000,
] as const;

export type SlcanBitrate = (typeof SLCAN_BITRATES)[number];

export function isSlcanBitrate(value: number): value is SlcanBitrate {
  return (SLCAN_BITRATES as readonly number[]).includes(value);
}

/** `S6\r` for 500 kbit/s. */
export function bitrateCommand(bitrate: SlcanBitrate): string {
  return `S${SLCAN_BITRATES.indexOf(bitrate)}\r`;
}

/** The fixed commands, CR included. */
export const SlcanCommand = {
  open: 'O\r',
  openListenOnly: 'L\r',
  close: 'C\r',
  timestampsOff: 'Z0\r',
  timestampsOn: 'Z1\r',
  version: 'V\r',
  serialNumber: 'N\r',
  statusFlags: 'F\r',
} as const;

/** `500k`, `1M`: how bit rates appear in names and messages. */
export function formatBitrate(bitrate: number): string {
  return bitrate >= 1_000_000 && bitrate % 1_000_000 === 0
    ? `${bitrate / 1_000_000}M`
    : `${bitrate / 1000}k`;
}

/** The adapter's time stamps count milliseconds and wrap after one minute (0…0xEA5F). */
export const SLCAN_TIMESTAMP_PERIOD_MS = 60_000;

/** The longest valid line: `T` + 8 id + 1 length + 16 data + 4 time stamp digits. */
export const SLCAN_MAX_LINE = 30;

const hex = (value: number, digits: number) =>
  value.toString(16).toUpperCase().padStart(digits, '0');

/**
 * Encodes a frame as a transmit command, CR included. Classic CAN only: SLCAN has no
 * letters for CAN FD (the `d`/`b` extensions are not Lawicel) and no way to send an error
 * frame, so those are refused with CanFrameInvalidError rather than silently truncated.
 */
export function encodeSlcanFrame(frame: CanFrame): string {
  if (frame.fd) throw new CanFrameInvalidError('SLCAN (Lawicel) cannot transmit CAN FD frames');
  if (frame.error) throw new CanFrameInvalidError('an error frame cannot be transmitted');
  const max = frame.extended ? MAX_EXTENDED_ID : MAX_STANDARD_ID;
  if (!Number.isInteger(frame.id) || frame.id < 0 || frame.id > max) {
    throw new CanFrameInvalidError(
      `frame id 0x${frame.id.toString(16)} does not fit a ${frame.extended ? '29' : '11'}-bit id`,
    );
  }
  const dlc = frame.remote ? frame.dlc : frame.data.length;
  if (!Number.isInteger(dlc) || dlc < 0 || dlc > 8) {
    throw new CanFrameInvalidError(`a classic CAN frame carries 0 to 8 bytes, not ${dlc}`);
  }
  const letter = frame.remote ? (frame.extended ? 'R' : 'r') : frame.extended ? 'T' : 't';
  const id = hex(frame.id, frame.extended ? 8 : 3);
  const data = frame.remote ? '' : Buffer.from(frame.data).toString('hex').toUpperCase();
  return `${letter}${id}${dlc}${data}\r`;
}

/** A frame as the adapter reported it, before the host gives it a time. */
export interface SlcanFrameLine {
  id: number;
  extended: boolean;
  remote: boolean;
  dlc: number;
  data: Uint8Array;
  /** The adapter's millisecond time stamp (0…59999) when time stamps are on. */
  adapterMs?: number;
}

/** One thing the adapter said: a received frame, a reply, or a line that makes no sense. */
export type SlcanMessage =
  | { kind: 'frame'; frame: SlcanFrameLine }
  /** CR alone: the last command succeeded. */
  | { kind: 'ok' }
  /** BEL: the last command failed. */
  | { kind: 'bel' }
  /** `z` / `Z`: a standard / extended frame was queued for transmission (CANUSB). */
  | { kind: 'transmitted'; extended: boolean }
  | { kind: 'version'; hardware: string; software: string }
  | { kind: 'serial'; serial: string }
  | { kind: 'status'; flags: number }
  | { kind: 'invalid'; line: string; error: CanLineError };

const HEX = /^[0-9A-Fa-f]+$/;

function invalid(line: string, why: string): SlcanMessage {
  return {
    kind: 'invalid',
    line,
    error: new CanLineError(`SLCAN line "${printable(line)}" ${why}`, { line }),
  };
}

/** Control characters shown as \xNN so an error message stays one readable line. */
function printable(line: string): string {
  const shown = line.length > 40 ? `${line.slice(0, 40)}…` : line;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: escaping them is the point
  return shown.replace(/[\x00-\x1f\x7f-\xff]/g, (c) => `\\x${hex(c.charCodeAt(0), 2)}`);
}

/**
 * Decodes one line the adapter sent (without its CR). Never throws: a line that is not
 * a frame or a reply comes back as `invalid` carrying a CanLineError.
 */
export function decodeSlcanLine(line: string): SlcanMessage {
  if (line === '') return { kind: 'ok' };
  const letter = line[0];
  switch (letter) {
    case 't':
    case 'T':
    case 'r':
    case 'R':
      return decodeFrame(line);
    case 'z':
    case 'Z':
      return line.length === 1
        ? { kind: 'transmitted', extended: letter === 'Z' }
        : invalid(line, 'is not a transmit acknowledgement (z or Z alone)');
    case 'V':
      // Vhhss: two digits of hardware and two of software version (CAN232 manual, V).
      return /^V[0-9A-Za-z]{4}$/.test(line)
        ? { kind: 'version', hardware: line.slice(1, 3), software: line.slice(3, 5) }
        : invalid(line, 'is not a version reply (V and 4 digits)');
    case 'N':
      return /^N[0-9A-Za-z]{4}$/.test(line)
        ? { kind: 'serial', serial: line.slice(1) }
        : invalid(line, 'is not a serial number reply (N and 4 characters)');
    case 'F':
      return /^F[0-9A-Fa-f]{2}$/.test(line)
        ? { kind: 'status', flags: Number.parseInt(line.slice(1), 16) }
        : invalid(line, 'is not a status reply (F and 2 hex digits)');
    default:
      return invalid(line, 'is neither a frame nor a reply');
  }
}

function decodeFrame(line: string): SlcanMessage {
  const extended = line[0] === 'T' || line[0] === 'R';
  const remote = line[0] === 'r' || line[0] === 'R';
  const idDigits = extended ? 8 : 3;
  const idText = line.slice(1, 1 + idDigits);
  const dlcText = line[1 + idDigits] ?? '';
  if (idText.length !== idDigits || !HEX.test(idText)) {
    return invalid(line, `lacks a ${idDigits}-hex-digit id`);
  }
  if (!/^[0-8]$/.test(dlcText)) return invalid(line, 'lacks a length digit 0 to 8');
  const id = Number.parseInt(idText, 16);
  if (id > (extended ? MAX_EXTENDED_ID : MAX_STANDARD_ID)) {
    return invalid(line, `has id 0x${idText} beyond ${extended ? '0x1FFFFFFF' : '0x7FF'}`);
  }
  const dlc = Number(dlcText);
  const rest = line.slice(2 + idDigits);
  const dataDigits = remote ? 0 : dlc * 2;
  // The time stamp's presence is read from the length, not from what Z was last set to:
  // CANUSB keeps Z in EEPROM, so an adapter may stamp frames without being asked.
  if (rest.length !== dataDigits && rest.length !== dataDigits + 4) {
    return invalid(line, `should carry ${dataDigits} data digits (+4 for a time stamp)`);
  }
  if (rest.length > 0 && !HEX.test(rest)) return invalid(line, 'has a non-hex digit');
  const data = remote
    ? new Uint8Array(0)
    : Uint8Array.from({ length: dlc }, (_, i) => Number.parseInt(rest.slice(i * 2, i * 2 + 2), 16));
  const result: SlcanFrameLine = { id, extended, remote, dlc, data };
  if (rest.length === dataDigits + 4) {
    const adapterMs = Number.parseInt(rest.slice(dataDigits), 16);
    if (adapterMs >= SLCAN_TIMESTAMP_PERIOD_MS) {
      return invalid(line, 'has a time stamp beyond 0xEA5F (59999 ms)');
    }
    result.adapterMs = adapterMs;
  }
  return { kind: 'frame', frame: result };
}

const CR = 0x0d;
const LF = 0x0a;
const BEL = 0x07;

/**
 * Splits the adapter's byte stream into messages. Lines end in CR; BEL is a complete reply
 * by itself (it carries no CR); a stray LF (adapters that end lines in CR LF) is ignored.
 * A line longer than any valid one is reported once and skipped up to its CR, so a stream
 * of noise cannot grow the buffer. Never throws, whatever the bytes.
 */
export class SlcanLineReader {
  private partial = '';
  private overflowing = false;

  push(chunk: Uint8Array): SlcanMessage[] {
    const out: SlcanMessage[] = [];
    for (const byte of chunk) {
      if (byte === CR) {
        if (this.overflowing) this.overflowing = false;
        else out.push(decodeSlcanLine(this.partial));
        this.partial = '';
      } else if (byte === BEL) {
        // A BEL inside a line means the line before it was cut off.
        if (this.partial !== '' && !this.overflowing) {
          out.push(invalid(this.partial, 'was cut short by BEL'));
        }
        this.partial = '';
        this.overflowing = false;
        out.push({ kind: 'bel' });
      } else if (byte === LF) {
        // ignored: Lawicel ends lines in CR only
      } else if (this.overflowing) {
        // skipping the rest of an overlong line
      } else if (this.partial.length >= SLCAN_MAX_LINE) {
        out.push(invalid(this.partial, `is longer than ${SLCAN_MAX_LINE} characters`));
        this.partial = '';
        this.overflowing = true;
      } else {
        this.partial += String.fromCharCode(byte);
      }
    }
    return out;
  }
}
