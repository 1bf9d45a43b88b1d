import { FieldReader } from './nmea-fields.js';
import type { NmeaFrame } from './nmea-frame.js';
import type { UtcDate } from './utc.js';

/**
 * Mode indicator letters, NMEA 0183 v4.11 (RMC field 12, VTG field 9, GNS field 6):
 * A autonomous, D differential, E estimated (dead reckoning), F float RTK, M manual input,
 * N no fix, P precise, R real-time kinematic, S simulator.
 */
export const MODE_LETTERS = ['A', 'D', 'E', 'F', 'M', 'N', 'P', 'R', 'S'] as const;
export type ModeIndicator = (typeof MODE_LETTERS)[number];

/** NMEA 4.1 navigational status (RMC field 13, GNS field 13): safe, caution, unsafe, not valid. */
export const NAV_STATUS_LETTERS = ['S', 'C', 'U', 'V'] as const;
export type NavStatus = (typeof NAV_STATUS_LETTERS)[number];

/**
 * Courses are 000.0 to 359.9 degrees; 360 is let through because receivers round 359.95 up,
 * and it names the same direction as 0.
 */
const MAX_COURSE_DEG = 360;

/** Recommended minimum specific GNSS data. */
export interface RmcSentence {
  readonly kind: 'RMC';
  readonly talker: string;
  readonly timeOfDayUs?: number;
  /** A = data valid, V = navigation receiver warning. */
  readonly status?: 'A' | 'V';
  readonly latitude?: number;
  readonly longitude?: number;
  readonly speedKmh?: number;
  /** Course over ground, degrees true. */
  readonly courseDeg?: number;
  readonly date?: UtcDate;
  /** Degrees; east positive. */
  readonly magneticVariationDeg?: number;
  readonly mode?: ModeIndicator;
  readonly navStatus?: NavStatus;
}

/** Global positioning system fix data. */
export interface GgaSentence {
  readonly kind: 'GGA';
  readonly talker: string;
  readonly timeOfDayUs?: number;
  readonly latitude?: number;
  readonly longitude?: number;
  /** 0 no fix, 1 GPS, 2 DGPS, 3 PPS, 4 RTK fixed, 5 RTK float, 6 estimated, 7 manual, 8 simulator. */
  readonly quality?: number;
  /** Satellites in use (many receivers cap this at 12). */
  readonly satellites?: number;
  readonly hdop?: number;
  /** Antenna altitude above mean sea level (geoid), metres. */
  readonly altitudeM?: number;
  /** Geoid height above the WGS-84 ellipsoid, metres. */
  readonly geoidSeparationM?: number;
  readonly dgpsAgeS?: number;
  readonly dgpsStation?: string;
}

/** Course over ground and ground speed. */
export interface VtgSentence {
  readonly kind: 'VTG';
  readonly talker: string;
  readonly courseTrueDeg?: number;
  readonly courseMagneticDeg?: number;
  readonly speedKmh?: number;
  readonly mode?: ModeIndicator;
}

/** GNSS DOP and active satellites. */
export interface GsaSentence {
  readonly kind: 'GSA';
  readonly talker: string;
  /** M manual (forced 2D/3D), A automatic. */
  readonly selectionMode?: 'A' | 'M';
  /** 1 no fix, 2 2D, 3 3D. */
  readonly fixType?: 1 | 2 | 3;
  /** Satellite ids used in the solution (fields 3–14). */
  readonly satelliteIds: readonly number[];
  readonly pdop?: number;
  readonly hdop?: number;
  readonly vdop?: number;
  /** NMEA 4.1 GNSS system id (field 18): 1 GPS, 2 GLONASS, 3 Galileo, 4 BeiDou, 5 QZSS, 6 NavIC. */
  readonly systemId?: number;
}

/** GNSS fix data (NMEA 3.0+): like GGA, with one mode letter per constellation. */
export interface GnsSentence {
  readonly kind: 'GNS';
  readonly talker: string;
  readonly timeOfDayUs?: number;
  readonly latitude?: number;
  readonly longitude?: number;
  /** One letter per system (GPS, GLONASS, Galileo, BeiDou, QZSS, NavIC), e.g. `ANNA`. */
  readonly modes?: string;
  readonly satellites?: number;
  readonly hdop?: number;
  readonly altitudeM?: number;
  readonly geoidSeparationM?: number;
  readonly navStatus?: NavStatus;
}

/**
 * Geographic position: latitude, longitude, the UTC time of the position and its status. Some
 * receivers (Garmin GPS 48, Magellan Triton 400, per gpsd) report positions in GLL that no
 * other sentence carries; others send GLL alone.
 */
export interface GllSentence {
  readonly kind: 'GLL';
  readonly talker: string;
  readonly latitude?: number;
  readonly longitude?: number;
  readonly timeOfDayUs?: number;
  /** A = data valid, V = data not valid. */
  readonly status?: 'A' | 'V';
  /** NMEA 0183 v2.3+ mode indicator (field 7); N means the data is not valid. */
  readonly mode?: ModeIndicator;
}

