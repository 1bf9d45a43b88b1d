// Latency benchmark: from a collision event a device publishes over MQTT to its collision
// alert in the telemetry database, under a background load of vehicles publishing telemetry at 1
// Hz. The pieces run as they are deployed, each in its own process: the gateway
// (gateway/dist/main.js) bridging into Kafka, and the cloud service (cloud/dist/main.js: the
// processor, the alert recorder and the API) writing into a fresh Cassandra keyspace; all
// topics carry a prefix of this run. This process is the fleet (MQTT.js clients, QoS 1) and
// reads the telemetry database: the load generator does not share an event loop with the processor.
import { CassandraTelemetryDb } from '@fleetline/platform';
import {
  encodeEvent,
  encodeTelemetryBatch,
  STANDARD_GRAVITY as G,
  signalId,
} from '@fleetline/proto';
import { FleetVehicleDrive } from '@fleetline/simulator';
import mqtt from 'mqtt';
import {
  dropKeyspace,
  freePort,
  reachable,
  counter as readCounter,
  startService,
} from '../support.mjs';

const KAFKA = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const CASSANDRA = (process.env.CASSANDRA_CONTACT_POINTS ?? '127.0.0.1:9042').split(',');
const POLL_MS = 10;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function pct(values, q) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** A counter of a service that may have gone (NaN then, and the figure says so). */
const counter = (url, name, part) => readCounter(url, name, part).catch(() => Number.NaN);

const ids = {
  speed: signalId('Vehicle.Speed'),
  ax: signalId('Vehicle.Acceleration.Longitudinal'),
  ay: signalId('Vehicle.Acceleration.Lateral'),
};

/**
 * A frontal crash at 50 km/h as the edge agent reports it: the collision with the 5 s before
 * the trigger (acceleration at 100 Hz, speed at 10 Hz), the agent's default pre-crash window.
 */
function collisionEvent(deviceId, seq, timeMs) {
  const window = [];
  for (let t = timeMs - 5000; t <= timeMs; t += 10) {
    const into = t - (timeMs - 100);
    const pulse = into >= 0 ? 26 * G * Math.sin((Math.PI * into) / 200) ** 2 : 0;
    window.push({ signalId: ids.ax, timeMs: t, value: Math.round((0.3 - pulse) * 100) / 100 });
    window.push({ signalId: ids.ay, timeMs: t, value: 0.2 });
    if ((t - timeMs) % 100 === 0) window.push({ signalId: ids.speed, timeMs: t, value: 50 });
  }
  return Buffer.from(
    encodeEvent({
      deviceId,
      seq,
      timeMs,
      payload: {
        kind: 'collision',
        collision: {
          severity: 'severe',
          peakG: 26,
          deltaVKmh: 46,
          direction: 'front',
          speedBeforeKmh: 50,
          latitude: 31.23,
          longitude: 121.47,
          window,
        },
      },
    }),
  );
}

async function connectAll(url, count) {
  const clients = [];
  for (let i = 0; i < count; i += 50) {
    const batch = Array.from({ length: Math.min(50, count - i) }, (_, k) =>
      mqtt.connectAsync(url, {
        clientId: `benchlat-${String(i + k).padStart(5, '0')}`,
        reconnectPeriod: 0,
        connectTimeout: 30_000,
        writeCache: false,
      }),
    );
    clients.push(...(await Promise.all(batch)));
  }
  return clients;
}

/**
 * Every vehicle publishes a telemetry batch each second (the simulator's drive model: 15
 * signals sampled at 1 Hz), phases spread over the second; publish→PUBACK times are kept
 * while `measuring`.
 */
function startTelemetry(vehicles, batchEveryS) {
  const state = { measuring: false, pubacks: [], published: 0, acked: 0, failed: 0 };
  const timers = [];
  for (const [i, v] of vehicles.entries()) {
    // Sampled every second; sent every batchEveryS seconds, as the edge agent batches.
    const held = [];
    const tick = () => {
      held.push(...v.drive.samplesUntil(Date.now()));
      if (++v.ticks % batchEveryS !== 0) return;
      const payload = Buffer.from(
        encodeTelemetryBatch({
          deviceId: v.id,
          seq: ++v.seq,
          samples: held.splice(0),
        }),
      );
      const measured = state.measuring;
      const sent = performance.now();
      state.published++;
      v.client.publish(`v1/${v.id}/telemetry`, payload, { qos: 1 }, (err) => {
        if (err) {
          state.failed++;
          return;
        }
        state.acked++;
        if (measured) state.pubacks.push(performance.now() - sent);
      });
    };
    timers.push(
      setTimeout(
        () => {
          tick();
          timers.push(setInterval(tick, 1000));
        },
        Math.floor((i * 1000) / vehicles.length),
      ),
    );
  }
  return {
    state,
    stop() {
      for (const t of timers) clearTimeout(t); // clears intervals too
    },
  };
}

