import { NmeaError } from '../errors.js';
import { checksumHex, xorChecksum } from '../serial/xor-checksum.js';

/** One sentence that passed framing and its checksum; fields are still text. */
export interface NmeaFrame {
  /** Two-letter talker (`GP`, `GN`, `GL`, `GA`, `GB`, `BD`, `GQ`, …) or `P` for proprietary. */
  readonly talker: string;
  /** Sentence formatter, e.g. `RMC`; for proprietary sentences the rest of the address. */
  readonly type: string;
  /** Data fields after the address; `fields[0]` is NMEA field 1. Empty string = null field. */
  readonly fields: readonly string[];
  /** The sentence as received, from `$` to the checksum. */
  readonly raw: string;
}

/** Why a sentence was refused; carried in `NmeaError.details.reason`. */
export type NmeaRefusal =
  | 'no-start'
  | 'no-checksum'
  | 'checksum'
  | 'characters'
  | 'address'
  | 'fields-missing'
  | 'field'
  | 'too-long'
  | 'epoch-full';

const SHOWN = 100;
const shown = (text: string) =>
  JSON.stringify(text.length > SHOWN ? `${text.slice(0, SHOWN)}…` : text);

export function nmeaError(
  reason: NmeaRefusal,
  message: string,
  sentence: string,
  extra: Record<string, unknown> = {},
): NmeaError {
  return new NmeaError(message, { reason, sentence: sentence.slice(0, SHOWN), ...extra });
}

/**
 * Frames one line into sentences. NMEA 0183 v4.11 §5.2: a sentence is `$`, address, fields,
 * `*hh`, CR LF. `$` is a reserved character that only ever starts a sentence, so every `$`
 * starts a new candidate: this splits sentences a receiver ran together without a line break
 * (`…*1E$GPRMC,…`) and drops junk before the first `$` (line noise, a leading space).
 *
 * Each candidate becomes a frame or an NmeaError; a line without any `$` is one error.
 */
export function frameLine(line: string): Array<NmeaFrame | NmeaError> {
  const start = line.indexOf('$');
  if (start < 0) {
    return [nmeaError('no-start', `no sentence start '$' in ${shown(line)}`, line)];
  }
  return line
    .slice(start + 1)
    .split('$')
    .map((candidate) => frameSentence(candidate));
}

const CHECKSUM_AT_END = /\*([0-9A-Fa-f]{2})[ \t\r\n\v\f]*$/;

/** Frames one candidate: the text after its `$`, up to the next `$` or the end of the line. */
export function frameSentence(candidate: string): NmeaFrame | NmeaError {
  const raw = `$${candidate.trimEnd()}`;
  const m = CHECKSUM_AT_END.exec(candidate);
  if (!m) {
    // NMEA 0183 v4.11 §5.2.1.4: the checksum is mandatory for every approved sentence since
    // v2.0. Without it a truncated or merged sentence cannot be told from a whole one, so
    // sentences without one are refused rather than trusted.
    return nmeaError('no-checksum', `sentence has no checksum '*hh': ${shown(raw)}`, raw);
  }
  const body = candidate.slice(0, m.index);
  const got = m[1]!.toUpperCase();
  const expected = checksumHex(xorChecksum(body));
  if (got !== expected) {
    return nmeaError(
      'checksum',
      `bad checksum in ${shown(raw)}: expected *${expected} (computed), got *${got}`,
      raw,
      { expected, got },
    );
  }
  for (let i = 0; i < body.length; i++) {
    const code = body.charCodeAt(i);
    // §6.1: sentences are printable ASCII; `$` `*` `!` are reserved delimiters, so a NUL,
    // a control character or a delimiter inside a body means the framing is broken.
    if (code < 0x20 || code > 0x7e || code === 0x24 || code === 0x2a || code === 0x21) {
      return nmeaError(
        'characters',
        `character 0x${checksumHex(code)} at position ${i + 1} is not allowed in ${shown(raw)}`,
        raw,
      );
    }
  }
  const parts = body.split(',');
  const address = parts[0]!;
  // §5.2.2: approved sentences have a two-letter talker and a formatter; proprietary ones
  // start with `P` and a manufacturer code. Non-standard talkers (`GY`, `SN`) frame fine and
  // are ignored later as unknown types.
  const proprietary = /^P[A-Z0-9]{1,}$/.test(address);
  if (!proprietary && !/^[A-Z]{2}[A-Z0-9]{1,}$/.test(address)) {
    return nmeaError('address', `bad address field ${shown(address)} in ${shown(raw)}`, raw);
  }
  return {
    talker: proprietary ? 'P' : address.slice(0, 2),
    type: proprietary ? address.slice(1) : address.slice(2),
    fields: parts.slice(1),
    raw,
  };
}
