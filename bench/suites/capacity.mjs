// Capacity benchmark: the highest telemetry rate the whole pipeline sustains on this machine —
// MQTT.js devices → the gateway → Kafka → the processor → Cassandra, each service in its own
// process as deployed (latency/pipeline.mjs) — and that rate per core. The fleet grows step by
// step (the agent's default: 15 signals sampled every second, sent in 5-s batches); a step is
// held when, over its measured window, the gateway's publish→PUBACK p99 stays under 1 s and
// the processor's lag (telemetry records acknowledged by the gateway and not yet handled by the
// processor, read every 5 s) does not trend upwards by more than 2 s of the load over the
// window (a least-squares line through the readings: with batches of up to 2,000 records in
// hand, single readings swing by thousands). The first step not held ends the climb.
// Everything shares the machine's cores: Kafka, Cassandra, both services and the load
// generator.
import { cpus } from 'node:os';
import { counter } from '../support.mjs';
import { connectAll, fleetOf, startTelemetry } from './latency/fleet.mjs';
import { openPipeline, pipelineReachable } from './latency/pipeline.mjs';
import { pct } from './latency/report.mjs';
import { sleep } from './latency/tracker.mjs';

/** ThingsBoard's published 33,333 data points/s on 36 vCPU at about 55 % CPU. */
const THINGSBOARD_PER_BUSY_VCPU = 33_333 / (36 * 0.55);
const TARGET_PER_CORE = 15_000;

const planFor = (quick) => ({
  steps: quick ? [200, 400] : [1000, 1500, 2000, 2500, 3000, 3500, 4000, 5000, 6000],
  warmupMs: quick ? 5_000 : 20_000,
  windowMs: quick ? 15_000 : 120_000,
});

export async function run({ quick, log }) {
  if (!(await pipelineReachable())) {
    log('Kafka, Cassandra or PostgreSQL is not reachable: capacity benchmark skipped');
    return [];
  }
  const plan = planFor(quick);
  const cleanup = [];
  try {
    const services = await openPipeline('capacity', Date.now(), cleanup);
    const held = await climb(services, plan, cleanup, log);
    const cores = cpus().length;
    const perCore = held ? held.samplesPerS / cores : 0;
    return [
      {
        metric: `sustained samples/s per core, end to end (${held ? `${held.vehicles} vehicles` : 'no step held'}, 5-s batches; ${cores} cores shared by Kafka, Cassandra, the services and the load generator)`,
        unit: 'samples/s per core',
        ours: perCore,
        reference: THINGSBOARD_PER_BUSY_VCPU,
        referenceLabel: 'ThingsBoard: 33,333 data points/s on 36 vCPU at about 55 % CPU',
        target: `≥ ${TARGET_PER_CORE.toLocaleString('en')}`,
        pass: perCore >= TARGET_PER_CORE,
        note: quick ? 'quick mode: two short steps, not a capacity figure' : undefined,
      },
    ];
  } finally {
    for (const close of cleanup.reverse()) await close().catch((err) => log(err.message));
  }
}

/** Adds vehicles step by step; returns the last step held (undefined: none). */
async function climb(services, plan, cleanup, log) {
  const { mqttPort, metricsUrl, failed } = services;
  const loads = [];
  let connected = 0;
  let held;
  for (const vehicles of plan.steps) {
    const clients = await connectAll(
      `mqtt://127.0.0.1:${mqttPort}`,
      vehicles - connected,
      connected,
    );
    cleanup.push(() => Promise.all(clients.map((c) => c.endAsync(true).catch(() => {}))));
    const load = startTelemetry(fleetOf(clients, connected), 5);
    cleanup.push(async () => load.stop());
    loads.push(load);
    connected = vehicles;
    await sleep(plan.warmupMs);
    const step = await measureStep(loads, metricsUrl, plan.windowMs);
    const ok = step.pubackP99 < 1000 && step.lagGrowth <= 2 * step.recordsPerS && !failed();
    log(
      `${vehicles} vehicles: ${Math.round(step.samplesPerS)} samples/s acknowledged (${Math.round(step.recordsPerS)} records/s), PUBACK p99 ${Math.round(step.pubackP99)} ms, processor lag ${step.lags[0]} … ${step.lags.at(-1)} records (trend ${Math.round(step.lagGrowth)} over the window): ${ok ? 'held' : 'not held'}`,
    );
    if (!ok) break;
    held = { vehicles, ...step };
  }
  return held;
}

/** One measured window: the rates acknowledged, PUBACK p99, and the processor's lag. */
async function measureStep(loads, metricsUrl, windowMs) {
  const total = (key) => loads.reduce((n, l) => n + l.state[key], 0);
  const handled = () => counter(metricsUrl, 'fleetline_processor_records_total', 'telemetry');
  for (const l of loads) {
    l.state.pubacks.length = 0;
    l.state.measuring = true;
  }
  const reading = async () => {
    const handledNow = await handled();
    const records = total('acked');
    return {
      atS: performance.now() / 1000,
      records,
      samples: total('samplesAcked'),
      lag: records - handledNow,
    };
  };
  const readings = [await reading()];
  const until = performance.now() + windowMs;
  while (performance.now() < until) {
    await sleep(Math.min(5_000, until - performance.now()));
    readings.push(await reading());
  }
  for (const l of loads) l.state.measuring = false;
  const start = readings[0];
  const end = readings[readings.length - 1];
  const seconds = end.atS - start.atS;
  return {
    samplesPerS: (end.samples - start.samples) / seconds,
    recordsPerS: (end.records - start.records) / seconds,
    pubackP99: pct(
      loads.flatMap((l) => l.state.pubacks),
      0.99,
    ),
    lags: readings.map((r) => r.lag),
    lagGrowth: slope(readings.map((r) => [r.atS, r.lag])) * seconds,
  };
}

/** The slope of the least-squares line through the points [x, y]. */
function slope(points) {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of points) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
  }
  return sxx === 0 ? 0 : sxy / sxx;
}
