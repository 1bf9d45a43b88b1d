// The soak's services — cloud processes sharing one processor group, and the gateway — and
// what their counters say while and after the load runs.
import { counter, freePort, kafkaEnv, startCloud, startGateway } from '../../bench/support.mjs';

const SETTLE_LIMIT_MS = 300_000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function sumCounter(urls, name, part) {
  let sum = 0;
  for (const url of urls) sum += await counter(url, name, part);
  return sum;
}

/**
 * Starts `processors` cloud processes, then the gateway, on the run's topics (`prefix`) and
 * keyspace; each is stopped by `cleanup`. Returns them (`services`), the processors' metrics
 * URLs and the gateway's MQTT port.
 */
export async function startPipeline({ brokers, contactPoints, stamp, prefix, keyspace }, opts) {
  const { processors, cleanup, log } = opts;
  const kafka = kafkaEnv(brokers, prefix, 12);
  const services = [];
  const metricsUrls = [];
  for (let i = 0; i < processors; i++) {
    // One after the other: the first creates the topics.
    const port = await freePort();
    const cloud = await startCloud(`cloud${i + 1}`, port, {
      kafka,
      contactPoints,
      keyspace,
      group: `soak-${stamp}`,
    });
    cleanup.push(() => cloud.stop());
    services.push(cloud);
    metricsUrls.push(cloud.metricsUrl);
    log(`cloud process ${i + 1} up on port ${port}`);
  }

  const mqttPort = await freePort();
  const gateway = await startGateway(mqttPort, kafka);
  cleanup.push(() => gateway.stop());
  services.push(gateway);
  log(`gateway up on port ${mqttPort}`);
  return { services, metricsUrls, mqttPort };
}

/** Logs, every 15 s, what the pipeline has stored and read back, and any service gone. */
export function watchProgress({ services, metricsUrls }, telemetry, log) {
  return setInterval(async () => {
    try {
      const stored = await sumCounter(metricsUrls, 'fleetline_processor_samples_stored_total');
      const down = services.filter((s) => s.exited()).map((s) => s.name);
      log(
        `pipeline: ${stored} samples stored, ${telemetry.batches.size} batches in Kafka${down.length ? `; EXITED: ${down.join(', ')}` : ''}`,
      );
    } catch {}
  }, 15_000);
}

/**
 * Waits (bounded) until the telemetry topic has been read to the acknowledged batches and
 * the processors' stored-sample counters stop growing.
 */
export async function settle(metricsUrls, telemetry, acked, log) {
  const settleDeadline = Date.now() + SETTLE_LIMIT_MS;
  let last = -1;
  let still = 0;
  let stored = 0;
  while (Date.now() < settleDeadline) {
    stored = await sumCounter(metricsUrls, 'fleetline_processor_samples_stored_total');
    const read = telemetry.batches.size >= acked;
    still = stored === last && read ? still + 1 : 0;
    last = stored;
    if (still >= 3) break;
    log(`settling: ${stored} samples stored, ${telemetry.batches.size}/${acked} batches read back`);
    await sleep(2000);
  }
}

/**
 * What the processors counted since `t0`, when their records counter read `recordsAt0`:
 * seconds, telemetry records, redeliveries skipped, and samples stored by each.
 */
export async function processorCounters(metricsUrls, t0, recordsAt0) {
  const processingS = (Date.now() - t0) / 1000;
  const records =
    (await sumCounter(metricsUrls, 'fleetline_processor_records_total', 'telemetry')) - recordsAt0;
  const duplicates = await sumCounter(metricsUrls, 'fleetline_processor_duplicates_total');
  // Per cloud process: the partitions are shared, so each should have stored some.
  const perProcessor = [];
  for (const url of metricsUrls) {
    perProcessor.push(await counter(url, 'fleetline_processor_samples_stored_total'));
  }
  return { processingS, records, duplicates, perProcessor };
}