/** Time and date: UTC time of day, day, month and four-digit year, and the local zone. */
export interface ZdaSentence {
  readonly kind: 'ZDA';
  readonly talker: string;
  readonly timeOfDayUs?: number;
  /** The UTC date; undefined unless day, month and year are all filled in. */
  readonly date?: UtcDate;
  /**
   * The local zone as sent (fields 5 and 6), for information only: the time and date above
   * are UTC whatever the zone says (gpsd does not use the zone either), and vendors document
   * its sign differently (Trimble: local time's offset from UTC, minutes signed on their own).
   */
  readonly localZoneHours?: number;
  readonly localZoneMinutes?: number;
}

export type NmeaSentence =
  | RmcSentence
  | GgaSentence
  | VtgSentence
  | GsaSentence
  | GnsSentence
  | GllSentence
  | ZdaSentence;
export type NmeaSentenceKind = NmeaSentence['kind'];

/** RMC, NMEA 0183 v4.11 §8.3.77 (fields 1–11 since v2.0, 12 since v2.3, 13 since v4.1). */
export function parseRmc(frame: NmeaFrame): RmcSentence {
  const f = new FieldReader(frame);
  f.requireFields(9);
  const variation = f.unsigned(10, 'magnetic variation', 180);
  const variationSide = f.letter(11, 'magnetic variation direction', ['E', 'W'] as const);
  return {
    kind: 'RMC',
    talker: frame.talker,
    timeOfDayUs: f.timeOfDayUs(1),
    status: f.letter(2, 'status', ['A', 'V'] as const),
    latitude: f.latitude(3),
    longitude: f.longitude(5),
    speedKmh: f.knotsAsKmh(7, 'speed over ground, knots'),
    courseDeg: f.unsigned(8, 'course over ground', MAX_COURSE_DEG),
    date: f.date(9),
    magneticVariationDeg:
      variation === undefined ? undefined : variationSide === 'W' ? -variation : variation,
    // NMEA 0183 v2.3 RMC field 12: mode indicator; N means the data is not valid.
    mode: f.letter(12, 'mode indicator', MODE_LETTERS),
    // NMEA 0183 v4.11 RMC field 13: navigational status. u-blox and Unicore always send V
    // ("not provided"), so it does not take part in deciding whether the fix is valid.
    navStatus: f.letter(13, 'navigational status', NAV_STATUS_LETTERS),
  };
}

/** GGA, NMEA 0183 v4.11 §8.3.39. */
export function parseGga(frame: NmeaFrame): GgaSentence {
  const f = new FieldReader(frame);
  // Through the geoid separation; DGPS age and station (13, 14) are often left off.
  f.requireFields(11);
  f.unit(10, 'altitude unit', 'M');
  f.unit(12, 'geoid separation unit', 'M');
  return {
    kind: 'GGA',
    talker: frame.talker,
    timeOfDayUs: f.timeOfDayUs(1),
    latitude: f.latitude(2),
    longitude: f.longitude(4),
    quality: f.integer(6, 'quality indicator', 8),
    satellites: f.integer(7, 'satellites in use'),
    hdop: f.unsigned(8, 'HDOP'),
    altitudeM: f.decimal(9, 'altitude'),
    geoidSeparationM: f.decimal(11, 'geoid separation'),
    dgpsAgeS: f.unsigned(13, 'age of differential data'),
    dgpsStation: f.text(14),
  };
}

/**
 * VTG, NMEA 0183 v4.11 §8.3.96: `course,T,course,M,speed,N,speed,K[,mode]`. The pre-2.0 form
 * without unit letters (`course,course,knots,km/h`) is still sent by some receivers and is
 * recognised by its second field not being `T`.
 */
export function parseVtg(frame: NmeaFrame): VtgSentence {
  const f = new FieldReader(frame);
  const legacy = f.count >= 4 && f.count < 8 && f.text(2) !== 'T';
  if (legacy) {
    return {
      kind: 'VTG',
      talker: frame.talker,
      courseTrueDeg: f.unsigned(1, 'course over ground, true', MAX_COURSE_DEG),
      courseMagneticDeg: f.unsigned(2, 'course over ground, magnetic', MAX_COURSE_DEG),
      speedKmh: f.unsigned(4, 'speed over ground, km/h') ?? f.knotsAsKmh(3, 'speed, knots'),
    };
  }
  f.requireFields(8);
  f.unit(2, 'course reference', 'T');
  f.unit(4, 'course reference', 'M');
  f.unit(6, 'speed unit', 'N');
  f.unit(8, 'speed unit', 'K');
  return {
    kind: 'VTG',
    talker: frame.talker,
    courseTrueDeg: f.unsigned(1, 'course over ground, true', MAX_COURSE_DEG),
    courseMagneticDeg: f.unsigned(3, 'course over ground, magnetic', MAX_COURSE_DEG),
    speedKmh: f.unsigned(7, 'speed over ground, km/h') ?? f.knotsAsKmh(5, 'speed, knots'),
    mode: f.letter(9, 'mode indicator', MODE_LETTERS),
  };
}

