import type { NmeaError } from '../errors.js';
import { type DateSource, EpochClock, type EpochClockOptions } from './epoch-clock.js';
import { nmeaError } from './nmea-frame.js';
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

export interface FixTrackerOptions {
  readonly clock?: EpochClockOptions;
  /** Undated epochs held while waiting for a date, at most (default 600: 10 min at 1 Hz). */
  readonly maxHeldEpochs?: number;
  /** Sentences one epoch holds, at most (default DEFAULT_MAX_EPOCH_SENTENCES). */
  readonly maxEpochSentences?: number;
  /**
   * Dates epochs that never get a date of their own (a replayed log without any valid RMC):
   * the day nearest this time is used. Defaults to the host clock when needed.
   */
  readonly fallbackUs?: () => number;
}

export interface FixTrackerStats {
  epochs: number;
  validFixes: number;
  invalidFixes: number;
  /** Sentences for an epoch that had already been emitted (arrived after an idle flush). */
  lateSentences: number;
  /** Epochs without a UTC time read from a file: there is nothing to stamp them with. */
  untimedDropped: number;
}

/**
 * The most sentences one epoch holds. Real epochs hold a few to about twenty (u-blox ZED-F9P:
 * RMC, VTG, GGA, four GSA, GLL, ZDA; multi-talker receivers a GGA, RMC and GSA per
 * constellation). Without a bound, a receiver that sends GSA or VTG and never a sentence with
 * a time grows one epoch for as long as it does (100,000 GSA were 100,000 held objects).
 */
export const DEFAULT_MAX_EPOCH_SENTENCES = 64;

type TimedSentence = RmcSentence | GgaSentence | GnsSentence | GllSentence | ZdaSentence;

