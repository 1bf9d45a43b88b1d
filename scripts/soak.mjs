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
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CassandraTelemetryDb, dayOf, KafkaLog, withTopicPrefix } from '@fleetline/platform';
import { decodeTelemetryBatch, kafkaTopics } from '@fleetline/proto';
import cassandra from 'cassandra-driver';
import { counter, dropKeyspace, freePort, reachable, startService } from '../bench/support.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const KAFKA = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const CASSANDRA = (process.env.CASSANDRA_CONTACT_POINTS ?? '127.0.0.1:9042').split(',');
const SETTLE_LIMIT_MS = 300_000;

const { values: opts } = parseArgs({
  options: {
    vehicles: { type: 'string', default: '1000' },
    minutes: { type: 'string', default: '10' },
    processors: { type: 'string', default: '2' },
    'batch-interval-ms': { type: 'string', default: '5000' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opts.help) {
  process.stdout.write(
    'usage: node scripts/soak.mjs [--vehicles 1000] [--minutes 10] [--processors 2] [--batch-interval-ms 5000] [--keep]\n',
  );
  process.exit(0);
}
const vehicles = Number(opts.vehicles);
const minutes = Number(opts.minutes);
const processors = Number(opts.processors);
const batchIntervalMs = Number(opts['batch-interval-ms']);
for (const [flag, v] of [
  ['--vehicles', vehicles],
  ['--minutes', minutes],
  ['--processors', processors],
  ['--batch-interval-ms', batchIntervalMs],
]) {
  if (!Number.isFinite(v) || v <= 0) {
    process.stderr.write(`soak: ${flag} must be a positive number\n`);
    process.exit(2);
  }
}

const started = Date.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (msg) =>
  process.stderr.write(
    `[soak ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${msg}\n`,
  );

async function sumCounter(urls, name, part) {
  let sum = 0;
  for (const url of urls) sum += await counter(url, name, part);
  return sum;
}

/** Runs `fleetline simulate`, its progress passed through; resolves with its JSON summary. */
async function simulate(args) {
  const child = spawn(process.execPath, [join(root, 'app/bin/fleetline.js'), 'simulate', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => {
    for (const line of String(d).split('\n')) if (line.trim()) log(`simulate: ${line.trim()}`);
  });
  const [code] = await once(child, 'exit');
  const line = out.trim().split('\n').pop();
  try {
    return { code, summary: JSON.parse(line) };
  } catch {
    throw new Error(`fleetline simulate exited with ${code} and no summary:\n${out}`);
  }
}

/**
 * Reads the run's telemetry topic from the start: per vehicle and signal, how many samples the
 * acknowledged batches carried (each batch once, by vehicle and sequence number).
 */
async function readTelemetry(log, groupId) {
  const batches = new Set();
  const expected = new Map(); // `${deviceId}\t${signalId}` -> { count, days:Set }
  let records = 0;
  const consumer = await log.consume({
    groupId,
    topics: [kafkaTopics.telemetry],
    startAt: 'earliest',
    maxBatch: 1000,
    async handle(rs) {
      for (const r of rs) {
        records++;
        const b = decodeTelemetryBatch(r.value);
        const id = `${b.deviceId}\t${b.seq}`;
        if (batches.has(id)) continue;
        batches.add(id);
        for (const s of b.samples) {
          const k = `${b.deviceId}\t${s.signalId}`;
          let e = expected.get(k);
          if (!e) {
            e = { count: 0, days: new Set() };
            expected.set(k, e);
          }
          e.count++;
          e.days.add(dayOf(Number(s.timeMs)));
        }
      }
    },
  });
  return {
    batches,
    expected,
    records: () => records,
    close: () => consumer.close(),
  };
}

/** Runs `fn` over `items` with at most `limit` at a time. */
async function pool(items, limit, fn) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

function pct(v) {
  return v === null || v === undefined ? '—' : `${Number(v).toFixed(0)} ms`;
}

async function main() {
  if (!(await reachable(KAFKA[0])) || !(await reachable(CASSANDRA[0]))) {
    process.stderr.write(
      `soak: Kafka (${KAFKA[0]}) or Cassandra (${CASSANDRA[0]}) is not reachable.\n` +
        'Start them with `npm run infra:up` (or set KAFKA_BROKERS / CASSANDRA_CONTACT_POINTS).\n',
    );
    return 2;
  }
  const stamp = Date.now();
  const keyspace = `soak_${stamp}`;
  const prefix = `soak${stamp}.`;
  const idPrefix = `soak${stamp.toString(36)}`;
  const kafkaEnv = {
    KAFKA_BROKERS: KAFKA.join(','),
    KAFKA_TOPIC_PREFIX: prefix,
    KAFKA_REPLICATION_FACTOR: '1',
    LOG_PARTITIONS: '12',
  };
  log(
    `${vehicles} vehicles, ${minutes} min, ${processors} processor(s), batches every ${batchIntervalMs} ms; keyspace ${keyspace}, topic prefix ${prefix}`,
  );

  const cleanup = [];
  const services = [];
  try {
    // The keyspace exists before the cloud processes open it.
    const telemetryDb = await CassandraTelemetryDb.open({
      contactPoints: CASSANDRA,
      localDataCenter: 'datacenter1',
      keyspace,
      replicationFactor: 1,
      samplesTtlDays: 30,
    });
    await telemetryDb.close();
    cleanup.push(async () => {
      if (opts.keep) log(`keyspace ${keyspace} kept`);
      else await dropKeyspace(CASSANDRA, keyspace);
    });

    const metricsUrls = [];
    for (let i = 0; i < processors; i++) {
      // One after the other: the first creates the topics.
      const port = await freePort();
      const cloud = await startService(`cloud${i + 1}`, 'cloud/dist/main.js', port, {
        ...kafkaEnv,
        CASSANDRA_CONTACT_POINTS: CASSANDRA.join(','),
        CASSANDRA_KEYSPACE: keyspace,
        CASSANDRA_REPLICATION_FACTOR: '1',
        PROCESSOR_GROUP: `soak-${stamp}`,
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: String(port),
      });
      cleanup.push(() => cloud.stop());
      services.push(cloud);
      metricsUrls.push(`http://127.0.0.1:${port}/metrics`);
      log(`cloud process ${i + 1} up on port ${port}`);
    }

    const mqttPort = await freePort();
    const gateway = await startService('gateway', 'gateway/dist/main.js', mqttPort, {
      ...kafkaEnv,
      CASSANDRA_CONTACT_POINTS: '',
      MQTT_HOST: '127.0.0.1',
      MQTT_PORT: String(mqttPort),
      GATEWAY_HTTP_PORT: '0',
      DEVICE_AUTH: 'open',
      MQTT_CONNECT_RATE_PER_ADDRESS: '100000',
      // The load comes from one address, as fast as the gateway takes it: no per-device limits.
      MQTT_MAX_CONNECTIONS_PER_ADDRESS: '100000',
      MQTT_DEVICE_BYTES_PER_MINUTE: '1073741824',
    });
    cleanup.push(() => gateway.stop());
    services.push(gateway);
    log(`gateway up on port ${mqttPort}`);

    const kafka = withTopicPrefix(
      new KafkaLog({ brokers: KAFKA, clientId: `soak-${stamp}`, replicationFactor: 1 }),
      prefix,
    );
    const telemetry = await readTelemetry(kafka, `soak-check-${stamp}`);
    cleanup.push(() => telemetry.close());

    // Progress of the pipeline while the simulator runs (its own progress is passed through).
    const t0 = Date.now();
    const recordsAt0 = await sumCounter(
      metricsUrls,
      'fleetline_processor_records_total',
      'telemetry',
    );
    const progress = setInterval(async () => {
      try {
        const stored = await sumCounter(metricsUrls, 'fleetline_processor_samples_stored_total');
        const down = services.filter((s) => s.exited()).map((s) => s.name);
        log(
          `pipeline: ${stored} samples stored, ${telemetry.batches.size} batches in Kafka${down.length ? `; EXITED: ${down.join(', ')}` : ''}`,
        );
      } catch {}
    }, 15_000);
    cleanup.push(async () => clearInterval(progress));

    const sim = await simulate([
      '--url',
      `mqtt://127.0.0.1:${mqttPort}`,
      '--vehicles',
      String(vehicles),
      '--ramp-per-s',
      '100',
      '--duration-s',
      String(Math.round(minutes * 60)),
      '--batch-interval-ms',
      String(batchIntervalMs),
      '--sample-interval-ms',
      '1000',
      '--id-prefix',
      idPrefix,
    ]);
    const summary = sim.summary;
    log(`simulator done (exit ${sim.code}): ${JSON.stringify(summary)}`);

    // Wait (bounded) until the telemetry topic has been read to the acknowledged batches and
    // the processors' stored-sample counters stop growing.
    const settleDeadline = Date.now() + SETTLE_LIMIT_MS;
    let last = -1;
    let still = 0;
    let stored = 0;
    while (Date.now() < settleDeadline) {
      stored = await sumCounter(metricsUrls, 'fleetline_processor_samples_stored_total');
      const read = telemetry.batches.size >= summary.acked;
      still = stored === last && read ? still + 1 : 0;
      last = stored;
      if (still >= 3) break;
      log(
        `settling: ${stored} samples stored, ${telemetry.batches.size}/${summary.acked} batches read back`,
      );
      await sleep(2000);
    }
    const processingS = (Date.now() - t0) / 1000;
    const records =
      (await sumCounter(metricsUrls, 'fleetline_processor_records_total', 'telemetry')) -
      recordsAt0;
    const duplicates = await sumCounter(metricsUrls, 'fleetline_processor_duplicates_total');
    // Per cloud process: the partitions are shared, so each should have stored some.
    const perProcessor = [];
    for (const url of metricsUrls) {
      perProcessor.push(await counter(url, 'fleetline_processor_samples_stored_total'));
    }
    clearInterval(progress);
    await telemetry.close();

    // Count every (vehicle, signal) partition in Cassandra.
    const client = new cassandra.Client({
      contactPoints: CASSANDRA,
      localDataCenter: 'datacenter1',
    });
    cleanup.push(() => client.shutdown());
    const query = `SELECT COUNT(*) AS n FROM ${keyspace}.samples_by_signal_day WHERE device_id = ? AND signal_id = ? AND day IN ?`;
    // Every vehicle of the run × every signal seen, over the run's days: a partition without
    // acknowledged samples must be empty.
    const signals = new Set([...telemetry.expected.keys()].map((k) => Number(k.split('\t')[1])));
    const allDays = new Set();
    for (const e of telemetry.expected.values()) for (const d of e.days) allDays.add(d);
    const partitions = [];
    for (let i = 1; i <= vehicles; i++) {
      const deviceId = `${idPrefix}-${String(i).padStart(4, '0')}`;
      for (const signal of signals) {
        const e = telemetry.expected.get(`${deviceId}\t${signal}`);
        partitions.push({
          deviceId,
          signal,
          count: e?.count ?? 0,
          days: [...(e?.days ?? allDays)],
        });
      }
    }
    log(`counting ${partitions.length} (vehicle, signal) partitions in Cassandra`);
    let expectedTotal = 0;
    let storedTotal = 0;
    let missing = 0;
    let extra = 0;
    const wrong = [];
    await pool(partitions, 64, async (p) => {
      const n =
        p.days.length === 0
          ? 0
          : Number(
              (
                await client.execute(query, [p.deviceId, p.signal, p.days], { prepare: true })
              ).first().n,
            );
      expectedTotal += p.count;
      storedTotal += n;
      if (n < p.count) missing += p.count - n;
      if (n > p.count) extra += n - p.count;
      if (n !== p.count)
        wrong.push(`${p.deviceId} signal ${p.signal}: ${n} stored, ${p.count} sent`);
    });
    const vehiclesWithSamples = new Set(
      [...telemetry.expected.keys()].map((k) => k.split('\t')[0]),
    );
    const samplesPerBatch = summary.acked > 0 ? expectedTotal / telemetry.batches.size : 0;
    const result = {
      vehicles: summary.vehicles,
      connected: summary.connected,
      vehiclesWithSamples: vehiclesWithSamples.size,
      signals: signals.size,
      minutes,
      processors,
      batchesSent: summary.sent,
      batchesAcked: summary.acked,
      batchesLostBySimulator: summary.lost,
      batchesInKafka: telemetry.batches.size,
      samplesPerBatch: Number(samplesPerBatch.toFixed(2)),
      samplesExpected: expectedTotal,
      samplesStored: storedTotal,
      missing,
      extra,
      duplicatesSkipped: duplicates,
      storedPerProcessor: perProcessor,
      processorRecordsPerS: Number((records / processingS).toFixed(1)),
      pubackMs: summary.latencyMs,
    };

    const rows = [
      ['vehicles (connected)', `${result.vehicles} (${result.connected})`],
      ['minutes', minutes],
      ['processors', processors],
      ['batches sent / acked', `${result.batchesSent} / ${result.batchesAcked}`],
      ['batches read back from Kafka', result.batchesInKafka],
      ['samples per batch (mean)', result.samplesPerBatch],
      ['samples expected (acked)', result.samplesExpected],
      ['samples stored', result.samplesStored],
      ['missing', missing],
      ['extra', extra],
      ['duplicates skipped', duplicates],
      ['stored per processor', perProcessor.join(' / ')],
      ['processor records/s (run mean)', result.processorRecordsPerS],
      ['publish→PUBACK p50 / p99', `${pct(summary.latencyMs.p50)} / ${pct(summary.latencyMs.p99)}`],
    ];
    const w = Math.max(...rows.map(([k]) => k.length));
    process.stdout.write('\nSoak test summary\n');
    for (const [k, v] of rows) process.stdout.write(`  ${k.padEnd(w)}  ${v}\n`);
    for (const line of wrong.slice(0, 10)) process.stdout.write(`  mismatch: ${line}\n`);
    if (wrong.length > 10) process.stdout.write(`  … and ${wrong.length - 10} more mismatches\n`);

    const problems = [];
    if (missing > 0) problems.push(`${missing} samples missing`);
    if (extra > 0) problems.push(`${extra} extra samples`);
    if (telemetry.batches.size < summary.acked) {
      problems.push(`${summary.acked - telemetry.batches.size} acknowledged batches not in Kafka`);
    }
    if (summary.acked === 0) problems.push('no batch was acknowledged');
    const pass = problems.length === 0;
    result.pass = pass;
    process.stdout.write(`\n${JSON.stringify(result)}\n`);
    process.stdout.write(
      pass
        ? `\nPASS: every acknowledged sample stored exactly once (${duplicates} redeliveries skipped)\n`
        : `\nFAIL: ${problems.join('; ')}\n`,
    );
    if (summary.lost > 0 || summary.failed > 0) {
      log(
        `note: the simulator reported ${summary.lost} lost and ${summary.failed} failed publishes`,
      );
    }
    for (const s of services) {
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
