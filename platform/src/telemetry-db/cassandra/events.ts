import cassandra from 'cassandra-driver';
import { dayOf } from '../days.js';
import type { EventQuery, EventRow, EventTable } from '../port/events.js';
import { daysToRead, type RowTimes, ttlSecondsLeft } from '../time-bounds.js';
import { CONCURRENCY, eachPage, ROW_PAGE, run } from './io.js';

/**
 * A vehicle's events: partition (device, day), newest first by (time, seq), expiring with
 * the samples' TTL (from their own time); listing walks the day partitions that can hold
 * events newest first.
 */
export class CassandraEvents implements EventTable {
  private readonly q;

  constructor(
    private readonly client: cassandra.Client,
    ks: string,
    private readonly times: RowTimes,
  ) {
    this.q = {
      writeEvent: `INSERT INTO ${ks}.events_by_device_day (device_id, day, t, seq, kind, detail) VALUES (?, ?, ?, ?, ?, ?) USING TTL ?`,
      eventsOfDay: `SELECT t, seq, kind, detail FROM ${ks}.events_by_device_day WHERE device_id = ? AND day = ? AND t >= ? AND t < ?`,
    };
  }

  async writeEvents(rows: readonly EventRow[]): Promise<void> {
    const now = Date.now();
    const params: unknown[][] = [];
    for (const e of rows) {
      // Kept as long as the samples, from its own time; one past that already is not written.
      const ttl = ttlSecondsLeft(e.timeMs, now, this.times.ttlDays);
      if (ttl === undefined) continue;
      params.push([
        e.deviceId,
        dayOf(e.timeMs),
        new Date(e.timeMs),
        cassandra.types.Long.fromNumber(e.seq),
        e.kind,
        e.detail,
        ttl,
      ]);
    }
    if (params.length === 0) return;
    await run(
      () =>
        cassandra.concurrent.executeConcurrent(this.client, this.q.writeEvent, params, {
          concurrencyLevel: CONCURRENCY,
        }),
      `write ${rows.length} events`,
    );
  }

  async listEvents(q: EventQuery): Promise<EventRow[]> {
    const out: EventRow[] = [];
    const days = daysToRead(q.fromMs, q.toMs, Date.now(), this.times);
    if (!days || q.limit <= 0) return out;
    // The day partitions that can hold events, newest first; within one, page through the
    // rows (the kind filter is applied here, not in CQL) and stop as soon as the limit is
    // reached.
    for (let day = days.last; day >= days.first && out.length < q.limit; day--) {
      await eachPage(
        this.client,
        this.q.eventsOfDay,
        [q.deviceId, day, new Date(q.fromMs), new Date(q.toMs)],
        q.kind ? ROW_PAGE : Math.min(ROW_PAGE, q.limit - out.length),
        'list events',
        (rows) => {
          for (const row of rows) {
            const kind = row.get('kind') as string;
            if (q.kind && kind !== q.kind) continue;
            out.push({
              deviceId: q.deviceId,
              seq: (row.get('seq') as cassandra.types.Long).toNumber(),
              timeMs: (row.get('t') as Date).getTime(),
              kind,
              detail: row.get('detail') as string,
            });
            if (out.length >= q.limit) return true;
          }
          return false;
        },
      );
    }
    return out;
  }
}
