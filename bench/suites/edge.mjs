// Edge agent benchmarks: DBC decode throughput against a saturated 1 Mbit/s CAN bus, the
// running agent's CPU and memory while it replays a saturated bus, and bytes on the wire per
// sample.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DbcCodec, formatCandumpLine, loadDbcFile } from '@fleetline/edge';
import { catalogue, encodeTelemetryBatch, seededRandom } from '@fleetline/proto';
import { Aedes } from 'aedes';
import { freePort } from '../support.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
/**
 * A classic CAN frame with an 8-byte payload and 11-bit id is 111 bits plus stuff bits
 * (worst case ~135); 1 Mbit/s therefore carries about 8,750 frames/s at typical stuffing.
 */
const SATURATED_BUS_FPS = 8750;
const DBC = join(root, 'edge/test/fixtures/dbc/hyundai_2015_ccan.dbc');
/** The edge README's NODE_OPTIONS for small boards: a 1 MB young generation, a 64 MB old one. */
const SMALL_BOARD_NODE_OPTIONS = ['--max-semi-space-size=1', '--max-old-space-size=64'];

async function busFrames(count, seed = 1) {
  const db = await loadDbcFile(DBC);
  const r = seededRandom(seed);
  const messages = db.messages.filter((m) => m.length <= 8);
  return Array.from({ length: count }, (_, i) => {
    const m = messages[i % messages.length];
    return {
      id: m.id,
      extended: m.extended,
      remote: false,
      fd: false,
      error: false,
      data: Uint8Array.from({ length: m.length }, () => Math.floor(r() * 256)),
      dlc: m.length,
      timeUs: 0,
    };
  });
}

async function decodeThroughput(seconds) {
  const codec = new DbcCodec(await loadDbcFile(DBC));
  const frames = await busFrames(4096);
  let sink = 0;
  const runFor = (ms) => {
    let n = 0;
    const end = performance.now() + ms;
    while (performance.now() < end) {
      for (let i = 0; i < 1024; i++) {
        const d = codec.decodeFrame(frames[(n + i) & 4095]);
        if (d) sink += Object.keys(d.signals).length;
      }
      n += 1024;
    }
    return n;
  };
  runFor(500); // warm up the JIT
  const start = performance.now();
  const n = runFor(seconds * 1000);
  const fps = n / ((performance.now() - start) / 1000);
  return { fps, sink };
}

function bytesPerSample(batchSeconds) {
  // A typical vehicle profile: 30 catalogue signals at 1 Hz, each drifting the way real
  // signals do (a random walk of a few resolution steps, position moving at ~50 km/h).
  const r = seededRandom(7);
  const signals = catalogue.slice(0, 30);
  const state = signals.map((s) => ({ s, v: 50 }));
  const samples = [];
  const t0 = Date.UTC(2026, 10, 24, 8, 0, 0);
  for (let t = 0; t < batchSeconds; t++) {
    for (const x of state) {
      const step =
        x.s.name.includes('Latitude') || x.s.name.includes('Longitude')
          ? 1e-4
          : 10 ** -(x.s.decimals ?? 2) * 20;
      x.v += (r() - 0.5) * step;
      samples.push({ signalId: x.s.id, timeMs: t0 + t * 1000 + Math.floor(r() * 3), value: x.v });
    }
  }
  const bytes = encodeTelemetryBatch({
    deviceId: 'vehicle-000001',
    seq: 1_000_000,
    samples,
  }).length;
  return bytes / samples.length;
}

function procStat(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
  // RSS counts the mapped pages of the node binary itself (about 40 MB in any node process);
  // the anonymous pages are what the agent's own code and data cost (heaps, buffers).
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0);
  return {
    cpuSeconds: ticks / 100,
    rssMb: kb('Rss') / 1024,
    anonMb: kb('Anonymous') / 1024,
  };
}

async function metric(port, name) {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
}

