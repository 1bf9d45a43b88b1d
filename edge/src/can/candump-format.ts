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

// The optional trailing R/T is the direction `candump -x` logs; it does not change the frame.
const LINE = /^\((\d+)\.(\d+)\)\s+(\S+)\s+(\S+)(?:\s+[RT])?\s*$/;

/** Parses one `candump -L` line; throws CanLineError saying what is wrong. */
export function parseCandumpLine(line: string): CandumpLine {
  const m = LINE.exec(line.replace(/\r$/, ''));
  if (!m) throw new CanLineError('not a candump -L line "(seconds.micros) iface frame"');
  const [, secs, frac, iface, text] = m as unknown as [string, string, string, string, string];
  const micros = Number(`${frac}000000`.slice(0, 6));
  const timeUs = Number(secs) * 1_000_000 + micros;
  return { timestamp: `${secs}.${frac}`, iface, frame: parseCompactFrame(text, timeUs) };
}

/** Parses the `ID#DATA` part (also what `cansend` accepts, minus '.' separators). */
export function parseCompactFrame(text: string, timeUs: number): CanFrame {
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
