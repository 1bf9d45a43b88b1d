import { withChecksum } from '@fleetline/edge';

/**
 * NMEA 0183 sentences for a simulated GPS receiver: one call per epoch, the sentences a
 * receiver would send for it. Pure: the time of the fix comes in with the fix.
 *
 * The output follows what a u-blox receiver sends in its default NMEA 2.3+ configuration
 * (RMC and VTG with the mode indicator, GGA, GSA), so the edge agent's decoder sees the
 * same shapes as from real hardware. Positions carry six decimals of minutes (~2 mm) where
 * u-blox sends five (~2 cm), so a decoded position is within 1e-8 degrees of the simulated
 * one and tests can compare them tightly.
 */

/** One receiver epoch, in plain values. */
export interface SimulatedFix {
  /** Epoch ms (UTC) of the fix. */
  timeMs: number;
  /**
   * false: no fix (tunnel, cold start): RMC status V, GGA quality 0, GSA fix type 1, empty
   * position, altitude, speed and course fields.
   */
  valid: boolean;
  /** Degrees, north positive. */
  latitude: number;
  /** Degrees, east positive. */
  longitude: number;
  /** Metres above mean sea level. Default 10. */
  altitudeM?: number;
  /** Speed over ground, km/h. */
  speedKmh: number;
  /** Course over ground, degrees true. */
  courseDeg: number;
  /** Satellites in use. Default 9 when valid, 0 when not. */
  satellites?: number;
  /** Default 0.9 when valid; 99.99 when not. */
  hdop?: number;
}

export type NmeaSentenceType = 'RMC' | 'GGA' | 'VTG' | 'GSA';

export interface NmeaOptions {
  /** Two-letter talker. Default `GP`. */
  talker?: string;
  /**
   * The sentences to send, in this order; each is sent once even if listed twice, because
   * a repeated RMC or GGA would end the epoch at the decoder. Default `RMC, VTG, GGA, GSA`,
   * the order of a u-blox receiver.
   */
  sentences?: readonly NmeaSentenceType[];
}

export const DEFAULT_NMEA_SENTENCES: readonly NmeaSentenceType[] = ['RMC', 'VTG', 'GGA', 'GSA'];

const DEFAULT_ALTITUDE_M = 10;
const DEFAULT_SATELLITES = 9;
const DEFAULT_HDOP = 0.9;
/** What u-blox receivers put in the DOP fields while they have no fix. */
const NO_FIX_HDOP = 99.99;
/** 1 knot is 1852 m per hour by definition. */
const KMH_PER_KNOT = 1.852;
/** Decimals of minutes in positions: 1e-6 minute is 1.7e-8 degrees. */
const MINUTE_DECIMALS = 6;
const MICROMINUTES_PER_DEGREE = 60 * 10 ** MINUTE_DECIMALS;
/**
 * GPS PRNs listed in GSA as the satellites in use. Which ones does not matter to the
 * decoder, but a GSA whose list disagrees with the GGA count would look like a fault.
 */
const SATELLITE_IDS = [2, 5, 7, 9, 13, 15, 18, 20, 24, 26, 29, 30] as const;
/** GSA has twelve id fields whatever the number of satellites. */
const GSA_ID_FIELDS = 12;

/** The sentences of one epoch, each a complete sentence with `$`, `*hh` checksum, no line ending. */
export function nmeaSentences(fix: SimulatedFix, options: NmeaOptions = {}): string[] {
  const talker = options.talker ?? 'GP';
  if (!/^[A-Z]{2}$/.test(talker)) {
    throw new RangeError(`NMEA talker must be two upper-case letters, got ${talker}`);
  }
  const epoch = epochFields(fix);
  const types = [...new Set(options.sentences ?? DEFAULT_NMEA_SENTENCES)];
  return types.map((type) => withChecksum([`${talker}${type}`, ...FIELDS[type](epoch)].join(',')));
}

/** The formatted fields of one epoch, shared by the sentences. */
interface EpochFields {
  readonly valid: boolean;
  /** hhmmss.ss */
  readonly time: string;
  /** ddmmyy */
  readonly date: string;
  /** Latitude and its hemisphere; empty without a fix. */
  readonly latitude: readonly [string, string];
  readonly longitude: readonly [string, string];
  readonly knots: string;
  readonly kmh: string;
  readonly course: string;
  readonly altitude: string;
  readonly satellites: number;
  readonly hdop: string;
  /** NMEA 2.3 mode indicator: A autonomous, N no fix. */
  readonly mode: 'A' | 'N';
}

const FIELDS: Record<NmeaSentenceType, (e: EpochFields) => string[]> = {
  // time, status, lat, N/S, lon, E/W, knots, course, date, magnetic variation, E/W, mode
  RMC: (e) => [
    e.time,
    e.valid ? 'A' : 'V',
    ...e.latitude,
    ...e.longitude,
    e.knots,
    e.course,
    e.date,
    '',
    '',
    e.mode,
  ],
  // course true, T, course magnetic, M, knots, N, km/h, K, mode
  VTG: (e) => [e.course, 'T', '', 'M', e.knots, 'N', e.kmh, 'K', e.mode],
  // time, lat, N/S, lon, E/W, quality, satellites, HDOP, altitude, M, geoid separation, M,
  // DGPS age, DGPS station. The simulated altitude is above mean sea level already and there
  // is no geoid model behind it, so the separation is left empty ("not available").
  GGA: (e) => [
    e.time,
    ...e.latitude,
    ...e.longitude,
    e.valid ? '1' : '0',
    String(e.satellites).padStart(2, '0'),
    e.hdop,
    e.altitude,
    'M',
    '',
    'M',
    '',
    '',
  ],
  // selection mode, fix type, 12 satellite ids, PDOP, HDOP, VDOP. PDOP and VDOP depend on
  // the vertical geometry, which the simulated fix does not have: they are left empty.
  GSA: (e) => {
    const used = e.valid ? SATELLITE_IDS.slice(0, e.satellites) : [];
    const ids = Array.from({ length: GSA_ID_FIELDS }, (_, i) =>
      used[i] === undefined ? '' : String(used[i]).padStart(2, '0'),
    );
    return ['A', e.valid ? '3' : '1', ...ids, '', e.hdop, ''];
  },
};

