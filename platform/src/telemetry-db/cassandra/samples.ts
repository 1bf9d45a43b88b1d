import type cassandra from 'cassandra-driver';
import type { SampleQuery, SampleRow, SampleTable, StoredSample } from '../port/samples.js';
import { daysToRead, type RowTimes, ttlSecondsLeft } from '../time-bounds.js';
import { type BatchSize, eachPage, run, writePartitions } from './io.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/** Minutes (rows) per page of a read: an hour of one signal is one page. */
const MINUTE_PAGE = 60;
/** Hour partitions read at once: a day's. */
const HOURS_AT_ONCE = 24;
/**
 * Samples per unlogged batch of one partition: about 48 KB, one mutation. Cassandra checks
 * the batch size (5 KB to warn, 50 KB to refuse) only for batches of several partitions
 * (CASSANDRA-10876); this bounds the mutation all the same. A minute holding more goes alone.
 */
const SAMPLES_PER_BATCH = 2_000;

/**
 * Samples of one vehicle over time. A partition is one hour of one vehicle (device, hour);
 * within it a row is one minute of one signal (signal, minute), its samples a map from time
 * to value.
 *
 * - Writes: what a vehicle sends at once is one hour of all its signals, so a batch of it is
 *   one partition — one request, one mutation — however many signals it carries. Appending to
 *   a map (`samples = samples + ?`) is idempotent per time, so a replayed batch writes the
 *   same cells again, and a minute's samples cost one statement instead of one per sample:
 *   the driver's work is per request and per statement, and storing samples is most of what
 *   the processor does.
 * - Reads: one signal over a range is a slice of each hour's partition (the signal, then its
 *   minutes, in clustering order), read a day's hours at a time. An hour bounds a partition
 *   at 1 Hz and 100 signals to 6,000 rows and 360,000 samples; at 1 Hz a row holds 60 samples
 *   (a small collection, read whole). A signal sent above 100 Hz should be thinned at the
 *   edge.
 *
 * TWCS with a window of about a thirtieth of the TTL keeps the number of windows bounded. A
 * sample's TTL counts from its own time; a statement carries the TTL of its earliest sample,
 * so a sample is kept for its TTL less at most the minute's spread. A range is read only over
 * the hours of the days that can hold samples (time-bounds.ts): not before the TTL's horizon,
 * not after now and the clock allowance.
 */
export class CassandraSamples implements SampleTable {
  private readonly append: string;
  private readonly select: string;

  constructor(
    private readonly client: cassandra.Client,
    ks: string,
    private readonly times: RowTimes,
  ) {
    this.append = sampleAppend(ks);
    this.select = `SELECT samples FROM ${ks}.sample_minutes_by_device_hour WHERE device_id = ? AND hour = ? AND signal_id = ? AND minute >= ? AND minute <= ?`;
  }

  async writeSamples(rows: readonly SampleRow[]): Promise<void> {
    if (rows.length === 0) return;
    await run(
      () => writePartitions(this.client, this.append, this.partitionsOf(rows), sampleBatches),
      `write ${rows.length} samples`,
    );
  }

  async querySamples(q: SampleQuery): Promise<StoredSample[]> {
    const days = daysToRead(q.fromMs, q.toMs, Date.now(), this.times);
    if (!days || q.limit <= 0) return [];
    const firstHour = Math.max(days.first * 24, Math.floor(q.fromMs / HOUR_MS));
    const lastHour = Math.min(days.last * 24 + 23, Math.floor((q.toMs - 1) / HOUR_MS));
    const out: StoredSample[] = [];
    // The hours that can hold samples, in time order, a day's at once; each read up to the
    // limit, then taken in order until the limit is reached.
    for (let from = firstHour; from <= lastHour && out.length < q.limit; from += HOURS_AT_ONCE) {
      const hours: number[] = [];
      for (let h = from; h <= Math.min(lastHour, from + HOURS_AT_ONCE - 1); h++) hours.push(h);
      const read = await Promise.all(hours.map((h) => this.readHour(q, h)));
      for (const samples of read) {
        for (const s of samples) {
          if (out.length >= q.limit) break;
          out.push(s);
        }
      }
    }
    return out;
  }

  /** The samples of one hour partition within the query's range, at most its limit. */
  private async readHour(q: SampleQuery, hour: number): Promise<StoredSample[]> {
    const hourStart = hour * HOUR_MS;
    const first = Math.max(0, Math.floor((q.fromMs - hourStart) / MINUTE_MS));
    const last = Math.min(59, Math.floor((q.toMs - 1 - hourStart) / MINUTE_MS));
    const out: StoredSample[] = [];
    await eachPage(
      this.client,
      this.select,
      [q.deviceId, hour, q.signalId, first, last],
      MINUTE_PAGE,
      'query samples',
      (rows) => {
        for (const row of rows) {
          // Map cells come ordered by key: the minute's samples in time order.
          const samples = row.get('samples') as Map<Date, number> | null;
          if (!samples) continue;
          for (const [t, value] of samples) {
            const timeMs = t.getTime();
            if (timeMs < q.fromMs || timeMs >= q.toMs) continue;
            out.push({ timeMs, value });
            if (out.length >= q.limit) return true;
          }
        }
        return false;
      },
    );
    return out;
  }

  /** The append statements of the rows still within their TTL (see appendStatements). */
  private partitionsOf(rows: readonly SampleRow[]): unknown[][][] {
    const now = Date.now();
    return appendStatements(rows, (r) => ttlSecondsLeft(r.timeMs, now, this.times.ttlDays));
  }
}