interface Epoch {
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

interface Held {
  readonly epoch: Epoch;
  readonly timeOfDayUs: number;
}

const newEpoch = (timeOfDayUs: number | undefined, receivedAtUs: number | undefined): Epoch => ({
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

const isTimed = (s: NmeaSentence): s is TimedSentence =>
  s.kind === 'RMC' || s.kind === 'GGA' || s.kind === 'GNS' || s.kind === 'GLL' || s.kind === 'ZDA';

/**
 * Groups sentences into epochs and turns each epoch into a GnssFix. Pure: time comes in with
 * the sentences (`receivedAtUs`, the host clock on arrival from a live device).
 *
 * Epochs. Receivers send one burst of sentences per epoch, and the sentences that carry a
 * time (RMC, GGA, GNS, GLL, ZDA) carry the same UTC time (u-blox ZED-F9P, GPS-320FW). An
 * epoch ends when a sentence with another time arrives, when a timed sentence repeats for the
 * same talker (receivers without a fix may leave the time empty, as the Telit HE910 does), on
 * flush() (the input went quiet), or on end(). GSA and VTG carry no time and belong to the
 * epoch being assembled; one that arrives before any timed sentence joins the epoch that
 * follows. ZDA takes part in epochs like the others, as in gpsd (which registers its time for
 * the end-of-cycle detection): a ZDA ahead of its epoch's GGA starts the epoch, one after it
 * joins; an epoch of ZDA alone has no position and reports no fix.
 *
 * Validity. An epoch is a valid fix only if it has a position sentence and no sentence
 * denies the fix: RMC status not A, RMC mode N, GGA quality 0 (or empty), GSA fix type 1
 * (or empty), a GNS mode of all N, GLL status not A, or GLL mode N. Receivers keep sending
 * the last position while the fix is lost (unicore-um621, ch-4711), and the ones that have
 * just restarted send zeros (gp-320fw, GLL included), so any denial wins and such a position
 * is never reported.
 *
 * Bounds. An epoch holds at most `maxEpochSentences`. When it is full, a sentence that would
 * join it is refused (NmeaError `epoch-full`), except a sentence with a time arriving while the
 * epoch has none: that one ends the full epoch and starts the next, so a flood of GSA cannot
 * shut out the fixes that follow it.
 *
 * Dates. RMC and ZDA carry one. An RMC's date is believed when the RMC says its data is valid
 * (status A, mode not N). ZDA has no status of its own, so its date is believed only when its
 * epoch is a valid fix: gp-320fw sends ZDA 1999-08-22 (a week-rollover date) in every epoch
 * after its restart, all of them without a fix. gpsd takes ZDA's date whenever its fields are
 * filled in and moves rollover dates forward afterwards; here EpochClock also checks a believed
 * date against the host clock on a live port.
 *
 * Several talkers in one epoch (sirfstarv sends GPGGA and GLGGA, each with its own
 * constellation's satellites in use):
 * - position, altitude and HDOP come from the combined `GN` GGA if there is one, else the
 *   first GGA; then GNS, then RMC (all carry the same solution);
 * - satellites in use are the `GN` sentence's count if there is one, else the sum over
 *   talkers of each talker's first GGA (GP 8 + GL 2 = the 10 ids listed in the GSAs);
 * - speed and course come from RMC, else VTG.
 */
export class FixTracker {
  readonly stats: FixTrackerStats = {
    epochs: 0,
    validFixes: 0,
    invalidFixes: 0,
    lateSentences: 0,
    untimedDropped: 0,
  };
  private readonly clock: EpochClock;
  private readonly maxHeld: number;
  private readonly maxSentences: number;
  private readonly fallbackUs: () => number;
  private current: Epoch | undefined;
  private held: Held[] = [];
  private lastClosedTimeOfDayUs: number | undefined;
  /** The last epoch was ended by flush(): GSA/VTG arriving now are late, not early. */
  private flushed = false;

  constructor(options: FixTrackerOptions = {}) {
    this.clock = new EpochClock(options.clock);
    this.maxHeld = options.maxHeldEpochs ?? 600;
    this.maxSentences = options.maxEpochSentences ?? DEFAULT_MAX_EPOCH_SENTENCES;
    this.fallbackUs = options.fallbackUs ?? (() => Date.now() * 1000);
  }

  /**
   * Adds a sentence; returns the fixes this completes (usually none or one). Throws an
   * NmeaError (`epoch-full`) for a sentence the full epoch cannot take; nothing else changes.
   */
  push(sentence: NmeaSentence, receivedAtUs?: number): GnssFix[] {
    const timeOfDayUs = isTimed(sentence) ? sentence.timeOfDayUs : undefined;
    let out: GnssFix[] = [];
    const epoch = this.current;
    if (epoch === undefined) {
      // After an idle flush, the rest of the emitted epoch may still trickle in: its timed
      // sentences repeat the emitted time, and GSA/VTG have none. Both are dropped rather
      // than reported twice or carried into the next epoch.
      const late = isTimed(sentence)
        ? timeOfDayUs !== undefined && timeOfDayUs === this.lastClosedTimeOfDayUs
        : true;
      if (this.flushed && late) {
        this.stats.lateSentences++;
        return [];
      }
      this.current = newEpoch(timeOfDayUs, receivedAtUs);
    } else if (this.endsEpoch(epoch, sentence, timeOfDayUs)) {
      out = this.close();
      this.current = newEpoch(timeOfDayUs, receivedAtUs);
    } else if (epoch.size >= this.maxSentences) {
      if (!isTimed(sentence) || epoch.timeOfDayUs !== undefined) {
        throw this.epochFull(sentence);
      }
      out = this.close();
      this.current = newEpoch(timeOfDayUs, receivedAtUs);
    } else if (timeOfDayUs !== undefined) {
      epoch.timeOfDayUs = timeOfDayUs;
    }
    this.add(this.current!, sentence);
    this.flushed = false;
    return out;
  }

  /** The input went quiet: ends the epoch being assembled. */
  flush(_receivedAtUs?: number): GnssFix[] {
    const out = this.close();
    this.flushed = true;
    return out;
  }

  /** No more input: ends the epoch and dates whatever is still waiting for a date. */
  end(): GnssFix[] {
    const out = this.close();
    out.push(...this.releaseHeld());
    this.flushed = true;
    return out;
  }

  /** A different time, or a timed sentence repeating for its talker, starts the next epoch. */
  private endsEpoch(
    epoch: Epoch,
    sentence: NmeaSentence,
    timeOfDayUs: number | undefined,
  ): boolean {
    if (timeOfDayUs !== undefined && epoch.timeOfDayUs !== undefined) {
      return timeOfDayUs !== epoch.timeOfDayUs;
    }
    return isTimed(sentence) && this.repeats(epoch, sentence);
  }

  private epochFull(sentence: NmeaSentence): NmeaError {
    const name = `${sentence.talker}${sentence.kind}`;
    return nmeaError(
      'epoch-full',
      `${name} refused: the epoch being assembled already holds ${this.maxSentences} sentences ` +
        'and this one does not start the next (no new UTC time)',
      name,
      { limit: this.maxSentences },
    );
  }

  private repeats(epoch: Epoch, sentence: TimedSentence): boolean {
    return timedOfKind(epoch, sentence.kind).some((s) => s.talker === sentence.talker);
  }

  private add(epoch: Epoch, sentence: NmeaSentence): void {
    epoch.size++;
    epoch.talkers.add(sentence.talker);
    switch (sentence.kind) {
      case 'RMC':
        epoch.rmc.push(sentence);
        break;
      case 'GGA':
        epoch.gga.push(sentence);
        break;
      case 'GNS':
        epoch.gns.push(sentence);
        break;
      case 'GLL':
        epoch.gll.push(sentence);
        break;
      case 'ZDA':
        epoch.zda.push(sentence);
        break;
      case 'GSA':
        epoch.gsa.push(sentence);
        break;
      case 'VTG':
        epoch.vtg.push(sentence);
        break;
    }
  }

  private close(): GnssFix[] {
    const epoch = this.current;
    this.current = undefined;
    // An epoch of GSA, VTG or ZDA alone says nothing about a position; there is no fix to
    // report.
    if (epoch === undefined || !hasPositionSentence(epoch)) return [];
    this.stats.epochs++;
    const timeOfDayUs = epoch.timeOfDayUs;
    this.lastClosedTimeOfDayUs = timeOfDayUs;
    if (timeOfDayUs === undefined) {
      // No time at all (a receiver without a fix may leave it empty): a live epoch is
      // stamped with its arrival; a replayed one has nothing to be stamped with.
      if (this.clock.usableHost(epoch.receivedAtUs)) {
        return [this.count(assemble(epoch, epoch.receivedAtUs, 'receipt'))];
      }
      this.stats.untimedDropped++;
      return [];
    }
    const receiverDate = believedDate(epoch, timeOfDayUs);
    const stamp = this.clock.stamp(timeOfDayUs, receiverDate, epoch.receivedAtUs);
    if (stamp === undefined) {
      this.held.push({ epoch, timeOfDayUs });
      return this.held.length > this.maxHeld ? this.releaseHeld() : [];
    }
    const out = this.backdateHeld(stamp.timeUs);
    out.push(this.count(assemble(epoch, stamp.timeUs, stamp.dateSource)));
    return out;
  }

  /** Dates the held epochs backwards from the first dated one that followed them. */
  private backdateHeld(followingUs: number): GnssFix[] {
    const fixes: GnssFix[] = [];
    let next = followingUs;
    for (let i = this.held.length - 1; i >= 0; i--) {
      const { epoch, timeOfDayUs } = this.held[i]!;
      const stamp = this.clock.backdate(timeOfDayUs, next);
      fixes.push(assemble(epoch, stamp.timeUs, stamp.dateSource));
      next = stamp.timeUs;
    }
    this.held = [];
    return fixes.reverse().map((f) => this.count(f));
  }

  private releaseHeld(): GnssFix[] {
    if (this.held.length === 0) return [];
    const reference = this.fallbackUs();
    const fixes = this.held.map(({ epoch, timeOfDayUs }) => {
      const stamp = this.clock.fallback(timeOfDayUs, reference);
      return this.count(assemble(epoch, stamp.timeUs, stamp.dateSource));
    });
    this.held = [];
    return fixes;
  }

  private count(fix: GnssFix): GnssFix {
    if (fix.valid) this.stats.validFixes++;
    else this.stats.invalidFixes++;
    return fix;
  }
}

function timedOfKind(epoch: Epoch, kind: TimedSentence['kind']): readonly TimedSentence[] {
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

const hasPositionSentence = (epoch: Epoch) =>
  epoch.rmc.length + epoch.gga.length + epoch.gns.length + epoch.gll.length > 0;

/**
 * The receiver's date for the epoch, if one is to be believed (see the class comment): ZDA's
 * when the epoch is a valid fix and the ZDA carries the epoch's own time (a ZDA without a time
 * could belong to a neighbouring second, across midnight), else a valid RMC's. ZDA comes
 * first because its year has four digits; RMC's two-digit year is a guess at the century.
 */
function believedDate(epoch: Epoch, timeOfDayUs: number): UtcDate | undefined {
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

function assemble(epoch: Epoch, timeUs: number, dateSource: GnssFix['dateSource']): GnssFix {
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
