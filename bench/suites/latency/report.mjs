// What the latency suite makes of a run: its percentiles, the lines it logs and its results.
import { POLL_MS } from './tracker.mjs';

export function pct(values, q) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Collision→alert latencies of the collisions `sent`, beside publish→PUBACK of telemetry. */
function figuresOf(sent, telemetryPubacks) {
  const stored = sent.filter((c) => c.storedMs !== undefined);
  // A collision whose alert was not stored counts as slower than every stored one: a
  // percentile that lands on one has no figure.
  const latencies = sent.map((c) => c.storedMs ?? Number.POSITIVE_INFINITY);
  const figure = (v) => (Number.isFinite(v) ? v : null);
  return {
    stored,
    lost: sent.length - stored.length,
    ours: { p50: figure(pct(latencies, 0.5)), p99: figure(pct(latencies, 0.99)) },
    pubacks: sent.filter((c) => c.pubackMs !== undefined).map((c) => c.pubackMs),
    reference: { p50: pct(telemetryPubacks, 0.5), p99: pct(telemetryPubacks, 0.99) },
  };
}

function logRun({ sent, elapsed, otherAlerts }, figures, telemetry, throughput, log) {
  const { stored, ours, pubacks, reference } = figures;
  const ref = telemetry.pubacks;
  log(
    `per collision in send order, stored / PUBACK ms: ${sent.map((c) => `${c.storedMs?.toFixed(0) ?? 'not stored'}/${c.pubackMs?.toFixed(0) ?? '—'}`).join(' ')}`,
  );
  const ms = (v) => (v === null ? 'none' : `${v.toFixed(0)} ms`);
  log(
    `collision→alert stored: p50 ${ms(ours.p50)}, p99 ${ms(ours.p99)} (${stored.length} of ${sent.length} stored)`,
  );
  log(
    `collision publish→PUBACK: p50 ${pct(pubacks, 0.5).toFixed(0)} ms, p99 ${pct(pubacks, 0.99).toFixed(0)} ms; telemetry publish→PUBACK: p50 ${reference.p50.toFixed(0)} ms, p99 ${reference.p99.toFixed(0)} ms (${ref.length} publishes)`,
  );
  log(
    `in ${elapsed.toFixed(0)} s: ${throughput}; ${otherAlerts} other alerts raised; ${telemetry.failed} publishes failed`,
  );
}

/**
 * Logs what the run measured and returns its results: p50 and p99 of collision→alert stored,
 * and how many alerts were stored of the collisions sent.
 * `run` is what the measured phase counted; `telemetry` the load generator's state.
 */
export function latencyResults({ run, telemetry, plan, batchEveryS, log }) {
  const { sent, elapsed, handled, published, cpuSeconds, samples } = run;
  const { vehicleCount, everyMs, drainMs } = plan;
  const figures = figuresOf(sent, telemetry.pubacks);
  const { stored, lost, ours, reference } = figures;
  const cpu = `${((cpuSeconds * 1e6) / Math.max(1, samples)).toFixed(1)} ms of the cloud service's CPU per 1,000 samples stored (${(samples / elapsed).toFixed(0)} samples/s)`;
  const throughput = `${(published / elapsed).toFixed(0)} telemetry batches/s acknowledged by the gateway, ${(handled / elapsed).toFixed(0)}/s handled by the processor, ${cpu}`;
  logRun(run, figures, telemetry, throughput, log);

  const load =
    batchEveryS === 1
      ? `${vehicleCount} vehicles at 1 Hz, each second sent on its own`
      : `${vehicleCount} vehicles at 1 Hz, sent in ${batchEveryS}-s batches as the agent does`;
  const lostNote =
    lost > 0
      ? `; ${lost} alert(s) not stored ${drainMs / 1000} s after the last collision was sent (lost, or late behind a backlog: compare the rates), counted as slower than every stored one`
      : '';
  const how =
    'from just before a device publishes its collision event (QoS 1) to the gateway, through Kafka, the processor, alerts.v1 and the alert recorder, ' +
    `to the first listAlerts poll that returns the alert (every ${POLL_MS} ms, pending collisions only); ` +
    `${sent.length} collisions over ${elapsed.toFixed(0)} s, one every ${everyMs} ms from distinct vehicles; ${throughput}${lostNote}`;
  const results = [];
  for (const [q, target, pass] of [
    ['p50', '—', true],
    ['p99', '< 500 ms', ours.p99 !== null && ours.p99 < 500 && lost === 0],
  ]) {
    results.push({
      metric: `collision→alert stored ${q} (${load})`,
      unit: 'ms',
      ours: ours[q],
      reference: reference[q],
      referenceLabel: 'publish→PUBACK of the same telemetry load',
      ratio: ours[q] === null ? null : ours[q] / reference[q],
      target,
      pass,
      note: how,
    });
  }
  results.push({
    metric: `collision alerts stored / collisions sent (${load})`,
    unit: 'alerts',
    ours: stored.length,
    reference: sent.length,
    referenceLabel: 'collisions sent',
    ratio: stored.length / sent.length,
    target: 'all',
    pass: lost === 0,
    note: lost > 0 ? lostNote.slice(2) : undefined,
  });
  return results;
}