/**
 * Publishes collision events and polls the telemetry database, for the pending ones only, until
 * each alert is there: listAlerts narrowed to the vehicle, type collision and the event's time (the
 * alert is raised at the event's time, and each vehicle has one collision), so each poll reads at
 * most that one alert.
 */
function collisionTracker(telemetryDb) {
  const pending = new Set();
  const done = [];
  let running = true;
  let lastTimeMs = 0;
  const loop = (async () => {
    while (running) {
      if (pending.size > 0) {
        await Promise.all(
          [...pending].map(async (c) => {
            const found = await telemetryDb
              .listAlerts({
                fromMs: c.timeMs,
                toMs: c.timeMs + 1,
                deviceId: c.deviceId,
                type: 'collision',
                limit: 1,
              })
              .catch(() => []);
            if (found.length > 0) {
              c.storedMs = performance.now() - c.sentAt;
              pending.delete(c);
              done.push(c);
            }
          }),
        );
      }
      await sleep(POLL_MS);
    }
  })();
  return {
    pending,
    done,
    send(vehicle) {
      // Distinct event times: a poll narrowed to one millisecond reads only its own alert.
      const timeMs = Math.max(Date.now(), lastTimeMs + 1);
      lastTimeMs = timeMs;
      const c = { deviceId: vehicle.id, seq: ++vehicle.seq, timeMs, sentAt: 0 };
      const payload = collisionEvent(c.deviceId, c.seq, timeMs);
      pending.add(c);
      c.sentAt = performance.now();
      vehicle.client.publish(`v1/${c.deviceId}/events`, payload, { qos: 1 }, (err) => {
        if (err) c.error = err.message;
        else c.pubackMs = performance.now() - c.sentAt;
      });
      return c;
    },
    /** Resolves when nothing is pending, at the deadline, or when `gaveUp()` says so. */
    async settle(deadlineMs, gaveUp) {
      while (pending.size > 0 && Date.now() < deadlineMs && !gaveUp()) await sleep(50);
    },
    async stop() {
      running = false;
      await loop;
    },
  };
}

/**
 * The edge agent's default (samples every second, sent in 5-s batches) and, in full mode,
 * every vehicle sending each second's samples on their own (five times the records).
 */
export async function run({ quick, log }) {
  if (!(await reachable(KAFKA[0])) || !(await reachable(CASSANDRA[0]))) {
    log('Kafka or Cassandra is not reachable: latency benchmark skipped');
    return [];
  }
  const results = [];
  for (const batchEveryS of quick ? [5] : [5, 1]) {
    results.push(...(await measure({ quick, log, batchEveryS })));
  }
  return results;
}

