// The actor runtime's measurements, run by actors.mjs in a process of their own started with
// --expose-gc (heap figures need a full collection before each reading). Also runs on its own:
//   node --expose-gc bench/suites/actors-child.mjs [--quick]
// It reports progress as { log } messages and the figures as one { figures } message over IPC
// (on stdout as JSON when there is no IPC channel).
//
// Two ways of doing the vehicles' work for their telemetry batches, over the same vehicles and
// the same batches, taking turns round by round:
//   direct    a plain loop over a Map<deviceId, state>: detectors.detect and JSON.stringify
//             of the state (the snapshot), no promises, no runtime;
//   actors    the ActorSystem with one VehicleActor per vehicle, told as the processor tells
//             (await whenAccepting(), then tell(deviceId, [message])).
// Then the heap: with every actor live (and, for comparison, the direct way's states alone),
// after passivating them all, and with their snapshots dropped too.
// Effects are in memory: writes count their rows and resolve at once; snapshots are kept in a
// Map as the JSON the actor saves, and read back from it.
import { ActorSystem, VehicleActor } from '@fleetline/cloud';
import { signalId } from '@fleetline/proto';
// The detectors are not exported by @fleetline/cloud; the bench takes them from its build.
import { vehicleDetectors } from '../../cloud/dist/detectors/vehicle.js';

const quick = process.argv.includes('--quick');
const VEHICLES = quick ? 20_000 : 100_000;
const ROUNDS = 3;
const WARMUP_VEHICLES = 2_000;
const SAMPLES_PER_SIGNAL = 5; // a 5-second batch at 1 Hz
const PATTERNS = 64; // distinct vehicles' value patterns, shared by the batches of a round

const report = (m) => (process.send ? process.send(m) : undefined);
const log = (text) => (process.send ? report({ log: text }) : process.stderr.write(`${text}\n`));

function heapUsed() {
  for (let i = 0; i < 4; i++) global.gc();
  return process.memoryUsage().heapUsed;
}
const settle = () => new Promise((r) => setImmediate(r));

// --- the batches -------------------------------------------------------------------------

const SPEED = signalId('Vehicle.Speed');
const RPM = signalId('Vehicle.Powertrain.CombustionEngine.Speed');
const COOLANT = signalId('Vehicle.Powertrain.CombustionEngine.ECT');
const VOLTAGE = signalId('Vehicle.LowVoltageBattery.CurrentVoltage');
const ODOMETER = signalId('Vehicle.TraveledDistance');
const LONGITUDINAL = signalId('Vehicle.Acceleration.Longitudinal');
const LATERAL = signalId('Vehicle.Acceleration.Lateral');
const SIGNALS = 7;
const SAMPLES_PER_BATCH = SIGNALS * SAMPLES_PER_SIGNAL;

const t0 = Date.now() - 3_600_000;
const batchStart = (round) => t0 + round * SAMPLES_PER_SIGNAL * 1000;
const receivedAt = (round) => batchStart(round + 1) + 150;

/**
 * One batch as an agent sends it: one series per signal, values of a city drive (as in
 * test-support/drive-profiles.ts), varied by pattern: nothing near an alert threshold.
 */
function batchSamples(pattern, round) {
  const samples = [];
  const series = (id, value) => {
    for (let i = 0; i < SAMPLES_PER_SIGNAL; i++) {
      const timeMs = batchStart(round) + i * 1000;
      samples.push({ signalId: id, timeMs, value: value(timeMs, round * SAMPLES_PER_SIGNAL + i) });
    }
  };
  series(SPEED, (t) => 35 + (pattern % 30) + 5 * Math.sin(t / 7000));
  series(RPM, (t) => 1500 + 20 * (pattern % 20) + 200 * Math.sin(t / 5000));
  series(COOLANT, () => 88 + (pattern % 8));
  series(VOLTAGE, () => 13.8 + (pattern % 5) / 10);
  series(ODOMETER, (_t, s) => 20_000 + pattern * 379 + s * 0.014);
  series(LONGITUDINAL, (t) => 0.3 * Math.sin(t / 900 + pattern));
  series(LATERAL, (t) => 0.2 * Math.cos(t / 1300 + pattern));
  return samples;
}

