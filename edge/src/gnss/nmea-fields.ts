import type { NmeaError } from '../errors.js';
import { type NmeaFrame, nmeaError } from './nmea-frame.js';
import type { UtcDate } from './utc.js';

/** The years a receiver's date may have: RMC's two-digit years 80–99 and 00–79 map onto these. */
export const FIRST_YEAR = 1980;
export const LAST_YEAR = 2079;

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** Whether day/month/year name a real calendar day (no 30 February, 29 February only in leap years). */
function isCalendarDay(year: number, month: number, day: number): boolean {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day;
}

/**
 * Typed access to the fields of one frame. Field numbers are NMEA's: 1 is the first field
 * after the address. An empty (null) field reads as `undefined`, which NMEA 0183 defines as
 * "data not available"; a field with content that does not fit its format throws an
 * NmeaError naming the sentence, the field and the text.
 */
export class FieldReader {
  constructor(readonly frame: NmeaFrame) {}

  get count(): number {
    return this.frame.fields.length;
  }

  text(n: number): string | undefined {
    const value = this.frame.fields[n - 1];
    return value === undefined || value === '' ? undefined : value;
  }

  fail(n: number, name: string, problem: string): NmeaError {
    const { talker, type, raw, fields } = this.frame;
    return nmeaError(
      'field',
      `${talker}${type} field ${n} (${name}) ${JSON.stringify(fields[n - 1] ?? '')} ${problem}`,
      raw,
      { field: n, name },
    );
  }

  /** Requires the sentence to reach field `n` (later fields may be added by newer versions). */
  requireFields(n: number): void {
    if (this.count >= n) return;
    const { talker, type, raw } = this.frame;
    throw nmeaError(
      'fields-missing',
      `${talker}${type} has ${this.count} fields, needs at least ${n}`,
      raw,
    );
  }

  /** hhmmss or hhmmss.s… (any number of decimals) as microseconds since 00:00 UTC. */
  timeOfDayUs(n: number): number | undefined {
    const text = this.text(n);
    if (text === undefined) return undefined;
    const m = /^(\d{2})(\d{2})(\d{2})(?:\.(\d*))?$/.exec(text);
    if (!m) throw this.fail(n, 'UTC time', 'is not hhmmss.ss');
    const [h, min, s] = [Number(m[1]), Number(m[2]), Number(m[3])];
    // Seconds may read 60 during a leap second.
    if (h > 23 || min > 59 || s > 60) throw this.fail(n, 'UTC time', 'is out of range');
    const micros = Number(`${m[4] ?? ''}000000`.slice(0, 6));
    return ((h * 60 + min) * 60 + s) * 1_000_000 + micros;
  }

  /** RMC's ddmmyy. Two-digit years 80–99 are 1980–1999 (GPS began in 1980), 00–79 are 2000–2079. */
  date(n: number): UtcDate | undefined {
    const text = this.text(n);
    if (text === undefined) return undefined;
    const m = /^(\d{2})(\d{2})(\d{2})$/.exec(text);
    if (!m) throw this.fail(n, 'date', 'is not ddmmyy');
    const day = Number(m[1]);
    const month = Number(m[2]);
    const yy = Number(m[3]);
    const year = yy >= 80 ? 1900 + yy : 2000 + yy;
    if (month < 1 || month > 12 || day < 1 || !isCalendarDay(year, month, day)) {
      throw this.fail(n, 'date', 'is not a calendar date');
    }
    return { year, month, day };
  }

  /**
   * ZDA's date, NMEA 0183 ZDA fields 2–4: day `dd` (field n), month `mm` (n + 1) and a
   * four-digit year (n + 2). Years are taken in the window RMC's two-digit years can say,
   * FIRST_YEAR to LAST_YEAR, so both date sentences agree on what a receiver can report (and
   * `0019` cannot become 1919 through Date.UTC). The date is "not available" unless all three
   * fields are filled in (u-blox ANTARIS leaves them empty before its first fix, as gpsd notes);
   * a field that is filled in must still be well-formed.
   */
  dayMonthYear(n: number): UtcDate | undefined {
    const [dayText, monthText, yearText] = [this.text(n), this.text(n + 1), this.text(n + 2)];
    const day = dayText === undefined ? undefined : Number(dayText);
    const month = monthText === undefined ? undefined : Number(monthText);
    const year = yearText === undefined ? undefined : Number(yearText);
    if (dayText !== undefined && (!/^\d{2}$/.test(dayText) || day! < 1 || day! > 31)) {
      throw this.fail(n, 'day', 'is not 01 to 31');
    }
    if (monthText !== undefined && (!/^\d{2}$/.test(monthText) || month! < 1 || month! > 12)) {
      throw this.fail(n + 1, 'month', 'is not 01 to 12');
    }
    if (yearText !== undefined && !/^\d{4}$/.test(yearText)) {
      throw this.fail(n + 2, 'year', 'is not a four-digit year');
    }
    if (year !== undefined && (year < FIRST_YEAR || year > LAST_YEAR)) {
      throw this.fail(n + 2, 'year', `is not from ${FIRST_YEAR} to ${LAST_YEAR}`);
    }
    if (day === undefined || month === undefined || year === undefined) return undefined;
    if (!isCalendarDay(year, month, day)) {
      throw this.fail(n, 'day', `is not a day of ${MONTHS[month - 1]} ${year}`);
    }
    return { year, month, day };
  }

