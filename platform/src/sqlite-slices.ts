import { setImmediate as nextTurn } from 'node:timers/promises';
import type Database from 'better-sqlite3';

/**
 * Rows are deleted this many per statement, with a turn of the event loop between statements:
 * a few ms of the thread each, so a backlog (the first start after a long stop, a shorter
 * retention) never holds the thread that acknowledges devices' publishes for seconds.
 */
export const DELETE_SLICE = 5000;

/**
 * Runs a slice-bounded DELETE until a run deletes less than a whole slice: the statement takes
 * (before, slice) and deletes at most `slice` rows older than `before`, e.g.
 * `DELETE FROM t WHERE (k) IN (SELECT k FROM t WHERE time < ? LIMIT ?)`. Stops early, between
 * slices, when `stopped()` says so (the database is closing). Resolves with the rows deleted.
 */
export async function deleteInSlices(
  statement: Database.Statement<[number, number]>,
  before: number,
  stopped: () => boolean,
  slice = DELETE_SLICE,
): Promise<number> {
  let deleted = 0;
  for (;;) {
    if (stopped()) return deleted;
    const changes = statement.run(before, slice).changes;
    deleted += changes;
    if (changes < slice) return deleted;
    await nextTurn();
  }
}
