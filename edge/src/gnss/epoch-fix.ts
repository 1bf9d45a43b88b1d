import type { DateSource } from './epoch-clock.js';
import type {
  GgaSentence,
  GllSentence,
  GnsSentence,
  GsaSentence,
  NmeaSentence,
  RmcSentence,
  VtgSentence,
  ZdaSentence,
} from './nmea-sentences.js';
import type { UtcDate } from './utc.js';

// What one epoch's sentences say, pure functions of the sentences the FixTracker collected:
// whether they make a valid fix and why not, which date among them is believed, and the fix
// they make (see FixTracker for the rules and the captures behind them).

/**
 * One epoch's fix, put together from the sentences that share its UTC time. Position,
 * altitude, speed and course are only present when the fix is valid.
 */
export interface GnssFix {
  /** Epoch microseconds of the receiver's UTC time of the fix. */
  readonly timeUs: number;
  readonly dateSource: DateSource | 'receipt';
  readonly valid: boolean;
  /** Why the fix is not valid, e.g. `GPRMC status V`. */
  readonly invalidReason?: string;
  /** GGA quality indicator; 0 whenever the fix is not valid. */
  readonly fixQuality: number;
  readonly latitude?: number;
  readonly longitude?: number;
  /** Metres above mean sea level. */
  readonly altitudeM?: number;
  readonly geoidSeparationM?: number;
  readonly speedKmh?: number;
  /** Degrees true; absent when the receiver leaves it empty (typically when standing still). */
  readonly courseDeg?: number;
  readonly satellites?: number;
  readonly hdop?: number;
  readonly pdop?: number;
  readonly vdop?: number;
  /** GSA fix type: 1 none, 2 2D, 3 3D. */
  readonly fixType?: number;
  /** Talkers whose sentences made up the epoch, e.g. `['GP', 'GL', 'GN']`. */
  readonly talkers: readonly string[];
}

export type TimedSentence = RmcSentence | GgaSentence | GnsSentence | GllSentence | ZdaSentence;

/** The sentences of one epoch, by kind, as the tracker collects them. */
export interface Epoch {
  timeOfDayUs: number | undefined;
  receivedAtUs: number | undefined;
  /** Sentences held, all kinds together. */
  size: number;
  readonly rmc: RmcSentence[];
  readonly gga: GgaSentence[];
  readonly gns: GnsSentence[];
  readonly gll: GllSentence[];
  readonly zda: ZdaSentence[];
  readonly gsa: GsaSentence[];
  readonly vtg: VtgSentence[];
  readonly talkers: Set<string>;
}

export const newEpoch = (
  timeOfDayUs: number | undefined,
  receivedAtUs: number | undefined,
): Epoch => ({
  timeOfDayUs,
  receivedAtUs,
  size: 0,
  rmc: [],
  gga: [],
  gns: [],
  gll: [],
  zda: [],
  gsa: [],
  vtg: [],
  talkers: new Set(),
});

/** RMC, GGA, GNS, GLL and ZDA carry a UTC time; GSA and VTG do not. */
export const isTimed = (s: NmeaSentence): s is TimedSentence =>
  s.kind === 'RMC' || s.kind === 'GGA' || s.kind === 'GNS' || s.kind === 'GLL' || s.kind === 'ZDA';

/** The epoch's sentences of one timed kind. */
export function timedOfKind(epoch: Epoch, kind: TimedSentence['kind']): readonly TimedSentence[] {
  switch (kind) {
    case 'RMC':
      return epoch.rmc;
    case 'GGA':
      return epoch.gga;
    case 'GNS':
      return epoch.gns;
    case 'GLL':
      return epoch.gll;
    case 'ZDA':
      return epoch.zda;
  }
}

/** Whether the epoch has a sentence that can carry a position (RMC, GGA, GNS, GLL). */
export const hasPositionSentence = (epoch: Epoch) =>
  epoch.rmc.length + epoch.gga.length + epoch.gns.length + epoch.gll.length > 0;

/**
 * The receiver's date for the epoch, if one is to be believed (see FixTracker, Dates): ZDA's
 * when the epoch is a valid fix and the ZDA carries the epoch's own time (a ZDA without a time
 * could belong to a neighbouring second, across midnight), else a valid RMC's. ZDA comes
 * first because its year has four digits; RMC's two-digit year is a guess at the century.
 */
export function believedDate(epoch: Epoch, timeOfDayUs: number): UtcDate | undefined {
  if (invalidReason(epoch) === undefined) {
    const zda = epoch.zda.find((z) => z.date !== undefined && z.timeOfDayUs === timeOfDayUs);
    if (zda) return zda.date;
  }
  return epoch.rmc.find((r) => r.date !== undefined && r.status === 'A' && r.mode !== 'N')?.date;
}

/** The first sentence from the combined (`GN`) talker, else the first one. */
function preferCombined<T extends { talker: string }>(
  list: readonly T[],
  has: (s: T) => boolean,
): T | undefined {
  return list.find((s) => s.talker === 'GN' && has(s)) ?? list.find(has);
}

