import type cassandra from 'cassandra-driver';
import type { SampleRow } from '../port/samples.js';
import { eachPage, writePartitions } from './io.js';
import { appendStatements, sampleAppend, sampleBatches } from './samples.js';

/** Rows per page of the copy. */
const COPY_PAGE = 5000;

/**
 * Schema version 9's copy: every sample of version 1's table (a row per sample) into the
 * minute rows of the table that replaced it, page by page, each sample with the TTL it has left
 * (none: kept for good). Run again after an interruption it writes the same cells again.
 * The old table stays, emptying as its TTLs run out.
 */
export async function copySampleRows(client: cassandra.Client, ks: string): Promise<void> {
  const append = sampleAppend(ks);
  await eachPage(
    client,
    `SELECT device_id, signal_id, t, value, TTL(value) AS ttl FROM ${ks}.samples_by_signal_day`,
    [],
    COPY_PAGE,
    'copy samples to minutes',
    async (rows) => {
      const samples = rows.map((row): SampleRow & { ttl: number } => ({
        deviceId: row.get('device_id') as string,
        signalId: row.get('signal_id') as number,
        timeMs: (row.get('t') as Date).getTime(),
        value: row.get('value') as number,
        ttl: (row.get('ttl') as number | null) ?? 0,
      }));
      await writePartitions(
        client,
        append,
        appendStatements(samples, (s) => s.ttl),
        sampleBatches,
      );
    },
  );
}
