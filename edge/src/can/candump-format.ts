import { CanLineError } from '../errors.js';
import { type CanFrame, MAX_EXTENDED_ID, MAX_STANDARD_ID } from './frame.js';

/**
 * The can-utils compact frame format, as `candump -L` logs it:
 *
 *   (1436509052.249713) vcan0 044#2A366C2BBA       classic, 11-bit id (3 hex digits)
 *   (1436509052.249713) can0 12345678#DEADBEEF     classic, 29-bit id (8 hex digits)
 *   (1436509052.249713) can0 123#R                 remote frame (optionally #R<dlc>)
 *   (1436509052.249713) can0 123##1112233          CAN FD: ## then one flags nibble
 *   (1436509052.249713) can0 20000080#0000000000000000   error frame (CAN_ERR_FLAG set)
 *   (1436509052.249713) can0 123#11223344 R       with `candump -x`: R(eceived) / T(ransmitted)
 *
 * (can-utils lib.c, snprintf_canframe / parse_canframe; candump.c appends the direction.)
 */

const CAN_ERR_FLAG = 0x2000_0000;

export interface CandumpLine {
  /** The timestamp text exactly as logged, e.g. "1436509052.249713". */
  timestamp: string;
  iface: string;
  frame: CanFrame;
}

const NOT_A_LINE = 'not a candump -L line "(seconds.micros) iface frame"';

/** JavaScript's `\s`: ASCII whitespace, and the Unicode spaces beyond it. */
function isSpace(code: number): boolean {
  return (
    code === 32 || (code >= 9 && code <= 13) || (code > 127 && /\s/.test(String.fromCharCode(code)))
  );
}

const isDigit = (code: number) => code >= 48 && code <= 57;

/** Where the run of whitespace starting at i ends. */
function spacesEnd(line: string, i: number): number {
  while (i < line.length && isSpace(line.charCodeAt(i))) i++;
  return i;
}

/** Where the word (non-whitespace run) starting at i ends. */
function wordEnd(line: string, i: number): number {
  while (i < line.length && !isSpace(line.charCodeAt(i))) i++;
  return i;
}

/**
 * Parses one `candump -L` line — `(seconds.fraction) iface frame`, optionally followed by the
 * R/T direction `candump -x` logs (it does not change the frame) — and throws CanLineError
 * saying what is wrong. Scanned by hand rather than by a regular expression: a saturated bus
 * is ~8,750 lines a second, and the match arrays and captures were most of the garbage.
 */
export function parseCandumpLine(line: string): CandumpLine {
  const end = line.length;
  let i = 0;
  if (line.charCodeAt(i++) !== 40) throw new CanLineError(NOT_A_LINE); // (
  let secs = 0;
  const secsStart = i;
  for (; i < end && isDigit(line.charCodeAt(i)); i++) secs = secs * 10 + line.charCodeAt(i) - 48;
  if (i === secsStart || line.charCodeAt(i++) !== 46) throw new CanLineError(NOT_A_LINE); // .
  let micros = 0;
  const fracStart = i;
  for (; i < end && isDigit(line.charCodeAt(i)); i++) {
    if (i - fracStart < 6) micros = micros * 10 + line.charCodeAt(i) - 48;
  }
  const fracDigits = i - fracStart;
  if (fracDigits === 0 || line.charCodeAt(i) !== 41) throw new CanLineError(NOT_A_LINE); // )
  if (fracDigits < 6) micros *= 10 ** (6 - fracDigits);
  const timestampEnd = i++;
  // One or more spaces, a word (the interface), spaces, a word (the frame).
  const ifaceStart = spacesEnd(line, i);
  if (ifaceStart === i || ifaceStart === end) throw new CanLineError(NOT_A_LINE);
  const ifaceEnd = wordEnd(line, ifaceStart);
  const textStart = spacesEnd(line, ifaceEnd);
  if (textStart === ifaceEnd || textStart === end) throw new CanLineError(NOT_A_LINE);
  const textEnd = wordEnd(line, textStart);
  // Then only whitespace, or spaces, R or T, and whitespace.
  i = spacesEnd(line, textEnd);
  if (i < end) {
    const code = line.charCodeAt(i);
    if (i === textEnd || (code !== 82 && code !== 84)) throw new CanLineError(NOT_A_LINE); // R T
    if (spacesEnd(line, i + 1) < end) throw new CanLineError(NOT_A_LINE);
  }
  const timeUs = secs * 1_000_000 + micros;
  return {
    timestamp: line.slice(1, timestampEnd),
    iface: line.slice(ifaceStart, ifaceEnd),
    frame: parseCompactFrame(line.slice(textStart, textEnd), timeUs),
  };
}

/** The value of one hex digit's char code, or -1. */
function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  const lower = code | 0x20;
  if (lower >= 97 && lower <= 102) return lower - 87; // a-f, A-F
  return -1;
}

/**
 * The common case — a classic data frame with a 3- or 8-digit id and plain hex data — parsed
 * without intermediate strings (a saturated bus is ~8,750 lines a second). Anything else, or
 * anything malformed, returns undefined and goes through the full parser, which says what is
 * wrong.
 */
