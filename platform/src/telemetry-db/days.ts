export const DAY_MS = 86_400_000;

/** The day bucket of a time (days since the epoch, UTC). */
export const dayOf = (timeMs: number): number => Math.floor(timeMs / DAY_MS);
