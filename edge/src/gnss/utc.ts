/** A calendar date as a receiver reports it (RMC field 9). */
export interface UtcDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export const US_PER_DAY = 86_400_000_000;

/** Epoch microseconds of 00:00 UTC on `date`. */
export function dayStartUs(date: UtcDate): number {
  return Date.UTC(date.year, date.month - 1, date.day) * 1000;
}

/** Epoch microseconds of 00:00 UTC on the day containing `timeUs`. */
export function dayStartOf(timeUs: number): number {
  return Math.floor(timeUs / US_PER_DAY) * US_PER_DAY;
}

/**
 * Puts a UTC time of day on the day (the one of `referenceUs`, or the day before or after)
 * that brings it closest to `referenceUs`. This is how a time of day without a trusted date
 * is dated: against the host clock, or against a neighbouring epoch that has a date.
 */
export function nearestDayTime(timeOfDayUs: number, referenceUs: number): number {
  const day = dayStartOf(referenceUs);
  let best = day + timeOfDayUs;
  for (const candidate of [best - US_PER_DAY, best + US_PER_DAY]) {
    if (Math.abs(candidate - referenceUs) < Math.abs(best - referenceUs)) best = candidate;
  }
  return best;
}