function parsePlainFrame(text: string, timeUs: number): CanFrame | undefined {
  const hash = text.indexOf('#');
  if (hash !== 3 && hash !== 8) return undefined;
  let raw = 0;
  for (let i = 0; i < hash; i++) {
    const d = hexDigit(text.charCodeAt(i));
    if (d < 0) return undefined;
    raw = raw * 16 + d;
  }
  const extended = hash === 8;
  if ((!extended && raw > MAX_STANDARD_ID) || (extended && raw & CAN_ERR_FLAG)) return undefined;
  const digits = text.length - hash - 1;
  if (digits % 2 !== 0 || digits > 16) return undefined;
  const data = new Uint8Array(digits / 2);
  for (let i = 0, at = hash + 1; i < data.length; i++, at += 2) {
    const hi = hexDigit(text.charCodeAt(at));
    const lo = hexDigit(text.charCodeAt(at + 1));
    if (hi < 0 || lo < 0) return undefined;
    data[i] = hi * 16 + lo;
  }
  const id = extended ? raw & MAX_EXTENDED_ID : raw;
  return { id, extended, remote: false, fd: false, error: false, data, dlc: data.length, timeUs };
}

/** Parses the `ID#DATA` part (also what `cansend` accepts, minus '.' separators). */
export function parseCompactFrame(text: string, timeUs: number): CanFrame {
  const plain = parsePlainFrame(text, timeUs);
  if (plain) return plain;
  const hash = text.indexOf('#');
  if (hash < 0) throw new CanLineError(`frame "${text}" has no '#'`);
  const idText = text.slice(0, hash);
  if (!/^[0-9A-Fa-f]+$/.test(idText) || (idText.length !== 3 && idText.length !== 8)) {
    throw new CanLineError(`frame id "${idText}" must be 3 (standard) or 8 (extended) hex digits`);
  }
  const raw = Number.parseInt(idText, 16);
  const extended = idText.length === 8;
  const error = extended && (raw & CAN_ERR_FLAG) !== 0;
  const id = extended ? raw & MAX_EXTENDED_ID : raw;
  if (!extended && id > MAX_STANDARD_ID) {
    throw new CanLineError(`standard frame id ${idText} exceeds 0x7FF`);
  }
  let rest = text.slice(hash + 1);
  let fd = false;
  if (rest.startsWith('#')) {
    // CAN FD: one hex nibble of flags (BRS, ESI), then the data.
    fd = true;
    if (!/^#[0-9A-Fa-f]/.test(rest))
      throw new CanLineError(`CAN FD frame "${text}" lacks its flags nibble`);
    rest = rest.slice(2);
  }
  if (!fd && /^[Rr]/.test(rest)) {
    const dlcText = rest.slice(1);
    if (dlcText !== '' && !/^[0-8]$/.test(dlcText))
      throw new CanLineError(`remote frame "${text}" has a bad length`);
    return {
      id,
      extended,
      remote: true,
      fd: false,
      error,
      data: new Uint8Array(0),
      dlc: dlcText ? Number(dlcText) : 0,
      timeUs,
    };
  }
  // Classic frames may carry a raw DLC 9..F after '_' (len8_dlc); the data is still 8 bytes.
  const underscore = rest.indexOf('_');
  let dlc: number | undefined;
  if (underscore >= 0) {
    // lib.c: `_` and one hex digit 9..F, only after exactly 8 data bytes of a classic frame.
    const dlcText = rest.slice(underscore + 1);
    rest = rest.slice(0, underscore);
    if (fd || !/^[9A-Fa-f]$/.test(dlcText) || rest.replaceAll('.', '').length !== 16) {
      throw new CanLineError(`frame "${text}" has a bad raw DLC suffix (_9.._F after 8 bytes)`);
    }
    dlc = Number.parseInt(dlcText, 16);
  }
  rest = rest.replaceAll('.', '');
  if (rest.length % 2 !== 0 || !/^[0-9A-Fa-f]*$/.test(rest)) {
    throw new CanLineError(`frame data "${rest}" is not whole hex bytes`);
  }
  const length = rest.length / 2;
  if (length > (fd ? 64 : 8)) {
    throw new CanLineError(`frame carries ${length} bytes, more than ${fd ? 64 : 8}`);
  }
  const data = new Uint8Array(length);
  for (let i = 0; i < length; i++) data[i] = Number.parseInt(rest.slice(i * 2, i * 2 + 2), 16);
  return { id, extended, remote: false, fd, error, data, dlc: dlc ?? length, timeUs };
}

/** Formats a frame the way `candump -L` does (the inverse of parseCandumpLine). */
export function formatCandumpLine(frame: CanFrame, iface: string, timestamp?: string): string {
  const ts =
    timestamp ?? `${Math.floor(frame.timeUs / 1e6)}.${String(frame.timeUs % 1e6).padStart(6, '0')}`;
  return `(${ts}) ${iface} ${formatCompactFrame(frame)}`;
}

/** The `ID#DATA` part alone, as `cansend` takes it (the inverse of parseCompactFrame). */
export function formatCompactFrame(frame: CanFrame): string {
  const idValue = frame.error ? frame.id | CAN_ERR_FLAG : frame.id;
  const id =
    frame.extended || frame.error
      ? (idValue >>> 0).toString(16).toUpperCase().padStart(8, '0')
      : frame.id.toString(16).toUpperCase().padStart(3, '0');
  const hex = Buffer.from(frame.data).toString('hex').toUpperCase();
  // A classic frame with 8 bytes may carry a raw DLC 9..15 (len8_dlc), logged as `_X`.
  const rawDlc =
    !frame.fd && !frame.remote && frame.data.length === 8 && frame.dlc > 8 && frame.dlc <= 15
      ? `_${frame.dlc.toString(16).toUpperCase()}`
      : '';
  const body = frame.remote ? `R${frame.dlc ? frame.dlc : ''}` : frame.fd ? `#0${hex}` : hex;
  return `${id}#${body}${rawDlc}`;
}