/**
 * The append statements' parameters for `rows`, grouped by partition (device, hour): one
 * statement per minute of a signal, with the least TTL of its samples (`ttlOf`; undefined: the row
 * is past its time and not written). This runs for every stored sample, so it does little
 * per row: rows come in runs of one signal (a batch is coded by signal), so a row usually
 * joins the minute of the row before without a lookup.
 */
export function appendStatements<R extends SampleRow>(
  rows: Iterable<R>,
  ttlOf: (row: R) => number | undefined,
): unknown[][][] {
  const byDevice = new Map<string, Map<number, Map<number, MinuteSamples>>>();
  let last: MinuteSamples | undefined;
  for (const r of rows) {
    const ttl = ttlOf(r);
    if (ttl === undefined) continue;
    if (last?.holds(r)) {
      last.add(r.timeMs, r.value, ttl);
      continue;
    }
    let partitions = byDevice.get(r.deviceId);
    if (!partitions) {
      partitions = new Map();
      byDevice.set(r.deviceId, partitions);
    }
    const hour = Math.floor(r.timeMs / HOUR_MS);
    let minutes = partitions.get(hour);
    if (!minutes) {
      minutes = new Map();
      partitions.set(hour, minutes);
    }
    const minute = Math.floor((r.timeMs - hour * HOUR_MS) / MINUTE_MS);
    // Unique per (signal, minute): a signal id is a CQL int (its 32 bits, made unsigned), so
    // the key stays an exact integer.
    const key = (r.signalId >>> 0) * 64 + minute;
    last = minutes.get(key);
    if (!last) {
      last = new MinuteSamples(r.deviceId, hour, r.signalId, minute, ttl);
      minutes.set(key, last);
    }
    last.add(r.timeMs, r.value, ttl);
  }
  const out: unknown[][][] = [];
  for (const partitions of byDevice.values())
    for (const minutes of partitions.values())
      out.push(Array.from(minutes.values(), (m) => m.params()));
  return out;
}

/** One minute of one signal's samples, gathered for one append statement. */
class MinuteSamples {
  private readonly startMs: number;
  private times: number[] = [];
  private values: number[] = [];
  /** Whether the times only grew: then no time came twice. */
  private ascending = true;

  constructor(
    readonly deviceId: string,
    readonly hour: number,
    readonly signalId: number,
    readonly minute: number,
    private ttl: number,
  ) {
    this.startMs = hour * HOUR_MS + minute * MINUTE_MS;
  }

  holds(r: SampleRow): boolean {
    return (
      r.signalId === this.signalId &&
      r.timeMs >= this.startMs &&
      r.timeMs < this.startMs + MINUTE_MS &&
      r.deviceId === this.deviceId
    );
  }

  add(timeMs: number, value: number, ttl: number): void {
    const n = this.times.length;
    if (n > 0 && timeMs <= (this.times[n - 1] as number)) this.ascending = false;
    this.times.push(timeMs);
    this.values.push(value);
    if (ttl < this.ttl) this.ttl = ttl;
  }

  /** The statement's parameters; a time given twice keeps its last value. */
  params(): unknown[] {
    if (!this.ascending) {
      const latest = new Map<number, number>();
      this.times.forEach((t, i) => {
        latest.set(t, this.values[i] as number);
      });
      this.times = [...latest.keys()];
      this.values = [...latest.values()];
    }
    const samples = encodeSampleMap(this.times, this.values);
    return [this.ttl, samples, this.deviceId, this.hour, this.signalId, this.minute];
  }
}

/** Bytes of one map entry on the wire: a timestamp and a double, each with its length. */
const ENTRY_BYTES = 24;

/**
 * A minute's samples (times without repeats) as the CQL `map<timestamp, double>` value the
 * driver would send
 * (native protocol v3 and later: an int32 count, then each key and value as an int32 length
 * and its bytes; timestamps are int64 ms), written into one buffer. The driver passes a
 * Buffer through as it is; left to the driver, each entry would cost two buffers and a Long.
 */
export function encodeSampleMap(times: readonly number[], values: readonly number[]): Buffer {
  const out = Buffer.allocUnsafe(4 + times.length * ENTRY_BYTES);
  out.writeInt32BE(times.length, 0);
  let at = 4;
  for (let i = 0; i < times.length; i++) {
    const timeMs = times[i] as number;
    // int64 from a safe integer without BigInt: the high word floored (two's complement for
    // times before 1970), the low word what remains.
    const high = Math.floor(timeMs / 2 ** 32);
    out.writeInt32BE(8, at);
    out.writeInt32BE(high, at + 4);
    out.writeUInt32BE(timeMs - high * 2 ** 32, at + 8);
    out.writeInt32BE(8, at + 12);
    out.writeDoubleBE(values[i] as number, at + 16);
    at += ENTRY_BYTES;
  }
  return out;
}

/** Batches of append statements, sized by their samples. */
export const sampleBatches: BatchSize = {
  budget: SAMPLES_PER_BATCH,
  sizeOf: (params) => ((params[1] as Buffer).length - 4) / ENTRY_BYTES,
};

/** The statement that adds samples to a minute, its parameters as appendStatements makes them. */
export const sampleAppend = (ks: string) =>
  `UPDATE ${ks}.sample_minutes_by_device_hour USING TTL ? SET samples = samples + ? WHERE device_id = ? AND hour = ? AND signal_id = ? AND minute = ?`;
