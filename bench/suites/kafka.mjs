// Kafka benchmarks: records per second through the Log port's Kafka adapter on each client, producing with
// acks=all and idempotence and consuming in a group, beside Kafka's own Java client driven by
// its tools (ProducerPerformance, ConsumerPerformance) against the same broker in the same
// run.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { KafkaJsLog, KafkaLog, RdKafkaLog } from '@fleetline/platform';
import { reachable } from '../support.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const RECORD_BYTES = 700; // a telemetry batch of 30 signals × 5 samples is about this size
const DEVICES = 1000;
const execFileAsync = promisify(execFile);

/** Kafka's jars as fetched by infra/infra.sh; its tools ship in them. */
function kafkaClasspath() {
  const dir = join(process.env.FLEETLINE_INFRA_DIR ?? join(root, '.infra'), 'kafka');
  if (!existsSync(dir)) return undefined;
  const lib = readdirSync(dir)
    .filter((n) => n.startsWith('lib-'))
    .sort()
    .pop();
  return lib ? `${join(dir, lib)}/*` : undefined;
}

/** Runs one of Kafka's tools (org.apache.kafka.tools.<tool>) and returns what it printed. */
async function kafkaTool(classpath, tool, args) {
  const { stdout } = await execFileAsync(
    'java',
    ['-cp', classpath, `org.apache.kafka.tools.${tool}`, ...args],
    { timeout: 300_000 },
  );
  return stdout;
}

async function javaProducer(classpath, topic, count) {
  const stdout = await kafkaTool(classpath, 'ProducerPerformance', [
    ...['--topic', topic, '--num-records', String(count + Math.round(count / 5))],
    // The JVM's warm-up is left out of the figure.
    ...['--warmup-records', String(Math.round(count / 5))],
    // Keyed like our records, so batches spread over partitions alike.
    ...['--record-key-range', String(DEVICES), '--key-distribution', 'range'],
    ...['--record-size', String(RECORD_BYTES), '--throughput', '-1'],
    ...['--command-property', `bootstrap.servers=${BROKERS.join(',')}`],
    ...['acks=all', 'enable.idempotence=true'],
  ]);
  const m = /steady state records sent, ([\d.]+) records\/sec/.exec(stdout);
  if (!m) throw new Error(`unexpected ProducerPerformance output: ${stdout}`);
  return Number(m[1]);
}

async function javaConsumer(classpath, topic, count) {
  const stdout = await kafkaTool(classpath, 'ConsumerPerformance', [
    ...['--bootstrap-server', BROKERS.join(','), '--topic', topic],
    ...['--num-records', String(count), '--group', `bench-java-${Date.now()}`],
  ]);
  // The last column is records/s while fetching, without the group join.
  const last = stdout.trim().split('\n').pop() ?? '';
  const value = Number(last.split(',').pop());
  if (!Number.isFinite(value)) throw new Error(`unexpected ConsumerPerformance output: ${stdout}`);
  return value;
}

function records(topic, count, from = 0) {
  const value = randomBytes(RECORD_BYTES);
  return Array.from({ length: count }, (_, i) => ({
    topic,
    key: `vehicle-${(from + i) % DEVICES}`,
    value,
    headers: { gateway: 'bench', receivedAt: String(Date.now()) },
  }));
}

