import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { vehicleDetectors } from '../src/detectors/vehicle.js';
import { SnapshotError } from '../src/errors.js';
import { restoreState, SNAPSHOT_VERSION } from '../src/vehicle-snapshot.js';

/**
 * Restoring snapshots of every layout the code has written. The fixtures are layout 1 as the
 * code before layout 2 wrote it (processor-snapshot.test.ts carries vehicles on from them).
 */

const detectors = vehicleDetectors();
const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('restoring a vehicle snapshot', () => {
  it('should migrate layout 1: its seq windows become the stream of a device without epochs', () => {
    const saved = JSON.parse(fixture('vehicle-snapshot-v1.json'));
    const r = restoreState(fixture('vehicle-snapshot-v1.json'), detectors);
    expect(r.fromVersion).toBe(1);
    expect(r.filled).toEqual([]);
    expect(r.dropped).toEqual([]);
    expect(r.state.version).toBe(SNAPSHOT_VERSION);
    expect(r.state.detectors).toEqual(saved.detectors);
    expect(r.state.openAlerts).toEqual(saved.openAlerts);
    expect(r.state.streams).toEqual([
      { epoch: 0, telemetry: { seqs: saved.telemetrySeqs }, events: { seqs: saved.eventSeqs } },
    ]);
    expect(r.state.reorder).toEqual(saved.reorder);
    expect(r.state.statusTimeMs).toBe(saved.statusTimeMs);
  });

  it('should start a detector added since from its initial state, and drop one that is gone', () => {
    const r = restoreState(fixture('vehicle-snapshot-v1-other-detectors.json'), detectors);
    expect(r.filled).toEqual(['detectors.lowBattery']);
    expect(r.dropped).toEqual(['tyrePressure']);
    expect(r.state.detectors.lowBattery).toEqual(detectors.initial().lowBattery);
    expect(Object.keys(r.state.detectors).sort()).toEqual(Object.keys(detectors.initial()).sort());
    // The rest is carried on as it was.
    expect(r.state.detectors.dtc).toEqual({ active: ['P0301'] });
  });

  it('should give a part that is missing or malformed its default, and keep the rest', () => {
    const saved = JSON.parse(fixture('vehicle-snapshot-v1.json'));
    saved.openAlerts = 5;
    delete saved.eventSeqs;
    saved.reorder = { next: 'five', held: [] };
    saved.detectors.overheat = null;
    const r = restoreState(JSON.stringify(saved), detectors);
    expect([...r.filled].sort()).toEqual(
      ['detectors.overheat', 'eventSeqs', 'openAlerts', 'reorder'].sort(),
    );
    expect(r.state.openAlerts).toEqual({});
    expect(r.state.reorder).toBeUndefined();
    expect(r.state.streams[0]?.telemetry.seqs).toEqual(saved.telemetrySeqs);
  });

  it('should restore its own layout as it was written', () => {
    const { state } = restoreState(fixture('vehicle-snapshot-v1.json'), detectors);
    const again = restoreState(JSON.stringify(state), detectors);
    expect(again).toEqual({ state, fromVersion: SNAPSHOT_VERSION, filled: [], dropped: [] });
  });

  it('should refuse what cannot be read, naming why', () => {
    expect(() => restoreState('{"version":', detectors)).toThrow(SnapshotError);
    expect(() => restoreState('[]', detectors)).toThrow(/not a JSON object/);
    expect(() => restoreState('{"version":3}', detectors)).toThrow(
      /snapshot layout 3 is not one this code reads/,
    );
  });
});
