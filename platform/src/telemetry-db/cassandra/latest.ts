import cassandra from 'cassandra-driver';
import type { LatestValueTable } from '../port/latest.js';
import type { SampleRow } from '../port/samples.js';
import { eachPage, ROW_PAGE, run, writePartitions } from './io.js';

/** Signals per unlogged batch of one vehicle's latest values, about 2 KB. */
const LATEST_PER_BATCH = 50;

/**
 * A vehicle's latest value of each signal: one partition per vehicle, a row per signal
 * (clustered by signal id, so a read comes ordered), written with the sample time as the
 * write time (USING TIMESTAMP): Cassandra keeps the cell with the highest write time, so the
 * newest sample wins whatever order batches arrive in, without reading before writing.
 */
export class CassandraLatestValues implements LatestValueTable {
  private readonly q;

  constructor(
    private readonly client: cassandra.Client,
    ks: string,
  ) {
    this.q = {
      writeLatest: `INSERT INTO ${ks}.latest_values (device_id, signal_id, t, value) VALUES (?, ?, ?, ?) USING TIMESTAMP ?`,
      latestValues: `SELECT signal_id, t, value FROM ${ks}.latest_values WHERE device_id = ?`,
    };
  }

  async writeLatest(rows: readonly SampleRow[]): Promise<void> {
    // One row per (device, signal): the newest sample of each. A vehicle is one partition, so
    // its rows go out together as one unlogged batch, each statement with its own write time.
    const byDevice = new Map<string, Map<number, SampleRow>>();
    for (const r of rows) {
      let newest = byDevice.get(r.deviceId);
      if (!newest) {
        newest = new Map();
        byDevice.set(r.deviceId, newest);
      }
      const seen = newest.get(r.signalId);
      if (!seen || r.timeMs >= seen.timeMs) newest.set(r.signalId, r);
    }
    if (byDevice.size === 0) return;
    const partitions = [...byDevice.values()].map((newest) =>
      [...newest.values()].map((r) => [
        r.deviceId,
        r.signalId,
        r.timeMs,
        r.value,
        // The sample time as the write time (microseconds, as Cassandra's own): a cell
        // written with an older sample time loses to the one there, so replays and late
        // batches never move a value back, and no read is needed before the write.
        cassandra.types.Long.fromNumber(r.timeMs * 1000),
      ]),
    );
    await run(
      () =>
        writePartitions(this.client, this.q.writeLatest, partitions, { budget: LATEST_PER_BATCH }),
      `write the latest values of ${byDevice.size} vehicles`,
    );
  }

  async latestValues(deviceId: string): Promise<SampleRow[]> {
    const out: SampleRow[] = [];
    await eachPage(
      this.client,
      this.q.latestValues,
      [deviceId],
      ROW_PAGE,
      'read latest values',
      (rows) => {
        for (const row of rows) {
          const t = row.get('t') as Date | null;
          const value = row.get('value') as number | null;
          if (!t || value === null) continue;
          out.push({
            deviceId,
            signalId: row.get('signal_id') as number,
            timeMs: t.getTime(),
            value,
          });
        }
      },
    );
    return out;
  }
}
