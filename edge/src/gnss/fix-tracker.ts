import type { NmeaError } from '../errors.js';
import { EpochClock, type EpochClockOptions } from './epoch-clock.js';
import {
  assemble,
  believedDate,
  type Epoch,
  type GnssFix,
  hasPositionSentence,
  isTimed,
  newEpoch,
  type TimedSentence,
  timedOfKind,
} from './epoch-fix.js';
import { nmeaError } from './nmea-frame.js';
import type { NmeaSentence } from './nmea-sentences.js';

export type { GnssFix } from './epoch-fix.js';

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

interface Held {
  readonly epoch: Epoch;
  readonly timeOfDayUs: number;
}

/**
 * Groups sentences into epochs and turns each epoch into a GnssFix (epoch-fix), dated by the
 * EpochClock. Pure: time comes in with the sentences (`receivedAtUs`, the host clock on
 * arrival from a live device).
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
 *   first GGA; then GNS, then RMC, then GLL (all carry the same solution);
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
