import type Database from 'better-sqlite3';
import { deleteInSlices } from '../../sqlite-slices.js';
import { HELD_COMMAND_GRACE_MS } from './commands.js';

/** A slice-bounded DELETE: (before, slice) → deletes at most `slice` rows older than `before`. */
type SliceDelete = Database.Statement<[number, number]>;

export interface RowExpiryOptions {
  /** Samples and events are deleted this long after their time; 0: kept for good. */
  readonly ttlMs: number;
  readonly samples: SliceDelete;
  readonly events: SliceDelete;
  /** Held commands, deleted HELD_COMMAND_GRACE_MS after they expire. */
  readonly commands: SliceDelete;
  /** True once the database is closing: a round stops between slices. */
  readonly stopped: () => boolean;
}

/**
 * Deletes samples and events past the TTL and held commands past their grace: once at start,
 * then every hour. A round that fails (the file busy with another process's write, say)
 * leaves the rows to the next round: nothing is lost by deleting them later.
 */
export class RowExpiry {
  private running = false;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly o: RowExpiryOptions) {
    const expire = () => void this.expireOld().catch(() => {});
    expire();
    this.timer = setInterval(expire, 3600_000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async expireOld(): Promise<void> {
    if (this.running || this.o.stopped()) return;
    this.running = true;
    try {
      const now = Date.now();
      const rounds: [SliceDelete, number][] = [];
      if (this.o.ttlMs > 0)
        rounds.push([this.o.samples, now - this.o.ttlMs], [this.o.events, now - this.o.ttlMs]);
      rounds.push([this.o.commands, now - HELD_COMMAND_GRACE_MS]);
      // A slice at a time (sqlite-slices.ts), so a backlog never holds ingest for seconds.
      for (const [statement, before] of rounds) {
        await deleteInSlices(statement, before, this.o.stopped);
      }
    } finally {
      this.running = false;
    }
  }
}
