// Gateway benchmarks: QoS 1 publishes per second and publish→PUBACK latency from many
// concurrent devices, through our gateway into Kafka (acks=all), beside the same load against
// the machine's Mosquitto (which stores nothing) in the same run; memory per idle connection
// and broker CPU per publish, ours and Mosquitto's.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalogue, encodeTelemetryBatch } from '@fleetline/proto';
import mqtt from 'mqtt';
import { freePort, reachable } from '../support.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const MOSQUITTO = { host: '127.0.0.1', port: 1883 };
const KAFKA = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',')[0];

const rssKb = (pid) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? Number.NaN);

/** CPU time (user + system) a process has used so far, in ms. */
function cpuMs(pid) {
  if (!pid) return Number.NaN;
  // Fields after the command name (which may hold spaces) start at the state, field 3.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
  return (ticks * 1000) / CLOCK_TICKS;
}
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** A realistic batch: 30 signals × 5 samples. */
function payloadFor(deviceId, seq) {
  const t0 = Date.now();
  const samples = [];
  for (const s of catalogue.slice(0, 30))
    for (let i = 0; i < 5; i++)
      samples.push({ signalId: s.id, timeMs: t0 + i * 200, value: 10 + i });
  return Buffer.from(encodeTelemetryBatch({ deviceId, seq, samples }));
}

async function connectAll(url, count, prefix) {
  const clients = [];
  for (let i = 0; i < count; i += 50) {
    const batch = Array.from({ length: Math.min(50, count - i) }, (_, k) =>
      mqtt.connectAsync(url, {
        clientId: `${prefix}-${String(i + k).padStart(5, '0')}`,
        reconnectPeriod: 0,
        connectTimeout: 30_000,
        writeCache: false,
      }),
    );
    clients.push(...(await Promise.all(batch)));
  }
  return clients;
}

/** Every client keeps two QoS 1 publishes in flight; counts acks after a warm-up. */
async function measure(clients, seconds, log, label, pid) {
  const latencies = [];
  let acked = 0;
  let running = true;
  const done = Promise.all(
    clients.map(
      (client) =>
        new Promise((resolve) => {
          const id = client.options.clientId;
          const topic = `v1/${id}/telemetry`;
          let seq = 0;
          let inFlight = 0;
          const next = () => {
            if (!running) {
              if (inFlight === 0) resolve();
              return;
            }
            inFlight++;
            const sent = performance.now();
            client.publish(topic, payloadFor(id, ++seq), { qos: 1 }, (err) => {
              inFlight--;
              if (!err && running) {
                acked++;
                latencies.push(performance.now() - sent);
              }
              next();
            });
          };
          next();
          next();
        }),
    ),
  );
  const warmup = 2000;
  await new Promise((r) => setTimeout(r, warmup));
  acked = 0;
  latencies.length = 0;
  const start = performance.now();
  const cpuStart = cpuMs(pid);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const elapsed = (performance.now() - start) / 1000;
  const result = {
    perSecond: acked / elapsed,
    // Broker CPU per 1,000 acknowledged publishes: on a machine that the load generator and
    // Kafka share, this says more than throughput alone.
    cpuPerThousand: ((cpuMs(pid) - cpuStart) / acked) * 1000,
    p50: pct(latencies, 0.5),
    p99: pct(latencies, 0.99),
  };
  running = false;
  await done;
  log(
    `${label}: ${Math.round(result.perSecond)} publishes/s, p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, ${result.cpuPerThousand.toFixed(0)} ms CPU per 1,000`,
  );
  return result;
}

function pct(values, q) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function closeAll(clients) {
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => {})));
}

