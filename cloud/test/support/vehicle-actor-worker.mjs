// Runs one vehicle's messages through the real VehicleActor (every detector) with effects in
// memory, in a worker thread: a test that feeds it hostile sequences can then give up on a
// run that does not finish — terminating the worker stops even a synchronous loop, which a
// timer in the test's own thread never could.
//
// In: { id, deviceId, batches: VehicleMessage[][], restartBefore: number[] } — each batch is
// one receive(); before the batches listed in restartBefore the actor is replaced by a new one
// restored from its last snapshot (passivation, a crash, a rebalance).
// Out: { id, written: SampleRow[], poisoned: { at, code, message }[], escaped?: string },
// `at` counting messages across batches.
import { parentPort } from 'node:worker_threads';
import { VehicleActor, vehicleDetectors } from '@fleetline/cloud';

// Loaded: the test starts its deadlines only now, so loading (slow on a busy machine) is not
// taken for a hang.
parentPort.postMessage({ ready: true });

parentPort.on('message', async ({ id, deviceId, batches, restartBefore }) => {
  const written = [];
  const snapshots = new Map();
  const effects = {
    publishAlerts: async () => {},
    writeSamples: async (rows) => void written.push(...rows),
    writeLatest: async () => {},
    writeEvents: async () => {},
    recordStatus: async () => {},
    markSeen: async () => {},
    // As the telemetry database adapters do: the newest save wins.
    saveSnapshot: async (s) => {
      const current = snapshots.get(s.actorId);
      if (!current || current.savedMs < s.savedMs) snapshots.set(s.actorId, s);
    },
    loadSnapshot: async (actorId) => snapshots.get(actorId),
  };
  const detectors = vehicleDetectors();
  const poisoned = [];
  let actor = new VehicleActor(deviceId, { effects, detectors });
  let offset = 0;
  try {
    for (const [i, batch] of batches.entries()) {
      if (restartBefore.includes(i)) {
        await actor.stop();
        actor = new VehicleActor(deviceId, { effects, detectors });
      }
      const outcome = await actor.receive(batch);
      for (const p of outcome.poisoned) {
        poisoned.push({ at: offset + p.index, code: p.error.code, message: p.error.message });
      }
      offset += batch.length;
    }
    parentPort.postMessage({ id, written, poisoned });
  } catch (err) {
    parentPort.postMessage({ id, written, poisoned, escaped: String(err?.stack ?? err) });
  }
});