/** An MQTT broker in this process for the agent to publish to; its batches go nowhere. */
async function startBroker() {
  const broker = await Aedes.createBroker();
  const server = createServer(broker.handle);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `mqtt://127.0.0.1:${server.address().port}`,
    async close() {
      await new Promise((r) => broker.close(r));
      await new Promise((r) => server.close(r));
    },
  };
}

/**
 * Writes the agent's input and configuration into `dir`: 10 s of a saturated bus as a candump
 * log (replayed in real time in a loop), and agent.json — with no input at all when `idle`.
 */
async function writeAgentFiles(dir, { uplinkUrl, metricsPort, idle }) {
  const db = await loadDbcFile(DBC);
  const frames = await busFrames(SATURATED_BUS_FPS * 10, 3);
  const t0 = 1_764_000_000_000_000;
  const lines = frames.map((f, i) =>
    formatCandumpLine({ ...f, timeUs: t0 + Math.round((i * 1e6) / SATURATED_BUS_FPS) }, 'can0'),
  );
  writeFileSync(join(dir, 'bus.log'), `${lines.join('\n')}\n`);
  // 30 of the bus's signals mapped onto catalogue signals, as a vehicle profile would.
  const sources = db.messages
    .flatMap((m) => m.signals.map((s) => `can.${m.name}.${s.name}`))
    .slice(0, 30);
  // Random bytes make random values: they are not mapped onto the acceleration signals, where
  // they would read as a collision every few seconds.
  const targets = catalogue.filter((c) => !c.name.startsWith('Vehicle.Acceleration.'));
  const signals = sources.map((from, i) => ({ from, to: targets[i % targets.length].name }));
  writeFileSync(
    join(dir, 'agent.json'),
    JSON.stringify({
      deviceId: 'bench-veh',
      logLevel: 'warn',
      uplink: { url: uplinkUrl, batchIntervalMs: 5000 },
      spool: { dir: 'spool' },
      ...(idle
        ? { signals: [] }
        : {
            can: {
              source: { type: 'candump', file: 'bus.log', realtime: true, loop: true },
              dbc: DBC,
            },
            signals,
          }),
      collection: { default: { kind: 'period', periodMs: 1000 } },
      metrics: { port: metricsPort },
    }),
  );
}