/** GSA, NMEA 0183 v4.11 §8.3.41 (field 18, the system id, since v4.1). */
export function parseGsa(frame: NmeaFrame): GsaSentence {
  const f = new FieldReader(frame);
  f.requireFields(17);
  const satelliteIds: number[] = [];
  for (let n = 3; n <= 14; n++) {
    const id = f.integer(n, 'satellite id');
    if (id !== undefined) satelliteIds.push(id);
  }
  const fixType = f.integer(2, 'fix type');
  if (fixType !== undefined && fixType !== 1 && fixType !== 2 && fixType !== 3) {
    throw f.fail(2, 'fix type', 'is not 1, 2 or 3');
  }
  // Field 18 is one hex digit in NMEA 4.1. The SiRF-TriG BeiDou firmware puts a decimal
  // number there (see beidou-bd.log); an optional trailing field is not worth refusing the
  // whole sentence (which carries the fix type), so anything else there is ignored.
  const system = f.text(18);
  return {
    kind: 'GSA',
    talker: frame.talker,
    selectionMode: f.letter(1, 'selection mode', ['A', 'M'] as const),
    fixType,
    satelliteIds,
    pdop: f.unsigned(15, 'PDOP'),
    hdop: f.unsigned(16, 'HDOP'),
    vdop: f.unsigned(17, 'VDOP'),
    systemId:
      system !== undefined && /^[1-9A-F]$/.test(system) ? Number.parseInt(system, 16) : undefined,
  };
}

/** GNS, NMEA 0183 v4.11 §8.3.40. */
export function parseGns(frame: NmeaFrame): GnsSentence {
  const f = new FieldReader(frame);
  f.requireFields(10);
  const modes = f.text(6);
  if (modes !== undefined && !/^[ADEFMNPRS]{2,}$/.test(modes)) {
    throw f.fail(6, 'mode indicator', 'is not two or more of A D E F M N P R S');
  }
  return {
    kind: 'GNS',
    talker: frame.talker,
    timeOfDayUs: f.timeOfDayUs(1),
    latitude: f.latitude(2),
    longitude: f.longitude(4),
    modes,
    satellites: f.integer(7, 'satellites in use'),
    hdop: f.unsigned(8, 'HDOP'),
    altitudeM: f.decimal(9, 'altitude'),
    geoidSeparationM: f.decimal(10, 'geoid separation'),
    navStatus: f.letter(13, 'navigational status', NAV_STATUS_LETTERS),
  };
}

/**
 * GLL, NMEA 0183: `lat,N,lon,E,hhmmss.ss,status[,mode]`. Fields 5 and 6 (time and status)
 * exist since v2.0, the mode indicator (7) since v2.3. A sentence without a checksum is
 * refused before it gets here, so every GLL parsed is v2.0 or later and must reach field 6;
 * NMEA 1.5's four-field GLL (Garmin 65, per gpsd) would say nothing about its validity.
 */
export function parseGll(frame: NmeaFrame): GllSentence {
  const f = new FieldReader(frame);
  f.requireFields(6);
  return {
    kind: 'GLL',
    talker: frame.talker,
    latitude: f.latitude(1),
    longitude: f.longitude(3),
    timeOfDayUs: f.timeOfDayUs(5),
    status: f.letter(6, 'status', ['A', 'V'] as const),
    mode: f.letter(7, 'mode indicator', MODE_LETTERS),
  };
}

/**
 * ZDA, NMEA 0183: `hhmmss.ss,dd,mm,yyyy,zh,zm`. The local zone fields (5, 6) are optional
 * here: they are descriptive, and the date needs only fields 1–4. NMEA gives the zone hours
 * as 00 to ±13; ±14 is accepted too because UTC+14 is a zone in use (Kiribati), and the zone
 * is not worth losing the date over.
 */
export function parseZda(frame: NmeaFrame): ZdaSentence {
  const f = new FieldReader(frame);
  f.requireFields(4);
  return {
    kind: 'ZDA',
    talker: frame.talker,
    timeOfDayUs: f.timeOfDayUs(1),
    date: f.dayMonthYear(2),
    localZoneHours: f.signedInteger(5, 'local zone hours', -14, 14),
    localZoneMinutes: f.signedInteger(6, 'local zone minutes', -59, 59),
  };
}

const PARSERS: Record<string, (frame: NmeaFrame) => NmeaSentence> = {
  RMC: parseRmc,
  GGA: parseGga,
  VTG: parseVtg,
  GSA: parseGsa,
  GNS: parseGns,
  GLL: parseGll,
  ZDA: parseZda,
};

/**
 * Parses a framed sentence of a type the fix tracker uses, from any talker; returns
 * `undefined` for other types (GSV, GST, GBS, TXT, proprietary…), which are not errors.
 * Throws NmeaError when a field is malformed.
 */
export function parseSentence(frame: NmeaFrame): NmeaSentence | undefined {
  if (frame.talker === 'P') return undefined;
  return PARSERS[frame.type]?.(frame);
}
