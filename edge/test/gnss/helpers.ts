import { NmeaError } from '../../src/errors.js';
import { frameLine } from '../../src/gnss/nmea-frame.js';
import { type NmeaSentence, parseSentence } from '../../src/gnss/nmea-sentences.js';
import { withChecksum } from '../../src/serial/xor-checksum.js';

/** Parses one sentence given with or without its `$…*hh` framing. */
export function sentence(text: string): NmeaSentence {
  const line = text.startsWith('$') ? text : withChecksum(text);
  const [frame] = frameLine(line);
  if (frame instanceof NmeaError) throw frame;
  const parsed = parseSentence(frame!);
  if (!parsed) throw new Error(`not a sentence the tracker uses: ${text}`);
  return parsed;
}

/** Epoch microseconds of an ISO time. */
export const iso = (text: string) => Date.parse(text) * 1000;
export const isoOf = (timeUs: number) => new Date(timeUs / 1000).toISOString();