/** Starts the agent on `dir`/agent.json under the given node options. */
function spawnAgent(dir, tuning) {
  // BENCH_AGENT_NODE_ARGS, e.g. "--cpu-prof", lets the agent be profiled under this load.
  const nodeArgs = [
    ...tuning,
    ...(process.env.BENCH_AGENT_NODE_ARGS ?? '').split(' ').filter(Boolean),
  ];
  return spawn(
    process.execPath,
    [
      ...nodeArgs,
      join(root, 'edge/bin/fleetline-edge.js'),
      'run',
      '--config',
      join(dir, 'agent.json'),
    ],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
}

/** Resolves once the agent's metrics answer; throws after 20 s. */
async function agentStarted(metricsPort) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      await metric(metricsPort, 'fleetline_edge_can_frames_total');
      return;
    } catch {
      if (Date.now() > deadline) throw new Error('agent did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * The agent's CPU, peak memory and frame rate over `seconds`, after a warm-up: CPU and frames
 * as the difference between the two ends, memory sampled every 250 ms.
 */
async function sampleAgent(pid, metricsPort, seconds) {
  await new Promise((r) => setTimeout(r, 3000)); // warm-up: JIT, first batches
  const a = procStat(pid);
  const framesA = await metric(metricsPort, 'fleetline_edge_can_frames_total');
  const startWall = performance.now();
  let maxRss = a.rssMb;
  let maxAnon = a.anonMb;
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    await new Promise((r) => setTimeout(r, 250));
    const now = procStat(pid);
    maxRss = Math.max(maxRss, now.rssMb);
    maxAnon = Math.max(maxAnon, now.anonMb);
  }
  const b = procStat(pid);
  const framesB = await metric(metricsPort, 'fleetline_edge_can_frames_total');
  const wall = (performance.now() - startWall) / 1000;
  return {
    cpuPercent: ((b.cpuSeconds - a.cpuSeconds) / wall) * 100,
    rssMb: maxRss,
    anonMb: maxAnon,
    framesPerSecond: (framesB - framesA) / wall,
  };
}

/** Runs the agent replaying a saturated bus — or, with idle, with no input at all. */
async function agentAtSaturatedBus(seconds, log, tuning = [], idle = false) {
  const dir = mkdtempSync(join(tmpdir(), 'fleetline-bench-agent-'));
  const broker = await startBroker();
  try {
    const metricsPort = await freePort();
    await writeAgentFiles(dir, { uplinkUrl: broker.url, metricsPort, idle });
    const child = spawnAgent(dir, tuning);
    try {
      await agentStarted(metricsPort);
      const result = await sampleAgent(child.pid, metricsPort, seconds);
      log(
        `agent${idle ? ' (idle)' : ''}${tuning.length ? ` [${tuning.join(' ')}]` : ''}: ${result.framesPerSecond.toFixed(0)} frames/s, ${result.cpuPercent.toFixed(1)} % CPU, ${result.rssMb.toFixed(1)} MB RSS (${result.anonMb.toFixed(1)} MB anonymous)`,
      );
      return result;
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  } finally {
    await broker.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run({ quick, log }) {
  const results = [];
  const decode = await decodeThroughput(quick ? 1 : 3);
  log(`decode: ${Math.round(decode.fps)} frames/s`);
  results.push({
    metric: 'DBC decode throughput, one core (Hyundai C-CAN DBC)',
    unit: 'frames/s',
    ours: decode.fps,
    reference: SATURATED_BUS_FPS,
    referenceLabel: 'saturated 1 Mbit/s CAN bus',
    ratio: decode.fps / SATURATED_BUS_FPS,
    target: '≥ 100×',
    pass: decode.fps / SATURATED_BUS_FPS >= 100,
  });
  // As shipped, and with the V8 settings the edge README recommends for small boards.
  for (const [label, tuning] of [
    ['', []],
    [', small-board V8 settings', SMALL_BOARD_NODE_OPTIONS],
  ]) {
    const idle = await agentAtSaturatedBus(3, log, tuning, true);
    const agent = await agentAtSaturatedBus(quick ? 5 : 15, log, tuning);
    results.push({
      metric: `agent CPU while replaying a saturated 1 Mbit/s bus${label}`,
      unit: '% of one core',
      ours: agent.cpuPercent,
      reference: null,
      referenceLabel: null,
      ratio: null,
      target: '< 10 %',
      pass: agent.cpuPercent < 10,
      note: `${Math.round(agent.framesPerSecond)} frames/s handled during the measurement`,
    });
    results.push({
      metric: `agent RSS while replaying a saturated 1 Mbit/s bus${label}`,
      unit: 'MB',
      ours: agent.rssMb,
      reference: idle.rssMb,
      referenceLabel: 'the same agent idle, no inputs',
      ratio: agent.rssMb / idle.rssMb,
      target: '< 80 MB',
      pass: agent.rssMb < 80,
      note: `${agent.anonMb.toFixed(1)} MB of it anonymous memory (heaps, buffers); the rest is mostly the node binary's own pages`,
    });
    results.push({
      metric: `agent frames handled during that measurement${label}`,
      unit: 'frames/s',
      ours: agent.framesPerSecond,
      reference: SATURATED_BUS_FPS,
      referenceLabel: 'saturated 1 Mbit/s CAN bus',
      ratio: agent.framesPerSecond / SATURATED_BUS_FPS,
      target: '≥ 0.95×',
      pass: agent.framesPerSecond / SATURATED_BUS_FPS >= 0.95,
    });
  }
  for (const seconds of [10, 60]) {
    const b = bytesPerSample(seconds);
    results.push({
      metric: `bytes on the wire per sample, 30 signals at 1 Hz, ${seconds} s batches`,
      unit: 'bytes',
      ours: b,
      reference: 8,
      referenceLabel: 'one IEEE double, no time',
      ratio: b / 8,
      target: '≤ 4 bytes',
      pass: b <= 4,
    });
  }
  return results;
}
