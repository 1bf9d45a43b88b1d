import type Database from 'better-sqlite3';
import type {
  SampleBucket,
  SampleBucketQuery,
  SampleQuery,
  SampleRow,
  SampleTable,
  StoredSample,
} from '../port/samples.js';
import type { ReadPool } from './read-pool.js';
import type { SqliteReadOps } from './reads.js';

/** Samples: written on the writer's connection, ranges and buckets read on a reader thread. */
export class SqliteSamples implements SampleTable {
  private readonly upsert;
  /** Deletes at most `slice` samples older than `before` (see RowExpiry). */
  readonly expire: Database.Statement<[number, number]>;

  constructor(
    private readonly db: Database.Database,
    private readonly reads: ReadPool<SqliteReadOps>,
  ) {
    this.upsert = db.prepare(
      'INSERT INTO samples (device_id, signal_id, t_ms, value) VALUES (?, ?, ?, ?) ON CONFLICT (device_id, signal_id, t_ms) DO UPDATE SET value = excluded.value',
    );
    this.expire = db.prepare<[number, number]>(
      'DELETE FROM samples WHERE (device_id, signal_id, t_ms) IN (SELECT device_id, signal_id, t_ms FROM samples WHERE t_ms < ? LIMIT ?)',
    );
  }

  async writeSamples(rows: readonly SampleRow[]): Promise<void> {
    this.db.transaction(() => {
      for (const r of rows) this.upsert.run(r.deviceId, r.signalId, r.timeMs, r.value);
    })();
  }

  async querySamples(q: SampleQuery): Promise<StoredSample[]> {
    const { timeMs, value } = await this.reads.run('querySamples', q);
    const out: StoredSample[] = new Array(timeMs.length);
    for (let i = 0; i < timeMs.length; i++) out[i] = { timeMs: timeMs[i]!, value: value[i]! };
    return out;
  }

  async bucketSamples(q: SampleBucketQuery): Promise<SampleBucket[] | undefined> {
    if (!(Number.isInteger(q.widthMs) && q.widthMs >= 1)) {
      throw new RangeError(`bucket width must be a whole number of ms ≥ 1, not ${q.widthMs}`);
    }
    return this.reads.run('bucketSamples', q);
  }
}

/**
 * Samples as two columns: typed arrays cross to the main thread without being copied
 * (transferred), where an array of objects would be cloned there, one object at a time.
 */
export interface SampleColumns {
  readonly timeMs: Float64Array;
  readonly value: Float64Array;
}

/** The samples' reads on a reader thread's connection. */
export class SampleReads {
  private readonly range;
  private readonly buckets;

  constructor(db: Database.Database) {
    this.range = db
      .prepare<[string, number, number, number, number], [number, number]>(
        'SELECT t_ms, value FROM samples WHERE device_id = ? AND signal_id = ? AND t_ms >= ? AND t_ms < ? ORDER BY t_ms LIMIT ?',
      )
      .raw();
    // Integer arithmetic for the bucket index: numbers are bound as REAL, and a REAL
    // division would put every sample into a bucket of its own. The inner LIMIT bounds
    // the work to maxSamples + 1 rows however large the range.
    this.buckets = db.prepare<
      {
        device: string;
        signal: number;
        from: number;
        to: number;
        width: number;
        cap: number;
      },
      { i: number; n: number; mean: number; lo: number; hi: number }
    >(
      `SELECT (t_ms - CAST(@from AS INTEGER)) / CAST(@width AS INTEGER) AS i,
           count(*) AS n, avg(value) AS mean, min(value) AS lo, max(value) AS hi
         FROM (SELECT t_ms, value FROM samples
               WHERE device_id = @device AND signal_id = @signal AND t_ms >= @from AND t_ms < @to
               ORDER BY t_ms LIMIT @cap)
         GROUP BY i ORDER BY i`,
    );
  }

  querySamples(q: SampleQuery): SampleColumns {
    const times: number[] = [];
    const values: number[] = [];
    for (const [t, v] of this.range.iterate(q.deviceId, q.signalId, q.fromMs, q.toMs, q.limit)) {
      times.push(t);
      values.push(v);
    }
    return { timeMs: Float64Array.from(times), value: Float64Array.from(values) };
  }

  bucketSamples(q: SampleBucketQuery): SampleBucket[] | undefined {
    const rows = this.buckets.all({
      device: q.deviceId,
      signal: q.signalId,
      from: q.fromMs,
      to: q.toMs,
      width: q.widthMs,
      cap: q.maxSamples + 1,
    });
    let read = 0;
    for (const r of rows) read += r.n;
    if (read > q.maxSamples) return undefined;
    return rows.map((r) => ({
      startMs: q.fromMs + r.i * q.widthMs,
      count: r.n,
      mean: r.mean,
      min: r.lo,
      max: r.hi,
    }));
  }
}
