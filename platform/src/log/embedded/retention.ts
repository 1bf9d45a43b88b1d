import type Database from 'better-sqlite3';
import { deleteInSlices } from '../../sqlite-slices.js';

/**
 * Kafka's retention.ms for the embedded log: at open and every minute, the records older than
 * the retention are deleted a slice at a time with a turn of the event loop between slices
 * (sqlite-slices.ts) — the log shares its thread with the gateway, and a backlog of millions
 * of records deleted in one statement held it for seconds.
 */
export class Retention {
  private running = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    /** Deletes at most (slice) records appended before (time): see deleteInSlices. */
    private readonly statement: Database.Statement<[number, number]>,
    private readonly retentionMs: number,
    /** True once the database is closing: no further slice is deleted. */
    private readonly closed: () => boolean,
    intervalMs = 60_000,
  ) {
    // A round that fails (a full disk, say) leaves the records to the next round: records
    // deleted later are not lost, and a timer's throw would end the process.
    const round = () => void this.run().catch(() => {});
    setImmediate(round);
    this.timer = setInterval(round, intervalMs);
    this.timer.unref();
  }

  /** One round: deletes the records older than the retention. One round runs at a time. */
  async run(): Promise<number> {
    if (this.running || this.closed()) return 0;
    this.running = true;
    try {
      return await deleteInSlices(this.statement, Date.now() - this.retentionMs, this.closed);
    } finally {
      this.running = false;
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