function epochFields(fix: SimulatedFix): EpochFields {
  const { valid } = fix;
  finite('timeMs', fix.timeMs);
  // Rounded once, before splitting into date and time, so that a time rounding up to
  // midnight carries into the date as well.
  const at = new Date(Math.round(fix.timeMs / 10) * 10);
  const year = at.getUTCFullYear();
  // The decoder reads two-digit years 80–99 as 19xx and 00–79 as 20xx.
  if (year < 1980 || year > 2079) {
    throw new RangeError(`NMEA dates cover 1980–2079, got ${at.toISOString()}`);
  }
  const satellites = fix.satellites ?? (valid ? DEFAULT_SATELLITES : 0);
  if (!Number.isInteger(satellites) || satellites < 0 || satellites > 99) {
    throw new RangeError(`satellites must be a whole number 0–99, got ${satellites}`);
  }
  const hdop = fix.hdop ?? (valid ? DEFAULT_HDOP : NO_FIX_HDOP);
  if (!(hdop >= 0) || !Number.isFinite(hdop)) {
    throw new RangeError(`hdop must be finite and not negative, got ${hdop}`);
  }
  const common = {
    valid,
    time: `${two(at.getUTCHours())}${two(at.getUTCMinutes())}${two(at.getUTCSeconds())}.${two(Math.floor(at.getUTCMilliseconds() / 10))}`,
    date: `${two(at.getUTCDate())}${two(at.getUTCMonth() + 1)}${two(year % 100)}`,
    satellites,
    hdop: hdop.toFixed(2),
  };
  if (!valid) {
    // A receiver without a fix leaves everything that depends on one empty.
    return {
      ...common,
      latitude: ['', ''],
      longitude: ['', ''],
      knots: '',
      kmh: '',
      course: '',
      altitude: '',
      mode: 'N',
    };
  }
  if (!(Math.abs(fix.latitude) <= 90)) throw new RangeError(`latitude ${fix.latitude}`);
  if (!(Math.abs(fix.longitude) <= 180)) throw new RangeError(`longitude ${fix.longitude}`);
  if (!(fix.speedKmh >= 0) || !Number.isFinite(fix.speedKmh)) {
    throw new RangeError(`speedKmh must be finite and not negative, got ${fix.speedKmh}`);
  }
  finite('courseDeg', fix.courseDeg);
  const altitudeM = fix.altitudeM ?? DEFAULT_ALTITUDE_M;
  finite('altitudeM', altitudeM);
  return {
    ...common,
    latitude: angle(fix.latitude, 2, 'N', 'S'),
    longitude: angle(fix.longitude, 3, 'E', 'W'),
    // Three decimals keep the decoded speed within 0.001 km/h of the input.
    knots: (fix.speedKmh / KMH_PER_KNOT).toFixed(3),
    kmh: fix.speedKmh.toFixed(3),
    course: course(fix.courseDeg),
    altitude: altitudeM.toFixed(1),
    mode: 'A',
  };
}

/**
 * `ddmm.mmmmmm` / `dddmm.mmmmmm` and the hemisphere. The angle is rounded as a whole number
 * of micro-minutes before being split, so 12.9999999999° becomes 1300.000000 and never
 * 1260.000000 (minutes of 60, which the decoder refuses).
 */
function angle(
  degrees: number,
  degreeDigits: number,
  positive: string,
  negative: string,
): [string, string] {
  const total = Math.round(Math.abs(degrees) * MICROMINUTES_PER_DEGREE);
  const whole = Math.floor(total / MICROMINUTES_PER_DEGREE);
  const rest = total - whole * MICROMINUTES_PER_DEGREE;
  const minutes = Math.floor(rest / 10 ** MINUTE_DECIMALS);
  const fraction = rest - minutes * 10 ** MINUTE_DECIMALS;
  const text = `${String(whole).padStart(degreeDigits, '0')}${two(minutes)}.${String(fraction).padStart(MINUTE_DECIMALS, '0')}`;
  // A value that rounds to zero gets the positive hemisphere, as a receiver would print it.
  return [text, degrees < 0 && total > 0 ? negative : positive];
}

/** Degrees true in [0, 360) with two decimals; 359.999 rounds to 0.00, not 360.00. */
function course(degrees: number): string {
  const centi = Math.round(degrees * 100);
  return ((((centi % 36000) + 36000) % 36000) / 100).toFixed(2);
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

function finite(name: string, value: number): void {
  if (!Number.isFinite(value))
    throw new RangeError(`${name} must be a finite number, got ${value}`);
}
