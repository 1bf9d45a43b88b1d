// The soak's check: the samples in Cassandra, per vehicle and signal, against what the gateway
// acknowledged.

/** Runs `fn` over `items` with at most `limit` at a time. */
async function pool(items, limit, fn) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

/**
 * Every vehicle of the run × every signal seen, over the run's hours: a partition without
 * acknowledged samples must be empty. `expected` is readTelemetry's.
 */
export function partitionsToCount(expected, vehicles, idPrefix) {
  const signals = new Set([...expected.keys()].map((k) => Number(k.split('\t')[1])));
  const allHours = new Set();
  for (const e of expected.values()) for (const d of e.hours) allHours.add(d);
  const partitions = [];
  for (let i = 1; i <= vehicles; i++) {
    const deviceId = `${idPrefix}-${String(i).padStart(4, '0')}`;
    for (const signal of signals) {
      const e = expected.get(`${deviceId}\t${signal}`);
      partitions.push({
        deviceId,
        signal,
        count: e?.count ?? 0,
        hours: [...(e?.hours ?? allHours)],
      });
    }
  }
  return { partitions, signals };
}

/**
 * Counts each partition's samples (the entries of its minutes' maps, 64 partitions at a time)
 * against the samples sent to it: the totals, the samples missing and extra, and a line for
 * each partition that differs.
 */
export async function countStored(client, keyspace, partitions) {
  const query = `SELECT samples FROM ${keyspace}.sample_minutes_by_device_hour WHERE device_id = ? AND hour IN ? AND signal_id = ?`;
  const samplesIn = async (p) => {
    let n = 0;
    // Page by page: a run of hours of one signal is many minutes. Maps decode as Map (the client is
    // made so), one entry per sample.
    for await (const row of client.stream(query, [p.deviceId, p.hours, p.signal], {
      prepare: true,
      fetchSize: 1000,
    }))
      n += row.samples?.size ?? 0;
    return n;
  };
  let expectedTotal = 0;
  let storedTotal = 0;
  let missing = 0;
  let extra = 0;
  const wrong = [];
  await pool(partitions, 64, async (p) => {
    const n = p.hours.length === 0 ? 0 : await samplesIn(p);
    expectedTotal += p.count;
    storedTotal += n;
    if (n < p.count) missing += p.count - n;
    if (n > p.count) extra += n - p.count;
    if (n !== p.count) wrong.push(`${p.deviceId} signal ${p.signal}: ${n} stored, ${p.count} sent`);
  });
  return { expectedTotal, storedTotal, missing, extra, wrong };
}