  /** Latitude `ddmm.mmmm` (field n) with its hemisphere N/S (field n + 1), in degrees. */
  latitude(n: number): number | undefined {
    return this.angle(n, 'latitude', 90, 'N', 'S');
  }

  /** Longitude `dddmm.mmmm` (field n) with its hemisphere E/W (field n + 1), in degrees. */
  longitude(n: number): number | undefined {
    return this.angle(n, 'longitude', 180, 'E', 'W');
  }

  /**
   * NMEA 0183 v4.11 §6.2 "Latitude/Longitude": degrees then minutes with any number of
   * decimals. The conversion is exact to the last bit: all the digits are read as one
   * integer and divided once, so the result is the double nearest to the true decimal value
   * (degrees + minutes / 60 in floating point can be an ulp off). Minute decimals past 11
   * (a few micrometres) are dropped to keep the integers exact.
   */
  private angle(
    n: number,
    name: string,
    maxDegrees: number,
    positive: string,
    negative: string,
  ): number | undefined {
    const text = this.text(n);
    const hemisphere = this.text(n + 1);
    if (text === undefined) return undefined;
    const m = /^(\d{1,3})(\d{2})(?:\.(\d*))?$/.exec(text);
    if (!m) throw this.fail(n, name, `is not ${maxDegrees === 90 ? 'dd' : 'ddd'}mm.mmmm`);
    if (hemisphere !== positive && hemisphere !== negative) {
      throw this.fail(n + 1, `${name} hemisphere`, `is not ${positive} or ${negative}`);
    }
    const degrees = Number(m[1]);
    const decimals = (m[3] ?? '').slice(0, 11);
    const scale = 10 ** decimals.length;
    const minutesScaled = Number(m[2]) * scale + (decimals === '' ? 0 : Number(decimals));
    if (minutesScaled >= 60 * scale) throw this.fail(n, name, 'has minutes of 60 or more');
    const value = (degrees * 60 * scale + minutesScaled) / (60 * scale);
    if (value > maxDegrees) throw this.fail(n, name, `is beyond ${maxDegrees} degrees`);
    return hemisphere === negative ? -value : value;
  }

  /**
   * A decimal number (optional sign, optional fraction). The format puts no limit on the
   * digits, and 309 of them are past the largest double: such a field is refused rather than
   * read as Infinity, which no reading may carry.
   */
  decimal(n: number, name: string): number | undefined {
    const text = this.text(n);
    if (text === undefined) return undefined;
    if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(text)) throw this.fail(n, name, 'is not a number');
    const value = Number(text);
    if (!Number.isFinite(value)) throw this.fail(n, name, 'is too large');
    return value;
  }

  /** A non-negative decimal number, at most `max` when given. */
  unsigned(n: number, name: string, max?: number): number | undefined {
    const value = this.decimal(n, name);
    if (value !== undefined && value < 0) throw this.fail(n, name, 'is negative');
    if (value !== undefined && max !== undefined && value > max) {
      throw this.fail(n, name, `is more than ${max}`);
    }
    return value;
  }

  /** A whole number with an optional sign, from `min` to `max`. */
  signedInteger(n: number, name: string, min: number, max: number): number | undefined {
    const text = this.text(n);
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!/^[+-]?\d{1,3}$/.test(text) || value < min || value > max) {
      throw this.fail(n, name, `is not ${min} to ${max}`);
    }
    return value;
  }

  /** Knots converted to km/h exactly: 1 knot is 1852 m per hour by definition. */
  knotsAsKmh(n: number, name: string): number | undefined {
    const text = this.text(n);
    if (text === undefined) return undefined;
    const m = /^(\d+)(?:\.(\d*))?$/.exec(text);
    if (!m) throw this.fail(n, name, 'is not a non-negative number');
    const decimals = (m[2] ?? '').slice(0, 9);
    const scale = 10 ** decimals.length;
    const scaled = Number(m[1]) * scale + (decimals === '' ? 0 : Number(decimals));
    const kmh = (scaled * 1852) / (scale * 1000);
    if (!Number.isFinite(kmh)) throw this.fail(n, name, 'is too large');
    return kmh;
  }

  /** A non-negative integer. */
  integer(n: number, name: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
    const text = this.text(n);
    if (text === undefined) return undefined;
    if (!/^\d+$/.test(text)) throw this.fail(n, name, 'is not a whole number');
    const value = Number(text);
    if (value > max) throw this.fail(n, name, `is more than ${max}`);
    return value;
  }

  /** One of a fixed set of letters. */
  letter<T extends string>(n: number, name: string, allowed: readonly T[]): T | undefined {
    const text = this.text(n);
    if (text === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(text)) {
      throw this.fail(n, name, `is not one of ${allowed.join(' ')}`);
    }
    return text as T;
  }

  /** A unit letter that must be `unit` when present (e.g. `M` after an altitude). */
  unit(n: number, name: string, unit: string): void {
    const text = this.text(n);
    if (text !== undefined && text !== unit) throw this.fail(n, name, `is not ${unit}`);
  }
}
