import cassandra from 'cassandra-driver';
import type { LatestValueTable } from '../port/latest.js';
import type { SampleRow } from '../port/samples.js';
import { CONCURRENCY, eachPage, ROW_PAGE, run } from './io.js';

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
    // One write per (device, signal): the batch's newest sample of each.
    const newest = new Map<string, SampleRow>();
    for (const r of rows) {
      const key = `${r.deviceId}\u0000${r.signalId}`;
      const seen = newest.get(key);
      if (!seen || r.timeMs >= seen.timeMs) newest.set(key, r);
    }
    if (newest.size === 0) return;
    await run(
      () =>
        cassandra.concurrent.executeConcurrent(
          this.client,
          this.q.writeLatest,
          [...newest.values()].map((r) => [
            r.deviceId,
            r.signalId,
            new Date(r.timeMs),
            r.value,
            // The sample time as the write time (microseconds, as Cassandra's own): a cell
            // written with an older sample time loses to the one there, so replays and late
            // batches never move a value back, and no read is needed before the write.
            cassandra.types.Long.fromNumber(r.timeMs * 1000),
          ]),
          { concurrencyLevel: CONCURRENCY },
        ),
      `write the latest values of ${newest.size} signals`,
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