// Built once, before any baseline: every vehicle's batch of a round is one of PATTERNS.
const pool = Array.from({ length: ROUNDS }, (_, r) =>
  Array.from({ length: PATTERNS }, (_, p) => batchSamples(p, r)),
);
const ids = Array.from(
  { length: VEHICLES },
  (_, v) => `bench-vehicle-${String(v).padStart(6, '0')}`,
);
const warmIds = Array.from({ length: WARMUP_VEHICLES }, (_, v) => `bench-warm-${v}`);

// The pool's samples are shared by the vehicles of a pattern, so they do not name a device as
// decoded ones do (decodeTelemetryRows); the in-memory effects only count rows.
const message = (deviceId, v, round) => ({
  kind: 'telemetry',
  batch: { deviceId, seq: round + 1, samples: pool[round][v % PATTERNS] },
  receivedAtMs: receivedAt(round),
});

// --- the two ways ------------------------------------------------------------------------

const detectors = vehicleDetectors();

function inMemoryEffects() {
  const snapshots = new Map();
  const counts = { samples: 0, latest: 0, events: 0, alerts: 0, seen: 0, status: 0 };
  return {
    snapshots,
    counts,
    effects: {
      publishAlerts: async (changes) => {
        counts.alerts += changes.length;
      },
      writeSamples: async (rows) => {
        counts.samples += rows.length;
      },
      writeLatest: async (rows) => {
        counts.latest += rows.length;
      },
      writeEvents: async (rows) => {
        counts.events += rows.length;
      },
      recordStatus: async () => {
        counts.status++;
      },
      markSeen: async (vehicles) => {
        counts.seen += vehicles.length;
      },
      saveSnapshot: async (snapshot) => {
        snapshots.set(snapshot.actorId, snapshot);
      },
      loadSnapshot: async (actorId) => snapshots.get(actorId),
    },
  };
}

/** One round of every vehicle's batch, through the detectors in a plain loop. */
function directRound(vehicleIds, round, states, snapshots) {
  for (let v = 0; v < vehicleIds.length; v++) {
    const deviceId = vehicleIds[v];
    const m = message(deviceId, v, round);
    const detected = detectors.detect(states.get(deviceId) ?? detectors.initial(), {
      kind: 'telemetry',
      samples: m.batch.samples,
      receivedAtMs: m.receivedAtMs,
    });
    states.set(deviceId, detected.state);
    snapshots.set(deviceId, JSON.stringify(detected.state));
  }
}

function actorSystem() {
  const fx = inMemoryEffects();
  // As the processor builds it (its defaults: 10 min idle, 10,000 messages queued), but for
  // one thing: the processor's actors write latest values at most every 10 s of the wall clock
  // and hold them meanwhile, so whether they hold some when the heap is read would depend on
  // how fast this machine gets through a round. Held for the whole run, every actor holds its
  // vehicle's latest values then: the higher figure, on any machine.
  const system = new ActorSystem(
    (deviceId) =>
      new VehicleActor(deviceId, { effects: fx.effects, detectors, cacheIntervalMs: 3_600_000 }),
    { idleMs: 10 * 60_000, maxQueued: 10_000 },
  );
  return { system, ...fx };
}

/** One round told as the processor tells a consumer batch, awaited as it awaits one. */
async function actorsRound(system, vehicleIds, round) {
  const work = new Array(vehicleIds.length);
  for (let v = 0; v < vehicleIds.length; v++) {
    await system.whenAccepting();
    work[v] = system.tell(vehicleIds[v], [message(vehicleIds[v], v, round)]);
  }
  const outcomes = await Promise.all(work);
  for (const o of outcomes) if (o.poisoned.length > 0) throw o.poisoned[0].error;
}

