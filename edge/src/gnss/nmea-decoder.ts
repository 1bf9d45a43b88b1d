import { NmeaError } from '../errors.js';
import type { Decoded, LineDecoder } from '../serial/line-source.js';
import type { Reading } from '../signals/reading.js';
import { fixReadings } from './fix-readings.js';
import { FixTracker, type FixTrackerOptions, type GnssFix } from './fix-tracker.js';
import { frameLine } from './nmea-frame.js';
import { parseSentence } from './nmea-sentences.js';

export interface NmeaDecoderStats {
  /** Sentences that passed framing and checksum. */
  sentences: number;
  /** Of those, sentences of types the tracker does not use (GSV, GST, TXT, proprietary…). */
  ignored: number;
  /** Sentences or lines refused, by NmeaError `details.reason`. */
  refused: Record<string, number>;
}

/**
 * NMEA 0183 lines in, `gnss.*` readings out: framing and checksum (nmea-frame), sentence
 * parsing (nmea-sentences), epochs and validity (fix-tracker), readings (fix-readings).
 * Every refused sentence is returned as an NmeaError; a line with two run-together sentences
 * can yield two.
 */
export class NmeaDecoder implements LineDecoder {
  readonly tracker: FixTracker;
  readonly stats: NmeaDecoderStats = { sentences: 0, ignored: 0, refused: {} };
  private readonly onFix: ((fix: GnssFix) => void) | undefined;

  constructor(options: FixTrackerOptions & { onFix?: (fix: GnssFix) => void } = {}) {
    this.tracker = new FixTracker(options);
    this.onFix = options.onFix;
  }

  decode(line: string, receivedAtUs?: number): Decoded {
    const readings: Reading[] = [];
    const errors: NmeaError[] = [];
    for (const framed of frameLine(line)) {
      if (framed instanceof NmeaError) {
        errors.push(this.refused(framed));
        continue;
      }
      this.stats.sentences++;
      try {
        const sentence = parseSentence(framed);
        if (sentence === undefined) {
          this.stats.ignored++;
          continue;
        }
        readings.push(...this.readings(this.tracker.push(sentence, receivedAtUs)));
      } catch (err) {
        // A malformed field, or a sentence the tracker's full epoch cannot take.
        if (!(err instanceof NmeaError)) throw err;
        errors.push(this.refused(err));
      }
    }
    return { readings, errors };
  }

  flush(receivedAtUs?: number): Decoded {
    return { readings: this.readings(this.tracker.flush(receivedAtUs)), errors: [] };
  }

  end(): Decoded {
    return { readings: this.readings(this.tracker.end()), errors: [] };
  }

  tooLong(maxBytes: number): Error {
    return this.refused(
      new NmeaError(`line longer than ${maxBytes} bytes; NMEA 0183 sentences are at most 82`, {
        reason: 'too-long',
      }),
    );
  }

  private readings(fixes: readonly GnssFix[]): Reading[] {
    const out: Reading[] = [];
    for (const fix of fixes) {
      this.onFix?.(fix);
      out.push(...fixReadings(fix));
    }
    return out;
  }

  private refused(error: NmeaError): NmeaError {
    const reason = String(error.details.reason ?? 'other');
    this.stats.refused[reason] = (this.stats.refused[reason] ?? 0) + 1;
    return error;
  }
}
