import type Database from 'better-sqlite3';
import type { EventQuery, EventRow, EventTable } from '../port/events.js';
import type { ReadPool } from './read-pool.js';
import type { SqliteReadOps } from './reads.js';

interface EventTableRow {
  device_id: string;
  t_ms: number;
  seq: number;
  kind: string;
  detail: string;
}

/** Vehicles' events: written on the writer's connection, listed on a reader thread. */
export class SqliteEvents implements EventTable {
  private readonly write;
  /** Deletes at most `slice` events older than `before` (see RowExpiry). */
  readonly expire: Database.Statement<[number, number]>;

  constructor(
    private readonly db: Database.Database,
    private readonly reads: ReadPool<SqliteReadOps>,
  ) {
    this.write = db.prepare(
      'INSERT INTO events (device_id, t_ms, seq, kind, detail) VALUES (?, ?, ?, ?, ?) ON CONFLICT (device_id, t_ms, seq) DO UPDATE SET kind = excluded.kind, detail = excluded.detail',
    );
    this.expire = db.prepare<[number, number]>(
      'DELETE FROM events WHERE (device_id, t_ms, seq) IN (SELECT device_id, t_ms, seq FROM events WHERE t_ms < ? LIMIT ?)',
    );
  }

  async writeEvents(rows: readonly EventRow[]): Promise<void> {
    this.db.transaction(() => {
      for (const e of rows) this.write.run(e.deviceId, e.timeMs, e.seq, e.kind, e.detail);
    })();
  }

  async listEvents(q: EventQuery): Promise<EventRow[]> {
    return this.reads.run('listEvents', q);
  }
}

/** The events' reads on a reader thread's connection. */
export class EventReads {
  private readonly list;

  constructor(db: Database.Database) {
    this.list = db.prepare<
      { device: string; from: number; to: number; kind: string | null; limit: number },
      EventTableRow
    >(
      'SELECT device_id, t_ms, seq, kind, detail FROM events WHERE device_id = @device AND t_ms >= @from AND t_ms < @to AND (@kind IS NULL OR kind = @kind) ORDER BY t_ms DESC, seq DESC LIMIT @limit',
    );
  }

  listEvents(q: EventQuery): EventRow[] {
    return this.list
      .all({
        device: q.deviceId,
        from: q.fromMs,
        to: q.toMs,
        kind: q.kind ?? null,
        limit: Math.max(0, q.limit),
      })
      .map((r) => ({
        deviceId: r.device_id,
        seq: r.seq,
        timeMs: r.t_ms,
        kind: r.kind,
        detail: r.detail,
      }));
  }
}
