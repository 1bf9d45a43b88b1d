import type cassandra from 'cassandra-driver';
import { DAY_MS, dayOf } from '../days.js';
import type { SampleQuery, SampleRow, SampleTable, StoredSample } from '../port/samples.js';
import { daysToRead, type RowTimes, ttlSecondsLeft } from '../time-bounds.js';
import { type BatchSize, eachPage, run, writePartitions } from './io.js';

const MINUTE_MS = 60_000;
/** Minutes (rows) per page of a read: at 1 Hz, 6,000 samples. */
const MINUTE_PAGE = 100;
/**
 * Samples per unlogged batch of one partition: about 4 KB, under Cassandra's 5 KB batch-size
 * warning. A minute holding more goes alone.
 */
const SAMPLES_PER_BATCH = 160;

/**
 * Samples of one vehicle's signal over a time range. A partition is one day of one signal
 * (device, signal, day), as the queries it serves ask; within it a row is one minute, its
 * samples a map from time to value. Appending to a map (`samples = samples + ?`) is
 * idempotent per time, so a replayed batch writes the same cells again, and a minute's
 * samples of a batch cost one statement instead of one per sample: the driver's work is per
 * statement, and storing samples is most of what the processor does. At 1 Hz a row holds 60
 * samples (a small collection, read whole); a signal sent above 100 Hz would make minutes of
 * more than 6,000 and should be thinned at the edge.
 *
 * TWCS with a window of about a thirtieth of the TTL keeps the number of windows bounded. A
 * sample's TTL counts from its own time; a statement carries the TTL of its earliest sample,
 * so a sample is kept for its TTL less at most the minute's spread. A range is read only over
 * the days that can hold samples (time-bounds.ts): not before the TTL's horizon, not after
 * now and the clock allowance.
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
    this.select = `SELECT samples FROM ${ks}.sample_minutes_by_signal_day WHERE device_id = ? AND signal_id = ? AND day = ? AND minute >= ? AND minute <= ?`;
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
    const out: StoredSample[] = [];
    // The day partitions that can hold samples, in time order, each over the minutes the
    // range covers, page by page; stop as soon as the limit is reached.
    for (let day = days.first; day <= days.last && out.length < q.limit; day++) {
      const dayStart = day * DAY_MS;
      const first = Math.max(0, Math.floor((q.fromMs - dayStart) / MINUTE_MS));
      const last = Math.min(1439, Math.floor((q.toMs - 1 - dayStart) / MINUTE_MS));
      await eachPage(
        this.client,
        this.select,
        [q.deviceId, q.signalId, day, first, last],
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
    }
    return out;
  }

  /** The append statements of the rows still within their TTL (see appendStatements). */
  private partitionsOf(rows: readonly SampleRow[]): unknown[][][] {
    const now = Date.now();
    return appendStatements(rows, (r) => ttlSecondsLeft(r.timeMs, now, this.times.ttlDays));
  }
}

/**
 * The append statements' parameters for `rows`, grouped by partition (device, signal, day):
 * one statement per minute, with the least TTL of its samples (`ttlOf`; undefined: the row
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
    const day = dayOf(r.timeMs);
    // Unique per (signal, day): a signal id is a CQL int (its 32 bits, made unsigned), a day
    // is below 2^21 until the year 7700, so the key stays an exact integer.
    const key = day * 2 ** 32 + (r.signalId >>> 0);
    let minutes = partitions.get(key);
    if (!minutes) {
      minutes = new Map();
      partitions.set(key, minutes);
    }
    const minute = Math.floor((r.timeMs - day * DAY_MS) / MINUTE_MS);
    last = minutes.get(minute);
    if (!last) {
      last = new MinuteSamples(r.deviceId, r.signalId, day, minute, ttl);
      minutes.set(minute, last);
    }
    last.add(r.timeMs, r.value, ttl);
  }
  const out: unknown[][][] = [];
  for (const partitions of byDevice.values())
    for (const minutes of partitions.values())
      out.push(Array.from(minutes.values(), (m) => m.params()));
  return out;
}

/** One minute of one partition's samples, gathered for one append statement. */
class MinuteSamples {
  private readonly startMs: number;
  private times: number[] = [];
  private values: number[] = [];
  /** Whether the times only grew: then no time came twice. */
  private ascending = true;

  constructor(
    readonly deviceId: string,
    readonly signalId: number,
    readonly day: number,
    readonly minute: number,
    private ttl: number,
  ) {
    this.startMs = day * DAY_MS + minute * MINUTE_MS;
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
    return [this.ttl, samples, this.deviceId, this.signalId, this.day, this.minute];
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
  `UPDATE ${ks}.sample_minutes_by_signal_day USING TTL ? SET samples = samples + ? WHERE device_id = ? AND signal_id = ? AND day = ? AND minute = ?`;
