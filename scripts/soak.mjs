#!/usr/bin/env node
// Soak test, on demand (not in CI): simulated vehicles sampling at 1 Hz for minutes through
// the gateway, real Kafka, several cloud processes sharing one processor group and real
// Cassandra, then a verdict: no sample lost, none stored twice.
//
//   node scripts/soak.mjs [--vehicles 1000] [--minutes 10] [--processors 2]
//                         [--batch-interval-ms 5000] [--keep]
//
// Every run uses its own topic prefix and keyspace; the keyspace is dropped at the end unless
// --keep is given. What was acknowledged is read back from the run's telemetry topic (every
// batch the gateway acknowledged was appended there first) and compared, per vehicle and
// signal, with the rows in Cassandra (SELECT COUNT(*) per partition).
//
// The parts are in scripts/soak/: the command line (options), the services and their counters
// (pipeline), the load (simulator), the batches read back (telemetry-topic), the count in
// Cassandra (count) and the verdict (summary).
import { CassandraTelemetryDb, KafkaLog, withTopicPrefix } from '@fleetline/platform';
import cassandra from 'cassandra-driver';
import { dropKeyspace, reachable } from '../bench/support.mjs';
import { countStored, partitionsToCount } from './soak/count.mjs';
import { soakOptions } from './soak/options.mjs';
import {
  processorCounters,
  settle,
  startPipeline,
  sumCounter,
  watchProgress,
} from './soak/pipeline.mjs';
import { simulate, simulatorArgs } from './soak/simulator.mjs';
import { printReport, soakResult } from './soak/summary.mjs';
import { readTelemetry } from './soak/telemetry-topic.mjs';

const KAFKA = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const CASSANDRA = (process.env.CASSANDRA_CONTACT_POINTS ?? '127.0.0.1:9042').split(',');

const parsed = soakOptions(process.argv.slice(2));
if (parsed.exit !== undefined) {
  if (parsed.stdout) process.stdout.write(parsed.stdout);
  if (parsed.stderr) process.stderr.write(parsed.stderr);
  process.exit(parsed.exit);
}
const options = parsed.options;
const { vehicles, minutes, processors, batchIntervalMs } = options;

const started = Date.now();
const log = (msg) =>
  process.stderr.write(
    `[soak ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${msg}\n`,
  );

/** The names of this run: its keyspace, topic prefix and vehicle ids are its own. */
function runNames(stamp) {
  return {
    brokers: KAFKA,
    contactPoints: CASSANDRA,
    stamp,
    keyspace: `soak_${stamp}`,
    prefix: `soak${stamp}.`,
    idPrefix: `soak${stamp.toString(36)}`,
  };
}

/** Creates the run's keyspace (the cloud processes open it); `cleanup` drops it, unless kept. */
async function createKeyspace(keyspace, cleanup) {
  const telemetryDb = await CassandraTelemetryDb.open({
    contactPoints: CASSANDRA,
    localDataCenter: 'datacenter1',
    keyspace,
    replicationFactor: 1,
    samplesTtlDays: 30,
  });
  await telemetryDb.close();
  cleanup.push(async () => {
    if (options.keep) log(`keyspace ${keyspace} kept`);
    else await dropKeyspace(CASSANDRA, keyspace);
  });
}

/** Counts the run's samples in Cassandra against what the gateway acknowledged. */
async function countCassandra(run, telemetry, cleanup) {
  // Count every (vehicle, signal) partition in Cassandra.
  const client = new cassandra.Client({
    contactPoints: CASSANDRA,
    localDataCenter: 'datacenter1',
    encoding: { map: Map },
  });
  cleanup.push(() => client.shutdown());
  const { partitions, signals } = partitionsToCount(telemetry.expected, vehicles, run.idPrefix);
  log(`counting ${partitions.length} (vehicle, signal) partitions in Cassandra`);
  const counted = await countStored(client, run.keyspace, partitions);
  return { counted, signals };
}

/** Setup, the load, settling, the count and the verdict; resolves with the exit code. */
async function main() {
  if (!(await reachable(KAFKA[0])) || !(await reachable(CASSANDRA[0]))) {
    process.stderr.write(
      `soak: Kafka (${KAFKA[0]}) or Cassandra (${CASSANDRA[0]}) is not reachable.\n` +
        'Start them with `npm run infra:up` (or set KAFKA_BROKERS / CASSANDRA_CONTACT_POINTS).\n',
    );
    return 2;
  }
  const run = runNames(Date.now());
  log(
    `${vehicles} vehicles, ${minutes} min, ${processors} processor(s), batches every ${batchIntervalMs} ms; keyspace ${run.keyspace}, topic prefix ${run.prefix}`,
  );

  const cleanup = [];
  try {
    await createKeyspace(run.keyspace, cleanup);
    const pipeline = await startPipeline(run, { processors, cleanup, log });
    const kafka = withTopicPrefix(
      new KafkaLog({ brokers: KAFKA, clientId: `soak-${run.stamp}`, replicationFactor: 1 }),
      run.prefix,
    );
    const telemetry = await readTelemetry(kafka, `soak-check-${run.stamp}`);
    cleanup.push(() => telemetry.close());

    // Progress of the pipeline while the simulator runs (its own progress is passed through).
    const t0 = Date.now();
    const { metricsUrls } = pipeline;
    const recordsAt0 = await sumCounter(
      metricsUrls,
      'fleetline_processor_records_total',
      'telemetry',
    );
    const progress = watchProgress(pipeline, telemetry, log);
    cleanup.push(async () => clearInterval(progress));

    const { mqttPort } = pipeline;
    const sim = await simulate(
      simulatorArgs({ mqttPort, vehicles, minutes, batchIntervalMs, idPrefix: run.idPrefix }),
      log,
    );
    const summary = sim.summary;
    log(`simulator done (exit ${sim.code}): ${JSON.stringify(summary)}`);

    await settle(metricsUrls, telemetry, summary.acked, log);
    const counters = await processorCounters(metricsUrls, t0, recordsAt0);
    clearInterval(progress);
    await telemetry.close();

    const { counted, signals } = await countCassandra(run, telemetry, cleanup);
    const result = soakResult({ summary, telemetry, counted, signals, counters, options });
    const pass = printReport(result, counted.wrong);
    if (summary.lost > 0 || summary.failed > 0) {
      log(
        `note: the simulator reported ${summary.lost} lost and ${summary.failed} failed publishes`,
      );
    }
    for (const s of pipeline.services) {
      if (s.exited()) log(`${s.name} exited during the run:\n${s.output()}`);
    }
    return pass ? 0 : 1;
  } finally {
    for (const close of cleanup.reverse()) await close().catch((err) => log(String(err.message)));
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`soak: ${err.stack ?? err}\n`);
    process.exit(1);
  },
);
