import type Database from 'better-sqlite3';
import type { LatestValueTable } from '../port/latest.js';
import type { SampleRow } from '../port/samples.js';

/** Each vehicle's latest value of each signal: an upsert that keeps the newer sample time. */
export class SqliteLatestValues implements LatestValueTable {
  private readonly write;
  private readonly read;

  constructor(private readonly db: Database.Database) {
    // The newest sample time wins, whatever order the writes come in.
    this.write = db.prepare(
      'INSERT INTO latest_values (device_id, signal_id, t_ms, value) VALUES (?, ?, ?, ?) ON CONFLICT (device_id, signal_id) DO UPDATE SET t_ms = excluded.t_ms, value = excluded.value WHERE excluded.t_ms >= latest_values.t_ms',
    );
    this.read = db.prepare<
      [string],
      { device_id: string; signal_id: number; t_ms: number; value: number }
    >(
      'SELECT device_id, signal_id, t_ms, value FROM latest_values WHERE device_id = ? ORDER BY signal_id',
    );
  }

  async writeLatest(rows: readonly SampleRow[]): Promise<void> {
    this.db.transaction(() => {
      for (const r of rows) this.write.run(r.deviceId, r.signalId, r.timeMs, r.value);
    })();
  }

  async latestValues(deviceId: string): Promise<SampleRow[]> {
    return this.read.all(deviceId).map((r) => ({
      deviceId: r.device_id,
      signalId: r.signal_id,
      timeMs: r.t_ms,
      value: r.value,
    }));
  }
}