/** Why the epoch's sentences deny a fix, or undefined if none does. */
function denial(epoch: Epoch): string | undefined {
  for (const r of epoch.rmc) {
    if (r.status !== 'A') return `${r.talker}RMC status ${r.status ?? 'empty'}`;
    // NMEA 0183 v2.3 RMC field 12: mode N, data not valid.
    if (r.mode === 'N') return `${r.talker}RMC mode indicator N`;
  }
  for (const g of epoch.gga) {
    if (g.quality === undefined || g.quality === 0) {
      return `${g.talker}GGA quality ${g.quality ?? 'empty'}`;
    }
  }
  for (const g of epoch.gsa) {
    if (g.fixType === undefined || g.fixType === 1) {
      return `${g.talker}GSA fix type ${g.fixType ?? 'empty'}`;
    }
  }
  for (const g of epoch.gns) {
    if (g.modes === undefined || /^N+$/.test(g.modes)) {
      return `${g.talker}GNS mode ${g.modes ?? 'empty'}`;
    }
  }
  for (const g of epoch.gll) {
    // NMEA 0183 v2.0 GLL field 6: A = data valid, V = not valid (gpsd: empty is not valid).
    if (g.status !== 'A') return `${g.talker}GLL status ${g.status ?? 'empty'}`;
    // NMEA 0183 v2.3 GLL field 7: mode N, data not valid.
    if (g.mode === 'N') return `${g.talker}GLL mode indicator N`;
  }
  return undefined;
}

const hasPosition = (s: { latitude?: number; longitude?: number }) =>
  s.latitude !== undefined && s.longitude !== undefined;

/**
 * The sentence the position comes from: GGA (it also has altitude and quality), then GNS,
 * RMC, and GLL last (position and time only), each preferring the combined `GN` talker.
 */
function positionSentence(epoch: Epoch) {
  return (
    preferCombined(epoch.gga, hasPosition) ??
    preferCombined(epoch.gns, hasPosition) ??
    preferCombined(epoch.rmc, hasPosition) ??
    preferCombined(epoch.gll, hasPosition)
  );
}

/** Why the epoch is not a valid fix, or undefined if it is one. */
function invalidReason(epoch: Epoch): string | undefined {
  return denial(epoch) ?? (positionSentence(epoch) ? undefined : 'no position in the epoch');
}

/**
 * GGA quality for a fix described only by a mode letter (no GGA in the epoch): the NMEA
 * mode letters map onto the GGA quality values.
 */
const QUALITY_OF_MODE: Record<string, number> = {
  A: 1,
  D: 2,
  P: 3,
  R: 4,
  F: 5,
  E: 6,
  M: 7,
  S: 8,
};

function satellitesInUse(epoch: Epoch): number | undefined {
  const combined =
    epoch.gga.find((g) => g.talker === 'GN' && g.satellites !== undefined) ??
    epoch.gns.find((g) => g.talker === 'GN' && g.satellites !== undefined);
  if (combined) return combined.satellites;
  for (const list of [epoch.gga, epoch.gns] as const) {
    const perTalker = new Map<string, number>();
    for (const s of list) {
      if (s.satellites !== undefined && !perTalker.has(s.talker)) {
        perTalker.set(s.talker, s.satellites);
      }
    }
    if (perTalker.size > 0) return [...perTalker.values()].reduce((a, b) => a + b, 0);
  }
  return undefined;
}

/** The epoch as a GnssFix at `timeUs`: position and motion only when it is a valid fix. */
export function assemble(epoch: Epoch, timeUs: number, dateSource: GnssFix['dateSource']): GnssFix {
  const talkers = [...epoch.talkers];
  const satellites = satellitesInUse(epoch);
  const gsa = epoch.gsa[0];
  const gga = preferCombined(epoch.gga, hasPosition);
  const gns = preferCombined(epoch.gns, hasPosition);
  const rmc = preferCombined(epoch.rmc, hasPosition);
  const gll = preferCombined(epoch.gll, hasPosition);
  const position = positionSentence(epoch);
  const reason = invalidReason(epoch);
  const common = {
    timeUs,
    dateSource,
    talkers,
    ...(satellites !== undefined && { satellites }),
    ...(gsa?.fixType !== undefined && { fixType: gsa.fixType }),
  };
  if (reason !== undefined || position === undefined) {
    return { ...common, valid: false, invalidReason: reason, fixQuality: 0 };
  }
  const fixSource = gga ?? gns;
  const rmcMotion = preferCombined(epoch.rmc, (r) => r.speedKmh !== undefined);
  const vtgSpeed = preferCombined(epoch.vtg, (v) => v.speedKmh !== undefined);
  const rmcCourse = preferCombined(epoch.rmc, (r) => r.courseDeg !== undefined);
  const vtgCourse = preferCombined(epoch.vtg, (v) => v.courseTrueDeg !== undefined);
  const mode = gns?.modes?.replaceAll('N', '')[0] ?? rmc?.mode ?? gll?.mode;
  const fixQuality = gga?.quality ?? (mode !== undefined ? (QUALITY_OF_MODE[mode] ?? 1) : 1);
  const hdop = fixSource?.hdop ?? gsa?.hdop;
  const speedKmh = rmcMotion?.speedKmh ?? vtgSpeed?.speedKmh;
  const courseDeg = rmcCourse?.courseDeg ?? vtgCourse?.courseTrueDeg;
  return {
    ...common,
    valid: true,
    fixQuality,
    latitude: position.latitude!,
    longitude: position.longitude!,
    ...(fixSource?.altitudeM !== undefined && { altitudeM: fixSource.altitudeM }),
    ...(fixSource?.geoidSeparationM !== undefined && {
      geoidSeparationM: fixSource.geoidSeparationM,
    }),
    ...(speedKmh !== undefined && { speedKmh }),
    ...(courseDeg !== undefined && { courseDeg }),
    ...(hdop !== undefined && { hdop }),
    ...(gsa?.pdop !== undefined && { pdop: gsa.pdop }),
    ...(gsa?.vdop !== undefined && { vdop: gsa.vdop }),
  };
}
