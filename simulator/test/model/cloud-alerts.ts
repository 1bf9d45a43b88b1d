import { alertChanges, type OpenAlerts, vehicleDetectors } from '@fleetline/cloud';
import type { AlertChange, Sample, VehicleEvent } from '@fleetline/proto';
import type { DriveOutput } from '../../src/index.js';

// The simulator's scenarios exist to make the cloud raise its alerts: these helpers let its
// tests check that they do (the cloud is a devDependency of the simulator, for its tests).

/**
 * Feeds a drive to the cloud's detectors as a vehicle actor would: telemetry in 5-second
 * batches, edge events in between, each received when it was produced.
 */
export function cloudAlerts(
  out: DriveOutput,
  before: { kind: 'serviced'; timeMs: number; odometerKm: number }[] = [],
): AlertChange[] {
  const detectors = vehicleDetectors();
  let state = detectors.initial();
  let open: OpenAlerts = {};
  const changes: AlertChange[] = [];
  const apply = (input: Parameters<typeof detectors.detect>[1]) => {
    const r = detectors.detect(state, input);
    state = r.state;
    const a = alertChanges('sim-0001', open, r.findings);
    open = a.open;
    changes.push(...a.changes);
  };
  for (const b of before) apply(b);
  const batches = new Map<number, Sample[]>();
  for (const s of out.samples) {
    const key = Math.floor(s.timeMs / 5000);
    const list = batches.get(key) ?? [];
    if (list.length === 0) batches.set(key, list);
    list.push(s);
  }
  const inputs: { at: number; input: Parameters<typeof detectors.detect>[1] }[] = [];
  for (const [key, samples] of batches) {
    const receivedAtMs = (key + 1) * 5000;
    inputs.push({ at: receivedAtMs, input: { kind: 'telemetry', samples, receivedAtMs } });
  }
  for (const event of out.events as VehicleEvent[]) {
    inputs.push({ at: event.timeMs, input: { kind: 'event', event, receivedAtMs: event.timeMs } });
  }
  inputs.sort((a, b) => a.at - b.at);
  for (const { input } of inputs) apply(input);
  return changes;
}

export const raisedTypes = (changes: readonly AlertChange[]) =>
  changes.filter((c) => c.transition === 'raised').map((c) => c.type);