/** Arrays of 500 records, up to 8 sends in flight: the log's best case. */
async function produceBulk(producer, topic, count) {
  const start = performance.now();
  const inFlight = new Set();
  for (let i = 0; i < count; i += 500) {
    const p = producer.send(records(topic, Math.min(500, count - i), i));
    inFlight.add(p);
    p.finally(() => inFlight.delete(p));
    if (inFlight.size >= 8) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  return count / ((performance.now() - start) / 1000);
}

/**
 * One record per send from 1,000 senders, each waiting for its record before the next: what
 * a gateway does with devices that keep one publish in flight.
 */
async function produceSingly(producer, topic, count) {
  const all = records(topic, count);
  const start = performance.now();
  let next = 0;
  const sender = async () => {
    while (next < all.length) await producer.send([all[next++]]);
  };
  await Promise.all(Array.from({ length: DEVICES }, sender));
  return count / ((performance.now() - start) / 1000);
}

/** Records per second from the first record handed over to the last (the join excluded). */
async function consumeAll(log, topic, count) {
  let seen = 0;
  let first = 0;
  let last = 0;
  let resolveDone;
  const done = new Promise((r) => {
    resolveDone = r;
  });
  const consumer = await log.consume({
    groupId: `bench-${Date.now()}`,
    topics: [topic],
    maxBatch: 500,
    handle: async (batch) => {
      if (seen === 0) first = performance.now();
      seen += batch.length;
      if (seen >= count) {
        last = performance.now();
        resolveDone();
      }
    },
  });
  const timeout = setTimeout(() => resolveDone(), 120_000);
  await done;
  clearTimeout(timeout);
  await consumer.close();
  if (seen < count) throw new Error(`consumed ${seen} of ${count} records`);
  return count / ((last - first) / 1000);
}

/**
 * The Kafka clients behind the Log port (KAFKA_CLIENT); node-rdkafka only where it is
 * installed (it is installed apart).
 */
function kafkaClients() {
  const clients = [
    { name: 'platformatic', open: (o) => new KafkaLog(o) },
    { name: 'kafkajs', open: (o) => new KafkaJsLog(o) },
  ];
  if (rdkafkaInstalled()) clients.push({ name: 'node-rdkafka', open: (o) => new RdKafkaLog(o) });
  return clients;
}

function rdkafkaInstalled() {
  try {
    createRequire(import.meta.url).resolve('node-rdkafka');
    return true;
  } catch {
    return false;
  }
}

/** One client's produce and consume rates, and its CPU per record sent one at a time. */
async function clientRun(client, topicOf, count, reference, log) {
  const kafka = client.open({ brokers: BROKERS, clientId: 'bench-log', replicationFactor: 1 });
  try {
    const producer = await kafka.createProducer();
    const bulk = await produceBulk(producer, topicOf(`bulk-${client.name}`), count);
    const cpu = process.cpuUsage();
    const single = await produceSingly(producer, topicOf(`single-${client.name}`), count);
    const used = process.cpuUsage(cpu);
    const cpuPerRecordUs = (used.user + used.system) / count;
    await producer.close();
    const consumed = await consumeAll(kafka, topicOf(`bulk-${client.name}`), count);
    log(
      `Log port through ${client.name}: produce ${Math.round(bulk)}/s in batches of 500, ${Math.round(single)}/s one per send (${cpuPerRecordUs.toFixed(1)} µs CPU a record); consume ${Math.round(consumed)}/s`,
    );
    const row = (metric, ours, ref) => ({
      metric: `${metric} (${client.name})`,
      unit: 'records/s',
      ours,
      reference: ref,
      referenceLabel: ref === null ? undefined : 'Kafka’s Java client, same broker',
      ratio: ref === null ? null : ours / ref,
      target: '—',
      pass: true,
    });
    return [
      row('Kafka produce through the Log port, batches of 500, acks=all', bulk, reference.produce),
      row(
        `Kafka produce through the Log port, one record per send from ${DEVICES} senders, acks=all`,
        single,
        reference.produce,
      ),
      {
        metric: `CPU per record sent one at a time, with two headers (${client.name})`,
        unit: 'µs',
        ours: cpuPerRecordUs,
        reference: null,
        ratio: null,
        target: '—',
        pass: true,
      },
      row('Kafka consume through the Log port, in a group', consumed, reference.consume),
    ];
  } finally {
    await kafka.close();
  }
}

export async function run({ quick, log }) {
  const results = [];
  if (!(await reachable(BROKERS[0]))) {
    log(`Kafka is not reachable on ${BROKERS[0]}: Kafka benchmarks skipped`);
    return results;
  }
  const classpath = kafkaClasspath();
  const count = quick ? 30_000 : 150_000;
  const stamp = Date.now();
  const admin = new KafkaLog({ brokers: BROKERS, clientId: 'bench', replicationFactor: 1 });
  const topicOf = (name) => `bench-${stamp}-${name}`;
  const names = ['java', ...kafkaClients().flatMap((c) => [`bulk-${c.name}`, `single-${c.name}`])];
  await admin.ensureTopics(names.map((n) => ({ name: topicOf(n), partitions: 6 })));
  await admin.close();

  let reference = { produce: null, consume: null };
  if (classpath) {
    reference = {
      produce: await javaProducer(classpath, topicOf('java'), count),
      consume: await javaConsumer(classpath, topicOf('java'), count),
    };
    log(
      `Kafka's Java tools: produce ${Math.round(reference.produce)} records/s, consume ${Math.round(reference.consume)} records/s`,
    );
  } else {
    log('Kafka jars not found (run npm run infra:up once): no Java reference');
  }

  for (const client of kafkaClients()) {
    results.push(...(await clientRun(client, topicOf, count, reference, log)));
  }
  return results;
}
