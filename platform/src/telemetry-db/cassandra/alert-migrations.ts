import type cassandra from 'cassandra-driver';
import { alertOfRow, LIST_PAGE, listRow, statements } from './alerts.js';
import { eachPage, inParallel, type MigrationStep, run } from './io.js';

/** Schema version 7: the alert list by day with its indexes, filled from the alerts there are. */
export const alertListMigration = (ks: string): MigrationStep[] => [
  `CREATE TABLE IF NOT EXISTS ${ks}.alert_list_by_day (
     day int, raised timestamp, alert_id text, device_id text, type text, severity text,
     condition_key text, evidence text, clears_when text, state text, cleared timestamp,
     acknowledged timestamp, acknowledged_by text, resolved timestamp, resolved_by text,
     PRIMARY KEY ((day), raised, alert_id))
   WITH CLUSTERING ORDER BY (raised DESC, alert_id ASC)`,
  `CREATE INDEX IF NOT EXISTS alert_list_by_device ON ${ks}.alert_list_by_day (device_id) USING 'sai'`,
  `CREATE INDEX IF NOT EXISTS alert_list_by_type ON ${ks}.alert_list_by_day (type) USING 'sai'`,
  `CREATE INDEX IF NOT EXISTS alert_list_by_state ON ${ks}.alert_list_by_day (state) USING 'sai'`,
  (client) => awaitQueryableIndexes(client, ks, 'alert_list_by_day'),
  (client) => fillAlertList(client, ks),
];

/** Schema version 8: the days that hold alerts, filled from the alert list there is. */
export const alertDaysMigration = (ks: string): MigrationStep[] => [
  `CREATE TABLE IF NOT EXISTS ${ks}.alert_days (list int, day int, PRIMARY KEY ((list), day))
   WITH CLUSTERING ORDER BY (day DESC)`,
  (client) => fillAlertDays(client, ks),
];

/**
 * Copies every alert into the list (the alerts recorded before it existed). Idempotent, and
 * safe beside live writes: it writes only the cells an alert has, and its state by rank.
 */
async function fillAlertList(client: cassandra.Client, ks: string): Promise<void> {
  const q = statements(ks);
  await eachPage(client, q.allAlerts, [], LIST_PAGE, 'copy alerts into the alert list', (rows) =>
    inParallel(rows, 16, async (row) => {
      if (!row.get('device_id')) return;
      await run(
        () => client.batch(listRow(q, alertOfRow(row)), { prepare: true, logged: false }),
        'copy an alert into the alert list',
      );
    }),
  );
}

/** Records the day of every alert in the list (those recorded before alert_days existed). */
async function fillAlertDays(client: cassandra.Client, ks: string): Promise<void> {
  const q = statements(ks);
  await eachPage(client, q.listedDays, [], LIST_PAGE, 'copy the days of alerts', (rows) =>
    inParallel(rows, 16, (row) =>
      run(() => client.execute(q.recordDay, [row.get('day')]), 'record a day of alerts'),
    ),
  );
}

/**
 * Waits until the table's Storage-Attached Indexes answer queries: an index is built after
 * CREATE INDEX returns, and a query before that fails. Servers without the SAI view are not
 * waited for.
 */
async function awaitQueryableIndexes(
  client: cassandra.Client,
  ks: string,
  table: string,
  timeoutMs = 60_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    let rows: cassandra.types.Row[];
    try {
      rows = (
        await client.execute(
          'SELECT table_name, index_name, is_queryable FROM system_views.sai_column_indexes WHERE keyspace_name = ?',
          [ks],
        )
      ).rows;
    } catch {
      return;
    }
    const building = rows
      .filter((r) => r.get('table_name') === table && r.get('is_queryable') !== true)
      .map((r) => r.get('index_name') as string);
    if (building.length === 0) return;
    if (Date.now() > until) {
      throw new Error(`indexes ${building.join(', ')} not queryable after ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
