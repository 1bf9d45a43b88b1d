// Runs one vehicle actor over the messages in workerData, with its effects kept in memory, in a
// worker thread: a test can then stop a run that does not finish (a synchronous loop cannot be
// interrupted by a test timeout in the thread that runs it).
import { parentPort, workerData } from 'node:worker_threads';
import { VehicleActor, vehicleDetectors } from '@fleetline/cloud';

const stored = [];
/** Sample values in the order the detectors saw them. */
const detected = [];
const real = vehicleDetectors();
const detectors = {
  ...real,
  detect(state, input) {
    if (input.kind === 'telemetry') detected.push(...input.samples.map((s) => s.value));
    return real.detect(state, input);
  },
};
let duplicates = 0;
const restarts = [];
let snapshot;
const effects = {
  publishAlerts: async () => {},
  writeSamples: async (rows) => void stored.push(...rows.map((r) => r.value)),
  writeLatest: async () => {},
  writeEvents: async (rows) => void stored.push(...rows.map((r) => `event ${r.seq}`)),
  recordStatus: async () => {},
  markSeen: async () => {},
  saveSnapshot: async (s) => {
    snapshot = s;
  },
  loadSnapshot: async () => snapshot,
};
const actor = new VehicleActor(workerData.deviceId, {
  effects,
  detectors,
  onDuplicate: () => duplicates++,
  onRestart: (_id, restart) => restarts.push(restart),
});
const started = performance.now();
for (const messages of workerData.batches) await actor.receive(messages);
parentPort.postMessage({
  stored,
  detected,
  duplicates,
  restarts,
  snapshotBytes: snapshot?.data.length ?? 0,
  ms: performance.now() - started,
});
