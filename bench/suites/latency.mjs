// Latency benchmark: from a collision event a device publishes over MQTT to its collision
// alert in the business records' alert book, under a background load of vehicles publishing
// telemetry at 1 Hz. The pieces run as they are deployed, each in its own process: the gateway
// (gateway/dist/main.js) bridging into Kafka, and the cloud service (cloud/dist/main.js: the
// processor, the alert recorder and the API) writing into a fresh Cassandra keyspace and a
// fresh PostgreSQL database; all topics carry a prefix of this run. This process is the fleet
// (MQTT.js clients, QoS 1) and reads the alert book: the load generator does not share an
// event loop with the processor.
// Here: the services and the phases of a run; latency/fleet.mjs is the load generator,
// latency/tracker.mjs sends the collisions and finds their alerts, latency/report.mjs turns a
// run into figures and results.
import { counter as readCounter } from '../support.mjs';
import { connectAll, fleetOf, startTelemetry } from './latency/fleet.mjs';
import { openPipeline, pipelineReachable } from './latency/pipeline.mjs';
import { latencyResults } from './latency/report.mjs';
import { collisionTracker, sleep } from './latency/tracker.mjs';

/** A counter of a service that may have gone (NaN then, and the figure says so). */
const counter = (url, name, part) => readCounter(url, name, part).catch(() => Number.NaN);

/** How much load, how many collisions and how long each phase may take, by mode. */
const planFor = (quick) => ({
  vehicleCount: quick ? 200 : 1000,
  collisions: quick ? 30 : 120,
  everyMs: quick ? 500 : 600,
  warmupMs: quick ? 5_000 : 10_000,
  drainMs: quick ? 20_000 : 60_000,
  warmupLimitMs: quick ? 30_000 : 90_000,
});

/**
 * The edge agent's default (samples every second, sent in 5-s batches) and, in full mode,
 * every vehicle sending each second's samples on their own (five times the records).
 */
export async function run({ quick, log }) {
  if (!(await pipelineReachable())) {
    log('Kafka, Cassandra or PostgreSQL is not reachable: latency benchmark skipped');
    return [];
  }
  const results = [];
  for (const batchEveryS of quick ? [5] : [5, 1]) {
    results.push(...(await measure({ quick, log, batchEveryS })));
  }
  return results;
}

async function measure({ quick, log, batchEveryS }) {
  const plan = planFor(quick);
  const cleanup = [];
  try {
    const services = await openPipeline('latency', Date.now(), cleanup);
    const { cloud, gateway, mqttPort, metricsUrl, recordsDb } = services;

    const clients = await connectAll(`mqtt://127.0.0.1:${mqttPort}`, plan.vehicleCount);
    cleanup.push(() => Promise.all(clients.map((c) => c.endAsync(true).catch(() => {}))));
    const vehicles = fleetOf(clients);
    log(`${plan.vehicleCount} vehicles connected to the gateway on port ${mqttPort}`);

    const telemetry = startTelemetry(vehicles, batchEveryS);
    cleanup.push(async () => telemetry.stop());
    const tracker = collisionTracker(recordsDb);
    cleanup.push(() => tracker.stop());

    const phase = { tracker, telemetry, vehicles, services, plan, log };
    await warmUp(phase);
    const measured = await sendCollisions(phase);
    telemetry.stop();
    await tracker.stop();
    await logBatchDurations(metricsUrl, log);
    if (cloud.exited() || gateway.exited()) {
      log(`a service exited during the run:\n${gateway.output()}\n${cloud.output()}`);
    }
    return latencyResults({ run: measured, telemetry: telemetry.state, plan, batchEveryS, log });
  } finally {
    for (const close of cleanup.reverse()) await close().catch((err) => log(err.message));
  }
}

/** Warm-up: the load runs, and one collision (not counted) must come through end to end. */
async function warmUp({ tracker, vehicles, services, plan, log }) {
  const { cloud, gateway, failed } = services;
  const warmupStart = Date.now();
  const warm = tracker.send(vehicles[vehicles.length - 1]);
  await tracker.settle(Date.now() + plan.warmupLimitMs, failed);
  if (tracker.pending.has(warm)) {
    throw new Error(
      `the warm-up collision's alert was not stored ${failed() ? 'before a service exited' : `within ${plan.warmupLimitMs / 1000} s`}\ngateway:\n${gateway.output()}\ncloud:\n${cloud.output()}`,
    );
  }
  tracker.done.length = 0;
  log(`warm-up collision stored after ${warm.storedMs.toFixed(0)} ms`);
  await sleep(Math.max(0, warmupStart + plan.warmupMs - Date.now()));
}

/**
 * Measured: collisions from distinct vehicles, spread through the load, which keeps running
 * until every alert is stored (or the drain deadline passes). Returns the collisions sent and
 * what the gateway and the processor handled meanwhile.
 */
async function sendCollisions({ tracker, telemetry, vehicles, services, plan, log }) {
  const { metricsUrl, failed } = services;
  const { vehicleCount, collisions, everyMs, drainMs } = plan;
  const handledAtStart = await counter(
    metricsUrl,
    'fleetline_processor_records_total',
    'telemetry',
  );
  const publishedAtStart = telemetry.state.acked;
  const cpuAtStart = await counter(metricsUrl, 'process_cpu_seconds_total');
  const samplesAtStart = await counter(metricsUrl, 'fleetline_processor_samples_stored_total');
  telemetry.state.measuring = true;
  const start = performance.now();
  const step = Math.floor((vehicleCount - 1) / collisions);
  const sent = [];
  for (let k = 0; k < collisions; k++) {
    sent.push(tracker.send(vehicles[k * step]));
    if ((k + 1) % Math.ceil(collisions / 4) === 0) {
      log(
        `${k + 1}/${collisions} collisions sent, ${tracker.done.length} alerts stored, ${tracker.pending.size} pending`,
      );
    }
    await sleep(everyMs);
  }
  await tracker.settle(Date.now() + drainMs, failed);
  telemetry.state.measuring = false;
  const elapsed = (performance.now() - start) / 1000;
  const handled =
    (await counter(metricsUrl, 'fleetline_processor_records_total', 'telemetry')) - handledAtStart;
  const published = telemetry.state.acked - publishedAtStart;
  // The cloud service's CPU (processor, alert recorder and API: the processor nearly all of it)
  // per 1,000 samples it stored meanwhile.
  const cpuSeconds = (await counter(metricsUrl, 'process_cpu_seconds_total')) - cpuAtStart;
  const samples =
    (await counter(metricsUrl, 'fleetline_processor_samples_stored_total')) - samplesAtStart;
  const otherAlerts =
    (await counter(metricsUrl, 'fleetline_processor_alert_changes_total', 'raised')) -
    (await counter(metricsUrl, 'fleetline_processor_alert_changes_total', 'type="collision"'));
  return { sent, elapsed, handled, published, otherAlerts, cpuSeconds, samples };
}

/** How long the processor's batches took, from its own histogram. */
async function logBatchDurations(metricsUrl, log) {
  const text = await fetch(metricsUrl).then((r) => r.text());
  const buckets = text
    .split('\n')
    .filter((l) => l.startsWith('fleetline_processor_batch_seconds_bucket'))
    .map((l) => `${l.match(/le="([^"]+)"/)?.[1]}:${l.split(' ').pop()}`);
  log(`processor batches by duration (le seconds: count, cumulative): ${buckets.join(' ')}`);
}