/** Wall and CPU time of fn, added to `into`. */
async function timed(into, fn) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await fn();
  into.ms += performance.now() - start;
  const used = process.cpuUsage(cpu);
  into.cpuMs += (used.user + used.system) / 1000;
}

// --- the run -----------------------------------------------------------------------------

// Warm-up: both ways on a few vehicles, so neither pays for the JIT alone. In a function of its
// own, and with its states and snapshots dropped at the end: left to the collector, they
// outlived it (the frame of the suspended top-level await, and then references that only a
// heap snapshot's collection cleared, kept them) and counted in the baseline.
async function warmUp() {
  const { system, snapshots } = actorSystem();
  const states = new Map();
  for (let r = 0; r < ROUNDS; r++) {
    directRound(warmIds, r, states, new Map());
    await actorsRound(system, warmIds, r);
  }
  await system.stopAll();
  states.clear();
  snapshots.clear();
}
await warmUp();
log(`warm-up done (${WARMUP_VEHICLES} vehicles × ${ROUNDS} rounds each way)`);

await settle();
const baseline = heapUsed();
const direct = { ms: 0, cpuMs: 0 };
const actors = { ms: 0, cpuMs: 0 };
const { system, snapshots, counts } = actorSystem();
let directStates = new Map();
let directSnapshots = new Map();
// The two ways take turns round by round, so a machine busy with other work slows both alike.
for (let r = 0; r < ROUNDS; r++) {
  await timed(direct, () => directRound(ids, r, directStates, directSnapshots));
  await timed(actors, () => actorsRound(system, ids, r));
  log(
    `round ${r + 1}/${ROUNDS}: ${VEHICLES} messages each way; ${system.size} live actors, backlog ${system.backlog}`,
  );
}
const messages = VEHICLES * ROUNDS;
const expected = messages * SAMPLES_PER_BATCH;
if (counts.samples !== expected) {
  throw new Error(`the actors stored ${counts.samples} samples, not ${expected}`);
}
// The direct way's states alone, as a plain Map holds them: what the actors' state costs
// without the runtime around it.
directSnapshots = undefined;
await settle();
const withDirectStates = heapUsed();
directStates = undefined;
await settle();
const live = heapUsed();
const liveActors = system.size;
await system.passivate(() => true);
await settle();
const passivated = heapUsed();
let snapshotBytes = 0;
for (const s of snapshots.values()) snapshotBytes += Buffer.byteLength(s.data);
const snapshotCount = snapshots.size;
snapshots.clear();
await settle();
const emptied = heapUsed();
// What the snapshots took in this heap (the in-memory store's), left out of the actors' figure.
const storeHeap = passivated - emptied;
const mib = (b) => (b / 2 ** 20).toFixed(1);
log(
  `heap: baseline ${mib(baseline)} MiB; ${liveActors} live actors ${mib(live)} MiB; passivated ${mib(passivated)} MiB (${system.size} live); snapshots dropped ${mib(emptied)} MiB`,
);

const figures = {
  vehicles: VEHICLES,
  rounds: ROUNDS,
  samplesPerMessage: SAMPLES_PER_BATCH,
  messages,
  actors,
  direct,
  alerts: counts.alerts,
  liveActors,
  activeBytesPerActor: (live - baseline - storeHeap) / liveActors,
  stateBytesPerVehicle: (withDirectStates - live) / VEHICLES,
  passivatedBytesPerVehicle: (emptied - baseline) / VEHICLES,
  snapshotHeapBytesPerVehicle: storeHeap / snapshotCount,
  snapshotBytesPerVehicle: snapshotBytes / snapshotCount,
  actorsAfterPassivation: system.size,
};
if (process.send) report({ figures });
else console.log(JSON.stringify(figures, null, 2));