async function startGateway(useKafka) {
  const dir = mkdtempSync(join(tmpdir(), 'fleetline-bench-gw-'));
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, 'gateway/dist/main.js')], {
    env: {
      ...process.env,
      FLEETLINE_DATA_DIR: dir,
      KAFKA_BROKERS: useKafka ? KAFKA : '',
      KAFKA_TOPIC_PREFIX: `bench${Date.now()}.`,
      CASSANDRA_CONTACT_POINTS: '',
      MQTT_HOST: '127.0.0.1',
      MQTT_PORT: String(port),
      GATEWAY_HTTP_PORT: '0',
      DEVICE_AUTH: 'open',
      MQTT_CONNECT_RATE_PER_ADDRESS: '100000',
      // The load comes from one address, as fast as the gateway takes it: no per-device limits.
      MQTT_MAX_CONNECTIONS_PER_ADDRESS: '100000',
      MQTT_DEVICE_BYTES_PER_MINUTE: '1073741824',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const deadline = Date.now() + 60_000;
  while (!(await reachable(`127.0.0.1:${port}`))) {
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(`gateway did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url: `mqtt://127.0.0.1:${port}`,
    pid: child.pid,
    async stop() {
      child.kill('SIGTERM');
      await once(child, 'exit');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function mosquittoPid() {
  try {
    return Number(execFileSync('pgrep', ['-o', '-x', 'mosquitto']).toString().trim());
  } catch {
    return undefined;
  }
}

/** Ours from the gateway's RSS before and after connecting; Mosquitto's from a fresh idle set. */
async function idleConnectionMemory(connections, rssBefore, rssIdle, log) {
  const perConnectionKb = (rssIdle - rssBefore) / connections;
  let mosqPerConnection = null;
  const pid = mosquittoPid();
  if (pid) {
    try {
      const before = rssKb(pid);
      const idle = await connectAll(
        `mqtt://${MOSQUITTO.host}:${MOSQUITTO.port}`,
        connections,
        'benchi',
      );
      await new Promise((r) => setTimeout(r, 1000));
      const delta = (rssKb(pid) - before) / connections;
      // Mosquitto may serve them from memory it already holds: no visible growth is no figure.
      mosqPerConnection = delta >= 0.1 ? delta : null;
      await closeAll(idle);
    } catch {
      mosqPerConnection = null;
    }
  }
  log(
    `memory per idle connection: ours ${perConnectionKb.toFixed(1)} KB, Mosquitto ${mosqPerConnection?.toFixed(1) ?? '—'} KB`,
  );
  return {
    metric: `gateway memory per idle connection (${connections} connections)`,
    unit: 'KB',
    ours: perConnectionKb,
    reference: mosqPerConnection,
    referenceLabel: 'Mosquitto',
    ratio: mosqPerConnection ? perConnectionKb / mosqPerConnection : null,
    target: '≤ 20 KB',
    pass: perConnectionKb <= 20,
  };
}

export async function run({ quick, log }) {
  const results = [];
  const connections = quick ? 200 : 1000;
  const seconds = quick ? 5 : 15;
  if (!(await reachable(`${MOSQUITTO.host}:${MOSQUITTO.port}`))) {
    log('Mosquitto is not reachable on 127.0.0.1:1883: gateway benchmarks skipped');
    return results;
  }
  const useKafka = await reachable(KAFKA);
  const label = useKafka ? 'Kafka acks=all' : 'embedded log (Kafka not reachable)';

  const mosq = await connectAll(
    `mqtt://${MOSQUITTO.host}:${MOSQUITTO.port}`,
    connections,
    'benchm',
  );
  const reference = await measure(
    mosq,
    seconds,
    log,
    `Mosquitto, ${connections} connections`,
    mosquittoPid(),
  );
  await closeAll(mosq);

  const gateway = await startGateway(useKafka);
  try {
    const rssBefore = rssKb(gateway.pid);
    const ours = await connectAll(gateway.url, connections, 'benchg');
    await new Promise((r) => setTimeout(r, 1000));
    const rssIdle = rssKb(gateway.pid);
    const mine = await measure(
      ours,
      seconds,
      log,
      `gateway → ${label}, ${connections} connections`,
      gateway.pid,
    );
    await closeAll(ours);

    results.push({
      metric: `QoS 1 publishes/s, ${connections} devices (gateway → ${label})`,
      unit: 'publishes/s',
      ours: mine.perSecond,
      reference: reference.perSecond,
      referenceLabel: 'Mosquitto, same load, stores nothing',
      ratio: mine.perSecond / reference.perSecond,
      target: '≥ 0.5×',
      pass: mine.perSecond / reference.perSecond >= 0.5,
    });
    results.push({
      metric: `broker CPU per 1,000 publishes (gateway → ${label})`,
      unit: 'ms',
      ours: mine.cpuPerThousand,
      reference: Number.isFinite(reference.cpuPerThousand) ? reference.cpuPerThousand : null,
      referenceLabel: 'Mosquitto',
      ratio: Number.isFinite(reference.cpuPerThousand)
        ? mine.cpuPerThousand / reference.cpuPerThousand
        : null,
      target: '—',
      pass: true,
    });
    for (const q of ['p50', 'p99']) {
      results.push({
        metric: `publish→PUBACK latency ${q} (gateway → ${label})`,
        unit: 'ms',
        ours: mine[q],
        reference: reference[q],
        referenceLabel: 'Mosquitto',
        ratio: mine[q] / reference[q],
        target: '—',
        pass: true,
      });
    }
    results.push(await idleConnectionMemory(connections, rssBefore, rssIdle, log));
  } finally {
    await gateway.stop();
  }
  return results;
}
