import type cassandra from 'cassandra-driver';
import { dayOf } from '../days.js';
import type { SampleQuery, SampleRow, SampleTable, StoredSample } from '../port/samples.js';
import { daysToRead, type RowTimes, ttlSecondsLeft } from '../time-bounds.js';
import { CONCURRENCY, eachPage, inParallel, run } from './io.js';

/** Rows per page of samples (small rows). */
const SAMPLE_PAGE = 5000;
/** Rows per unlogged batch: about 2 KB, under Cassandra's 5 KB batch-size warning. */
const SAMPLES_PER_BATCH = 40;

/**
 * Samples of one vehicle's signal over a time range: partition (device, signal, day) keeps a
 * partition to one day of one signal (86,400 rows at 1 Hz), clustered by time; TWCS with a
 * window of about a thirtieth of the TTL keeps the number of windows bounded. A sample's TTL
 * counts from its own time, and a range is read only over the days that can hold samples
 * (time-bounds.ts): not before the TTL's horizon, not after now and the clock allowance.
 */
export class CassandraSamples implements SampleTable {
  private readonly insert: string;
  private readonly select: string;

  constructor(
    private readonly client: cassandra.Client,
    ks: string,
    private readonly times: RowTimes,
  ) {
    this.insert = `INSERT INTO ${ks}.samples_by_signal_day (device_id, signal_id, day, t, value) VALUES (?, ?, ?, ?, ?) USING TTL ?`;
    this.select = `SELECT t, value FROM ${ks}.samples_by_signal_day WHERE device_id = ? AND signal_id = ? AND day = ? AND t >= ? AND t < ? LIMIT ?`;
  }

  async writeSamples(rows: readonly SampleRow[]): Promise<void> {
    if (rows.length === 0) return;
    const requests = this.batchesOf(rows);
    await run(
      () =>
        inParallel(requests, CONCURRENCY, (params) =>
          params.length === 1
            ? this.client.execute(this.insert, params[0])
            : this.client.batch(
                params.map((p) => ({ query: this.insert, params: p })),
                { prepare: true, logged: false },
              ),
        ),
      `write ${rows.length} samples`,
    );
  }

  async querySamples(q: SampleQuery): Promise<StoredSample[]> {
    const days = daysToRead(q.fromMs, q.toMs, Date.now(), this.times);
    if (!days || q.limit <= 0) return [];
    const out: StoredSample[] = [];
    // The day partitions that can hold samples, in time order, each page by page (a day of
    // one signal at 1 Hz is 86,400 rows); stop as soon as the limit is reached.
    for (let day = days.first; day <= days.last && out.length < q.limit; day++) {
      const left = q.limit - out.length;
      await eachPage(
        this.client,
        this.select,
        [q.deviceId, q.signalId, day, new Date(q.fromMs), new Date(q.toMs), left],
        Math.min(SAMPLE_PAGE, left),
        'query samples',
        (rows) => {
          for (const row of rows) {
            out.push({
              timeMs: (row.get('t') as Date).getTime(),
              value: row.get('value') as number,
            });
          }
          return out.length >= q.limit;
        },
      );
    }
    return out;
  }

  /**
   * The insert parameters of the rows still within their TTL, grouped into requests. Rows of
   * one partition (device, signal, day) go in one unlogged batch: one request and one
   * mutation on one replica set instead of one per row, which is what a batch is for in
   * Cassandra (batches across partitions would load the coordinator instead). Each batch
   * stays under Cassandra's batch-size warning.
   */
  private batchesOf(rows: readonly SampleRow[]): unknown[][][] {
    const groups = new Map<string, unknown[][]>();
    const now = Date.now();
    for (const r of rows) {
      const ttl = ttlSecondsLeft(r.timeMs, now, this.times.ttlDays);
      if (ttl === undefined) continue; // past its time already: kept by no adapter
      const day = dayOf(r.timeMs);
      const key = `${r.deviceId}\u0000${r.signalId}\u0000${day}`;
      let group = groups.get(key);
      if (!group) {
        group = [];
        groups.set(key, group);
      }
      group.push([r.deviceId, r.signalId, day, new Date(r.timeMs), r.value, ttl]);
    }
    const requests: unknown[][][] = [];
    for (const group of groups.values()) {
      for (let i = 0; i < group.length; i += SAMPLES_PER_BATCH)
        requests.push(group.slice(i, i + SAMPLES_PER_BATCH));
    }
    return requests;
  }
}
