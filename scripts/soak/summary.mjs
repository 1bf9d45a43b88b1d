// The soak's verdict: the result (printed as a table and a JSON line), and whether every
// acknowledged sample was stored exactly once.

function pct(v) {
  return v === null || v === undefined ? '—' : `${Number(v).toFixed(0)} ms`;
}

/**
 * The run's result from the simulator's `summary`, the batches read back (`telemetry`), the
 * Cassandra count (`counted`) and the processors' `counters`.
 */
export function soakResult({ summary, telemetry, counted, signals, counters, options }) {
  const vehiclesWithSamples = new Set([...telemetry.expected.keys()].map((k) => k.split('\t')[0]));
  const samplesPerBatch = summary.acked > 0 ? counted.expectedTotal / telemetry.batches.size : 0;
  return {
    vehicles: summary.vehicles,
    connected: summary.connected,
    vehiclesWithSamples: vehiclesWithSamples.size,
    signals: signals.size,
    minutes: options.minutes,
    processors: options.processors,
    batchesSent: summary.sent,
    batchesAcked: summary.acked,
    batchesLostBySimulator: summary.lost,
    batchesInKafka: telemetry.batches.size,
    samplesPerBatch: Number(samplesPerBatch.toFixed(2)),
    samplesExpected: counted.expectedTotal,
    samplesStored: counted.storedTotal,
    missing: counted.missing,
    extra: counted.extra,
    duplicatesSkipped: counters.duplicates,
    storedPerProcessor: counters.perProcessor,
    processorRecordsPerS: Number((counters.records / counters.processingS).toFixed(1)),
    pubackMs: summary.latencyMs,
  };
}

/** The summary table's rows: label, value. */
export function summaryRows(result) {
  return [
    ['vehicles (connected)', `${result.vehicles} (${result.connected})`],
    ['minutes', result.minutes],
    ['processors', result.processors],
    ['batches sent / acked', `${result.batchesSent} / ${result.batchesAcked}`],
    ['batches read back from Kafka', result.batchesInKafka],
    ['samples per batch (mean)', result.samplesPerBatch],
    ['samples expected (acked)', result.samplesExpected],
    ['samples stored', result.samplesStored],
    ['missing', result.missing],
    ['extra', result.extra],
    ['duplicates skipped', result.duplicatesSkipped],
    ['stored per processor', result.storedPerProcessor.join(' / ')],
    ['processor records/s (run mean)', result.processorRecordsPerS],
    ['publish→PUBACK p50 / p99', `${pct(result.pubackMs.p50)} / ${pct(result.pubackMs.p99)}`],
  ];
}

/** What fails the run; none when every acknowledged sample was stored exactly once. */
export function problemsOf(result) {
  const problems = [];
  if (result.missing > 0) problems.push(`${result.missing} samples missing`);
  if (result.extra > 0) problems.push(`${result.extra} extra samples`);
  if (result.batchesInKafka < result.batchesAcked) {
    problems.push(
      `${result.batchesAcked - result.batchesInKafka} acknowledged batches not in Kafka`,
    );
  }
  if (result.batchesAcked === 0) problems.push('no batch was acknowledged');
  return problems;
}

/**
 * Prints the summary table, the first mismatched partitions (`wrong`), the result as a JSON
 * line with its verdict, and PASS or FAIL; returns whether it passed.
 */
export function printReport(result, wrong, out = process.stdout) {
  const rows = summaryRows(result);
  const w = Math.max(...rows.map(([k]) => k.length));
  out.write('\nSoak test summary\n');
  for (const [k, v] of rows) out.write(`  ${k.padEnd(w)}  ${v}\n`);
  for (const line of wrong.slice(0, 10)) out.write(`  mismatch: ${line}\n`);
  if (wrong.length > 10) out.write(`  … and ${wrong.length - 10} more mismatches\n`);

  const problems = problemsOf(result);
  const pass = problems.length === 0;
  result.pass = pass;
  out.write(`\n${JSON.stringify(result)}\n`);
  out.write(
    pass
      ? `\nPASS: every acknowledged sample stored exactly once (${result.duplicatesSkipped} redeliveries skipped)\n`
      : `\nFAIL: ${problems.join('; ')}\n`,
  );
  return pass;
}
