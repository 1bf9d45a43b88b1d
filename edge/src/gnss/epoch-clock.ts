import { dayStartUs, nearestDayTime, type UtcDate } from './utc.js';

export interface EpochClockOptions {
  /**
   * A receiver date further than this from the host clock is not believed (default 24 h).
   * Receivers with the GPS week-number rollover bug report dates 1024 weeks (19.6 years) in
   * the past while claiming a valid fix; any tolerance between minutes and years catches
   * them, and a day leaves room for a host clock that is not yet disciplined.
   */
  readonly maxReceiverSkewUs?: number;
  /**
   * A host clock before this is taken as never set (a board without a real-time clock
   * before NTP), and is then not used at all (default 2020-01-01T00:00:00Z).
   */
  readonly hostClockFloorUs?: number;
}

export const DEFAULT_MAX_RECEIVER_SKEW_US = 24 * 3600 * 1_000_000;
export const DEFAULT_HOST_CLOCK_FLOOR_US = Date.UTC(2020, 0, 1) * 1000;

/** Where an epoch's date came from. */
export type DateSource = 'receiver' | 'host' | 'previous' | 'following' | 'fallback';

export interface Stamp {
  readonly timeUs: number;
  readonly dateSource: DateSource;
}

/**
 * Dates the epochs of one receiver. NMEA times of day come with every epoch, but only RMC
 * carries a date, and it can be missing (no RMC, or an epoch before the first RMC) or wrong
 * (week-rollover garbage). The rules, in order:
 *
 * 1. The receiver's date is used when it comes from an RMC that says its data is valid
 *    (status A, mode not N) and, when a usable host clock is known, lies within
 *    `maxReceiverSkewUs` of it. Dates from void RMCs are not believed: a receiver restarted
 *    without almanac reports placeholder dates (gp-320fw: 2006-12-16, 2010-09-30, 1999-08-22).
 * 2. Otherwise, on a live device (a host clock is known): the host's date, taking the day
 *    before or after when that puts the time of day closer to the host clock (midnight).
 * 3. Otherwise, in a replay: the date of the previous dated epoch, the same way.
 * 4. Otherwise the epoch has to wait (`undefined`) until a later epoch is dated; it is then
 *    dated backwards from that one (`following`), or from the fallback if none ever is.
 */
export class EpochClock {
  private readonly maxSkewUs: number;
  private readonly floorUs: number;
  private lastUs: number | undefined;

  constructor(options: EpochClockOptions = {}) {
    this.maxSkewUs = options.maxReceiverSkewUs ?? DEFAULT_MAX_RECEIVER_SKEW_US;
    this.floorUs = options.hostClockFloorUs ?? DEFAULT_HOST_CLOCK_FLOOR_US;
  }

  /** Whether `hostUs` is a host clock worth using. */
  usableHost(hostUs: number | undefined): hostUs is number {
    return hostUs !== undefined && hostUs >= this.floorUs;
  }

  /**
   * Dates one epoch. `validReceiverDate` is the date of a valid RMC of the epoch, if any;
   * `hostUs` the host clock when it arrived (live devices only).
   */
  stamp(
    timeOfDayUs: number,
    validReceiverDate: UtcDate | undefined,
    hostUs: number | undefined,
  ): Stamp | undefined {
    const host = this.usableHost(hostUs) ? hostUs : undefined;
    let stamp: Stamp | undefined;
    if (validReceiverDate !== undefined) {
      const receiverUs = dayStartUs(validReceiverDate) + timeOfDayUs;
      if (host === undefined || Math.abs(receiverUs - host) <= this.maxSkewUs) {
        stamp = { timeUs: receiverUs, dateSource: 'receiver' };
      }
    }
    if (stamp === undefined && host !== undefined) {
      stamp = { timeUs: nearestDayTime(timeOfDayUs, host), dateSource: 'host' };
    }
    if (stamp === undefined && this.lastUs !== undefined) {
      stamp = { timeUs: nearestDayTime(timeOfDayUs, this.lastUs), dateSource: 'previous' };
    }
    if (stamp !== undefined) this.lastUs = stamp.timeUs;
    return stamp;
  }

  /** Dates a held epoch from the dated epoch that followed it. */
  backdate(timeOfDayUs: number, followingUs: number): Stamp {
    return { timeUs: nearestDayTime(timeOfDayUs, followingUs), dateSource: 'following' };
  }

  /** Dates a held epoch when no dated epoch ever came (see FixTrackerOptions.fallbackUs). */
  fallback(timeOfDayUs: number, referenceUs: number): Stamp {
    const stamp: Stamp = {
      timeUs: nearestDayTime(timeOfDayUs, this.lastUs ?? referenceUs),
      dateSource: 'fallback',
    };
    this.lastUs = stamp.timeUs;
    return stamp;
  }
}