async function measure({ quick, log, batchEveryS }) {
  const results = [];
  const vehicleCount = quick ? 200 : 1000;
  const collisions = quick ? 30 : 120;
  const everyMs = quick ? 500 : 600;
  const warmupMs = quick ? 5_000 : 10_000;
  const drainMs = quick ? 20_000 : 60_000;
  const warmupLimitMs = quick ? 30_000 : 90_000;
  const stamp = Date.now();
  const keyspace = `bench_latency_${stamp}`;
  const prefix = `bench${stamp}.`;
  const kafkaEnv = {
    KAFKA_BROKERS: KAFKA.join(','),
    KAFKA_TOPIC_PREFIX: prefix,
    KAFKA_REPLICATION_FACTOR: '1',
    LOG_PARTITIONS: '6',
  };

  const cleanup = [];
  try {
    // The keyspace is created here, before the cloud service opens it.
    const telemetryDb = await CassandraTelemetryDb.open({
      contactPoints: CASSANDRA,
      localDataCenter: 'datacenter1',
      keyspace,
      replicationFactor: 1,
      samplesTtlDays: 30,
    });
    cleanup.push(async () => {
      await telemetryDb.close();
      await dropKeyspace(CASSANDRA, keyspace);
    });

    const cloudPort = await freePort();
    const cloud = await startService('cloud', 'cloud/dist/main.js', cloudPort, {
      ...kafkaEnv,
      CASSANDRA_CONTACT_POINTS: CASSANDRA.join(','),
      CASSANDRA_KEYSPACE: keyspace,
      CASSANDRA_REPLICATION_FACTOR: '1',
      PROCESSOR_GROUP: `bench-latency-${stamp}`,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(cloudPort),
    });
    cleanup.push(() => cloud.stop());
    const metricsUrl = `http://127.0.0.1:${cloudPort}/metrics`;

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

    const clients = await connectAll(`mqtt://127.0.0.1:${mqttPort}`, vehicleCount);
    cleanup.push(() => Promise.all(clients.map((c) => c.endAsync(true).catch(() => {}))));
    const vehicles = clients.map((client, i) => ({
      id: client.options.clientId,
      client,
      seq: 0,
      // Vehicles are not in step: each sends its batches at its own phase of the interval.
      ticks: i,
      drive: new FleetVehicleDrive(i + 1, client.options.clientId, Date.now(), 1000),
    }));
    log(`${vehicleCount} vehicles connected to the gateway on port ${mqttPort}`);

    const telemetry = startTelemetry(vehicles, batchEveryS);
    cleanup.push(async () => telemetry.stop());
    const tracker = collisionTracker(telemetryDb);
    cleanup.push(() => tracker.stop());

    // Warm-up: the load runs, and one collision (not counted) must come through end to end.
    const warmupStart = Date.now();
    const warm = tracker.send(vehicles[vehicles.length - 1]);
    const failed = () => cloud.exited() || gateway.exited();
    await tracker.settle(Date.now() + warmupLimitMs, failed);
    if (tracker.pending.has(warm)) {
      throw new Error(
        `the warm-up collision's alert was not stored ${failed() ? 'before a service exited' : `within ${warmupLimitMs / 1000} s`}\ngateway:\n${gateway.output()}\ncloud:\n${cloud.output()}`,
      );
    }
    tracker.done.length = 0;
    log(`warm-up collision stored after ${warm.storedMs.toFixed(0)} ms`);
    await sleep(Math.max(0, warmupStart + warmupMs - Date.now()));

    // Measured: collisions from distinct vehicles, spread through the load, which keeps
    // running until every alert is stored (or the drain deadline passes).
    const handledAtStart = await counter(
      metricsUrl,
      'fleetline_processor_records_total',
      'telemetry',
    );
    const publishedAtStart = telemetry.state.acked;
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
      (await counter(metricsUrl, 'fleetline_processor_records_total', 'telemetry')) -
      handledAtStart;
    const published = telemetry.state.acked - publishedAtStart;
    const otherAlerts =
      (await counter(metricsUrl, 'fleetline_processor_alert_changes_total', 'raised')) -
      (await counter(metricsUrl, 'fleetline_processor_alert_changes_total', 'type="collision"'));
    telemetry.stop();
    await tracker.stop();
    // How long the processor's batches took, from its own histogram.
    const text = await fetch(metricsUrl).then((r) => r.text());
    const buckets = text
      .split('\n')
      .filter((l) => l.startsWith('fleetline_processor_batch_seconds_bucket'))
      .map((l) => `${l.match(/le="([^"]+)"/)?.[1]}:${l.split(' ').pop()}`);
    log(`processor batches by duration (le seconds: count, cumulative): ${buckets.join(' ')}`);
    if (cloud.exited() || gateway.exited()) {
      log(`a service exited during the run:\n${gateway.output()}\n${cloud.output()}`);
    }

    const stored = sent.filter((c) => c.storedMs !== undefined);
    const lost = sent.length - stored.length;
    log(
      `per collision in send order, stored / PUBACK ms: ${sent.map((c) => `${c.storedMs?.toFixed(0) ?? 'not stored'}/${c.pubackMs?.toFixed(0) ?? '—'}`).join(' ')}`,
    );
    // A collision whose alert was not stored counts as slower than every stored one: a
    // percentile that lands on one has no figure.
    const latencies = sent.map((c) => c.storedMs ?? Number.POSITIVE_INFINITY);
    const figure = (v) => (Number.isFinite(v) ? v : null);
    const ours = { p50: figure(pct(latencies, 0.5)), p99: figure(pct(latencies, 0.99)) };
    const pubacks = sent.filter((c) => c.pubackMs !== undefined).map((c) => c.pubackMs);
    const ref = telemetry.state.pubacks;
    const reference = { p50: pct(ref, 0.5), p99: pct(ref, 0.99) };
    const ms = (v) => (v === null ? 'none' : `${v.toFixed(0)} ms`);
    log(
      `collision→alert stored: p50 ${ms(ours.p50)}, p99 ${ms(ours.p99)} (${stored.length} of ${sent.length} stored)`,
    );
    log(
      `collision publish→PUBACK: p50 ${pct(pubacks, 0.5).toFixed(0)} ms, p99 ${pct(pubacks, 0.99).toFixed(0)} ms; telemetry publish→PUBACK: p50 ${reference.p50.toFixed(0)} ms, p99 ${reference.p99.toFixed(0)} ms (${ref.length} publishes)`,
    );
    const throughput = `${(published / elapsed).toFixed(0)} telemetry batches/s acknowledged by the gateway, ${(handled / elapsed).toFixed(0)}/s handled by the processor`;
    log(
      `in ${elapsed.toFixed(0)} s: ${throughput}; ${otherAlerts} other alerts raised; ${telemetry.state.failed} publishes failed`,
    );

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
  } finally {
    for (const close of cleanup.reverse()) await close().catch((err) => log(err.message));
  }
  return results;
}
